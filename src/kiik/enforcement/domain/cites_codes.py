"""The CITES term and unit codes a seizure's specimens are described with (the Secretariat's lists,
shipped in `kiik/enforcement/data/`, from the reference files `trade_terms.csv` and `unit_codes.csv`).

Units are written in the codes the Trade Database uses since 2021 (UN/ECE Rec. 20: KGM, not KIL);
an older code is accepted and turned into the current one.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from kiik.errors import N_

COUNT = "NAR"  # number of specimens: pieces
KILOGRAM = "KGM"
# Units a seizure is weighed or counted in that convert to kilograms.
KG_PER_UNIT = {"KGM": 1.0, "GRM": 0.001, "MGM": 0.000001, "MYG": 0.000000001, "TON": 1000.0}


@dataclass(frozen=True)
class Term:
    code: str
    description: str


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("kiik.enforcement").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def terms() -> dict[str, Term]:
    return {row["code"]: Term(row["code"], row["description"]) for row in _rows("trade_terms.csv")}


@cache
def units() -> dict[str, str]:
    """Each accepted unit code (old or current) -> its current code."""
    found: dict[str, str] = {}
    for row in _rows("unit_codes.csv"):
        found[row["code"]] = row["current_code_2021"]
        found[row["current_code_2021"]] = row["current_code_2021"]
    return found


@cache
def unit_names() -> dict[str, str]:
    return {row["current_code_2021"]: row["description"] for row in _rows("unit_codes.csv")}


def term_problem(code: str) -> str | None:
    if code.upper() in terms():
        return None
    return N_(
        "%(code)s is not a CITES term code: use one of the Secretariat's codes, "
        "e.g. HOR (horns), LIV (live), POW (powder)",
        code=repr(code),
    )


def unit_of(code: str) -> str | None:
    """The current unit code for `code`, or None when it is no CITES unit."""
    return units().get(code.strip().upper())


def weight_kg(quantity: float, unit: str) -> float | None:
    factor = KG_PER_UNIT.get(unit)
    return None if factor is None else quantity * factor
