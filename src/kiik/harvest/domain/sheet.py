"""The harvest team's field sheet: a CSV file, one row per marked horn (docs/harvest-sheet.md).

Reading checks each cell and the rows of one animal against each other, and reports every problem
with its row (the line number, the header being row 1, as a spreadsheet numbers it), its column and
what is wrong. Whether the harvest is authorised is the harvest rule's business, not the sheet's.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kiik.errors import N_, Wording
from kiik.harvest.domain.events import HarvestedAnimal, MarkedHorn
from kiik.harvest.domain.sheet_cells import (
    COLUMNS,
    LENGTH_CM,
    MASS_KG,
    OPTIONAL,
    REQUIRED,
    CellReader,
    CodeReader,
    RowError,
    read_printed_code,
)

__all__ = [
    "COLUMNS",
    "LENGTH_CM",
    "MASS_KG",
    "OPTIONAL",
    "REQUIRED",
    "CodeReader",
    "RowError",
    "Sheet",
    "SheetImport",
    "SheetRow",
    "read_printed_code",
    "read_sheet",
    "write_sheet",
]


@dataclass(frozen=True)
class SheetImport:
    """A sheet accepted under an idempotency key: what a second upload with that key is answered."""

    org_id: int
    idempotency_key: str
    sheet_sha256: str
    capture_id: str
    created_at: datetime
    result: dict[str, Any]


@dataclass(frozen=True)
class SheetRow:
    row: int
    animal: HarvestedAnimal
    horn: MarkedHorn
    site: str | None


@dataclass
class Sheet:
    rows: list[SheetRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    row_count: int = 0

    @property
    def animals(self) -> int:
        return len({(r.animal.authorisation, r.animal.animal_id) for r in self.rows})


def read_sheet(data: bytes, read_code: CodeReader = read_printed_code) -> Sheet:
    """Every horn row of a sheet, and every problem found in it."""
    sheet = Sheet()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        sheet.errors.append(
            RowError(
                None,
                None,
                N_("the sheet is not UTF-8 text (%(reason)s): save it as 'CSV UTF-8'", reason=exc.reason),
                "sheet.unreadable",
            )
        )
        return sheet
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        columns = _header(header, sheet)
        if columns is None:
            return sheet
        cells = CellReader(delimiter, read_code)
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            sheet.row_count += 1
            row = reader.line_num
            if len(values) != len(columns):
                sheet.errors.append(
                    RowError(
                        row,
                        None,
                        N_(
                            "the row has %(cells)s cells but the header has %(columns)s: "
                            "check for a stray or missing '%(delimiter)s'",
                            cells=len(values),
                            columns=len(columns),
                            delimiter=delimiter,
                        ),
                        "sheet.unreadable",
                    )
                )
                continue
            problems, record = cells.row(row, dict(zip(columns, (v.strip() for v in values), strict=True)))
            sheet.errors.extend(problems)
            if record is not None:
                sheet.rows.append(SheetRow(row, *record))
    except csv.Error as exc:
        sheet.errors.append(
            RowError(
                reader.line_num,
                None,
                N_("the CSV cannot be read: %(detail)s", detail=str(exc)),
                "sheet.unreadable",
            )
        )
        return sheet
    if sheet.row_count == 0:
        sheet.errors.append(
            RowError(None, None, N_("the sheet has no horn rows below its header"), "sheet.empty")
        )
    _across_rows(sheet)
    return sheet


def _header(header: list[str] | None, sheet: Sheet) -> list[str] | None:
    if not header or not any(h.strip() for h in header):
        sheet.errors.append(
            RowError(
                1,
                None,
                N_(
                    "the sheet has no header row: the first row names the columns (%(columns)s, ...)",
                    columns=", ".join(REQUIRED),
                ),
                "sheet.header",
            )
        )
        return None
    columns = [h.strip().lower().replace(" ", "_").replace("-", "_") for h in header]
    problems: list[Wording] = []
    for name in columns:
        if name not in COLUMNS:
            known = ", ".join(COLUMNS)
            problems.append(
                N_("unknown column '%(name)s' (the columns are: %(known)s)", name=name, known=known)
            )
    problems += [
        N_("column '%(name)s' appears twice", name=name)
        for name in sorted({c for c in columns if columns.count(c) > 1})
    ]
    problems += [
        N_("required column '%(name)s' is missing", name=name) for name in REQUIRED if name not in columns
    ]
    for problem in problems:
        sheet.errors.append(RowError(1, None, problem, "sheet.header"))
    return None if problems else columns


def _across_rows(sheet: Sheet) -> None:
    """One code per horn, one description per animal, and each side of an animal's head once."""
    first_of_code: dict[str, int] = {}
    animals: dict[tuple[str, str], SheetRow] = {}
    sides: dict[tuple[str, str, str], int] = {}
    for record in sheet.rows:
        horn, animal = record.horn, record.animal
        for column, mark in (("datamatrix", horn.code), ("microchip", horn.microchip)):
            if mark is None:
                continue
            if mark in first_of_code:
                sheet.errors.append(
                    RowError(
                        record.row,
                        column,
                        N_(
                            "%(column)s %(mark)s is the same as in row %(row)s: every horn has its own code",
                            column=column,
                            mark=mark,
                            row=first_of_code[mark],
                        ),
                        "sheet.duplicate_code",
                    )
                )
            else:
                first_of_code[mark] = record.row
        key = (animal.authorisation, animal.animal_id)
        first = animals.setdefault(key, record)
        for column, mine, theirs in (
            ("sex", animal.sex, first.animal.sex),
            ("age_class", animal.age_class, first.animal.age_class),
            ("population", animal.population, first.animal.population),
        ):
            if mine != theirs and (column != "population" or (mine and theirs)):  # empty: the authorisation's
                sheet.errors.append(
                    RowError(
                        record.row,
                        column,
                        N_(
                            "animal %(animal)s has %(column)s %(mine)s here but %(theirs)s in row %(row)s",
                            animal=animal.animal_id,
                            column=column,
                            mine=mine or "(empty)",
                            theirs=theirs or "(empty)",
                            row=first.row,
                        ),
                        "sheet.animal_inconsistent",
                    )
                )
        if horn.side:
            side_key = (*key, horn.side)
            if side_key in sides:
                sheet.errors.append(
                    RowError(
                        record.row,
                        "horn_side",
                        N_(
                            "animal %(animal)s has its %(side)s horn in row %(row)s already",
                            animal=animal.animal_id,
                            side=horn.side,
                            row=sides[side_key],
                        ),
                        "sheet.horn_side_repeated",
                    )
                )
            sides.setdefault(side_key, record.row)
    sheet.errors.sort(key=lambda e: (e.row or 0, COLUMNS.index(e.column) if e.column in COLUMNS else -1))


def write_sheet(rows: Iterable[tuple[HarvestedAnimal, MarkedHorn, str | None]], delimiter: str = ",") -> str:
    """A field sheet in the documented format: what `read_sheet` reads back (for generated seasons)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(COLUMNS)
    for animal, horn, site in rows:
        cells = {
            "animal_id": animal.animal_id,
            "sex": animal.sex,
            "age_class": animal.age_class or "",
            "harvest_time": animal.harvested_at.isoformat(),
            "latitude": f"{animal.point.latitude:.6f}",
            "longitude": f"{animal.point.longitude:.6f}",
            "authorisation": animal.authorisation,
            "population": animal.population or "",
            "horn_side": horn.side or "",
            "datamatrix": horn.code or "",
            "microchip": horn.microchip or "",
            "mass_kg": f"{horn.mass_kg:g}",
            "length_cm": "" if horn.length_cm is None else f"{horn.length_cm:g}",
            "site": site or "",
        }
        writer.writerow([cells[name] for name in COLUMNS])
    return out.getvalue()
