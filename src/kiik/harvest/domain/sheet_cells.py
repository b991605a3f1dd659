"""The cells of a field sheet's row: each read and checked on its own (see `sheet`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiik.epcis.domain.identifiers import (
    Identifier,
    InvalidIdentifier,
    identifier_from_element_strings,
    parse_identifier,
)
from kiik.errors import N_, Wording
from kiik.harvest.domain.authorisations import (
    AGE_CLASSES,
    KAZAKHSTAN_TIME,
    SEXES,
    HarvestError,
    authorisation_number,
)
from kiik.harvest.domain.events import HarvestedAnimal, MarkedHorn
from kiik.harvest.domain.geo import GeoError, Point

REQUIRED = (
    "animal_id",
    "sex",
    "age_class",
    "harvest_time",
    "latitude",
    "longitude",
    "authorisation",
    "mass_kg",
    "length_cm",
)
OPTIONAL = ("population", "horn_side", "datamatrix", "microchip", "site")
COLUMNS = REQUIRED + OPTIONAL
SIDES = ("left", "right")
# Plausible bounds; a value outside is most likely a unit slip (grams typed as kilograms).
MASS_KG = (0.005, 2.0)
LENGTH_CM = (1.0, 60.0)

CodeReader = Callable[[str], Identifier]
_PRINTED_ELEMENT = re.compile(r"\((\d{2,4})\)([^()]*)")


def read_printed_code(text: str) -> Identifier:
    """What `parse_identifier` reads, plus GS1 element strings as printed under a DataMatrix,
    `(01)04870002000010(21)1001`. (Raw scanner output is read by the entry points' reader.)"""
    value = text.strip()
    if not value.startswith("("):
        return parse_identifier(value)
    pairs: list[tuple[str, str]] = []
    position = 0
    for match in _PRINTED_ELEMENT.finditer(value):
        if match.start() != position:
            break
        pairs.append((match.group(1), match.group(2).strip()))
        position = match.end()
    if position != len(value) or not pairs:
        raise InvalidIdentifier(
            f"cannot read {value!r} as GS1 element strings: expected (AI)value(AI)value..."
        )
    return identifier_from_element_strings(pairs, value)


@dataclass(frozen=True)
class RowError:
    row: int | None  # None: the sheet as a whole
    column: str | None
    message: str | Wording  # a Wording when the pages can translate it
    rule: str = "sheet.invalid_value"

    def to_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "rule": self.rule, "message": str(self.message)}


class CellReader:
    """Reads the cells of one row, collecting the problems of each."""

    def __init__(self, delimiter: str, read_code: CodeReader) -> None:
        self.decimal_comma = delimiter == ";"  # spreadsheets that separate cells by ';' write 0,25
        self.read_code = read_code

    def row(
        self, row: int, cells: dict[str, str]
    ) -> tuple[list[RowError], tuple[HarvestedAnimal, MarkedHorn, str | None] | None]:
        """The problems of a row's cells, and the animal, horn and site it records when it has none."""
        errors: list[RowError] = []

        def fail(column: str, message: str | Wording, rule: str = "sheet.invalid_value") -> None:
            errors.append(RowError(row, column, message, rule))

        for name in REQUIRED:
            if not cells.get(name):
                fail(
                    name,
                    N_("%(column)s is empty: every horn row needs it", column=name),
                    "sheet.missing_value",
                )
        if not cells.get("datamatrix") and not cells.get("microchip"):
            fail(
                "datamatrix",
                N_("the horn has no mark: give its DataMatrix code, its microchip number or both"),
                "sheet.missing_value",
            )
        sex = self._choice(cells, "sex", SEXES, fail, {"m": "male", "f": "female"})
        age_class = self._choice(cells, "age_class", AGE_CLASSES, fail)
        side = self._choice(cells, "horn_side", SIDES, fail, {"l": "left", "r": "right"})
        moment = self._time(cells.get("harvest_time", ""), fail)
        point = self._point(cells, fail)
        number = self._authorisation(cells.get("authorisation", ""), fail)
        mass = self._number(cells, "mass_kg", MASS_KG, "kg", fail)
        length = self._number(cells, "length_cm", LENGTH_CM, "cm", fail)
        code = self._code(cells.get("datamatrix", ""), "datamatrix", "sgtin", fail)
        chip = self._code(cells.get("microchip", ""), "microchip", "microchip", fail)
        site = self._code(cells.get("site", ""), "site", "sgln", fail)
        if errors or sex is None or moment is None or point is None or number is None or mass is None:
            return errors, None
        animal = HarvestedAnimal(
            animal_id=cells["animal_id"],
            sex=sex,
            age_class=age_class,
            harvested_at=moment,
            point=point,
            authorisation=number,
            population=cells.get("population") or None,
        )
        horn = MarkedHorn(mass, length, code, chip and chip.rsplit(":", 1)[-1], side)
        return errors, (animal, horn, site)

    @staticmethod
    def _choice(
        cells: dict[str, str],
        column: str,
        allowed: tuple[str, ...],
        fail: Any,
        aliases: dict[str, str] | None = None,
    ) -> str | None:
        value = cells.get(column, "").lower()
        if not value:
            return None
        value = (aliases or {}).get(value, value)
        if value not in allowed:
            fail(
                column,
                N_(
                    "%(column)s '%(value)s' is not one of: %(allowed)s",
                    column=column,
                    value=cells[column],
                    allowed=", ".join(allowed),
                ),
            )
            return None
        return value

    @staticmethod
    def _time(text: str, fail: Any) -> datetime | None:
        if not text:
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            fail(
                "harvest_time",
                N_(
                    "harvest_time '%(value)s' is not a date and time: write it as 2025-09-12T07:40:00+05:00 "
                    "(without an offset, Kazakhstan time UTC+5 is assumed)",
                    value=text,
                ),
            )
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=KAZAKHSTAN_TIME)

    def _float(self, text: str) -> float:
        return float(text.replace(",", ".") if self.decimal_comma else text)

    def _point(self, cells: dict[str, str], fail: Any) -> Point | None:
        values: dict[str, float] = {}
        for column in ("latitude", "longitude"):
            text = cells.get(column, "")
            if not text:
                continue
            try:
                values[column] = self._float(text)
            except ValueError:
                fail(
                    column,
                    N_(
                        "%(column)s '%(value)s' is not a number in decimal degrees (e.g. 50.95)",
                        column=column,
                        value=text,
                    ),
                )
        if len(values) < 2:
            return None
        try:
            return Point(latitude=values["latitude"], longitude=values["longitude"])
        except GeoError as exc:
            fail("latitude", str(exc))
            return None

    @staticmethod
    def _authorisation(text: str, fail: Any) -> str | None:
        if not text:
            return None
        try:
            return authorisation_number(text)
        except HarvestError as exc:
            fail("authorisation", str(exc))
            return None

    def _number(
        self, cells: dict[str, str], column: str, bounds: tuple[float, float], unit: str, fail: Any
    ) -> float | None:
        text = cells.get(column, "")
        if not text:
            return None
        try:
            value = self._float(text)
        except ValueError:
            fail(column, N_("%(column)s '%(value)s' is not a number", column=column, value=text))
            return None
        low, high = bounds
        if not low <= value <= high:
            fail(
                column,
                N_(
                    "%(column)s %(value)s %(unit)s is outside the plausible %(low)s-%(high)s %(unit)s for a "
                    "saiga horn: check the unit (kilograms, centimetres)",
                    column=column,
                    value=format(value, "g"),
                    unit=unit,
                    low=format(low, "g"),
                    high=format(high, "g"),
                ),
            )
            return None
        return value

    def _code(self, text: str, column: str, kind: str, fail: Any) -> str | None:
        if not text:
            return None
        try:
            identifier = (parse_identifier if kind == "microchip" else self.read_code)(text)
        except InvalidIdentifier as exc:
            fail(column, N_("%(column)s '%(value)s': %(detail)s", column=column, value=text, detail=str(exc)))
            return None
        if identifier.kind != kind:
            wanted = {
                "sgtin": "a serialised GTIN, (01)<GTIN>(21)<serial>",
                "microchip": "15 digits (ISO 11784)",
                "sgln": "a site GLN (SGLN)",
            }[kind]
            fail(
                column,
                N_(
                    "%(column)s '%(value)s' is a %(kind)s; it must be %(wanted)s",
                    column=column,
                    value=text,
                    kind=identifier.kind.upper(),
                    wanted=wanted,
                ),
            )
            return None
        return identifier.canonical
