"""A Camtrap DP package's validation problems as kiik words them: each error type the validating
library reports, met in a broken copy of the official example, becomes a sentence of the catalogs
placed at its table, row and field; an unknown type keeps the library's note as its detail."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from kiik.errors import Wording, place_of
from kiik.monitoring.adapters import camtrap_problems as words
from kiik.monitoring.adapters.camtrap_reader import data_problems, profile_problems
from kiik.web.i18n import PageText
from tests.support.monitoring import example_package


def _cell(table: str, row: int, column: str, value: str) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        lines = (folder / f"{table}.csv").read_text().split("\n")
        header = lines[0].split(",")
        cells = lines[row - 1].split(",")
        cells[header.index(column)] = value
        lines[row - 1] = ",".join(cells)
        (folder / f"{table}.csv").write_text("\n".join(lines))

    return change


def _lines(table: str, change: Callable[[list[str]], None]) -> Callable[[Path], None]:
    def changed(folder: Path) -> None:
        lines = (folder / f"{table}.csv").read_text().split("\n")
        change(lines)
        (folder / f"{table}.csv").write_text("\n".join(lines))

    return changed


def _problems(tmp_path: Path, change: Callable[[Path], None]) -> list[Wording]:
    folder = example_package(tmp_path / "package")
    change(folder)
    descriptor = json.loads((folder / "datapackage.json").read_text())
    records = json.loads(json.dumps(data_problems(descriptor, folder)))  # as the worker sends them
    return [words.worded(record) for record in records]


BROKEN = [
    (
        "type-error",
        _cell("deployments", 2, "latitude", "north"),
        ("deployments", 2, "latitude"),
        words.TYPES["number"].template,
        "'north' is not a number",
    ),
    (
        "constraint-error enum",
        _cell("observations", 2, "observationType", "dinosaur"),
        ("observations", 2, "observationType"),
        words.CONSTRAINTS["enum"].template,
        "'dinosaur' is not one of animal, human, vehicle, blank, unknown, unclassified",
    ),
    (
        "constraint-error maximum",
        _cell("deployments", 2, "latitude", "95"),
        ("deployments", 2, "latitude"),
        words.CONSTRAINTS["maximum"].template,
        "'95' is above the maximum 90",
    ),
    (
        "constraint-error required",
        _cell("deployments", 2, "deploymentStart", ""),
        ("deployments", 2, "deploymentStart"),
        words.CONSTRAINTS["required"].template,
        "a value is required",
    ),
    (
        "foreign-key",
        _cell("observations", 2, "deploymentID", "nowhere"),
        ("observations", 2, "deploymentID"),
        words.ERRORS["foreign-key"].template,
        "'nowhere' is not a deploymentID of the table deployments",
    ),
    (
        "unique-error",
        _cell("media", 3, "mediaID", "07840dcc"),
        ("media", 3, "mediaID"),
        words.ERRORS["unique-error"].template,
        "'07840dcc' is on row 2 already: each value of this field is unique",
    ),
    (
        "primary-key",
        _cell("media", 3, "mediaID", "07840dcc"),
        ("media", 3, None),
        words.ERRORS["primary-key"].template,
        "the row's key is that of row 2: each row has its own",
    ),
    (
        "extra-cell",
        _lines("deployments", lambda lines: lines.__setitem__(1, lines[1] + ",more")),
        ("deployments", 2, None),
        words.ERRORS["extra-cell"].template,
        "an extra value in column 25: the row has more values than the header",
    ),
    (
        "missing-cell",
        _lines("deployments", lambda lines: lines.__setitem__(1, ",".join(lines[1].split(",")[:-1]))),
        ("deployments", 2, "deploymentComments"),
        words.ERRORS["missing-cell"].template,
        "the cell is missing: the row has fewer values than the header",
    ),
    (
        "blank-row",
        _lines("deployments", lambda lines: lines.insert(2, "," * 23)),
        ("deployments", 3, None),
        words.ERRORS["blank-row"].template,
        "the row is blank: remove it",
    ),
    (
        "incorrect-label",
        _lines("deployments", lambda lines: lines.__setitem__(0, lines[0].replace("locationName", "place"))),
        ("deployments", None, "locationName"),
        words.ERRORS["incorrect-label"].template,
        "the header's column 3 is 'place' where the table schema has locationName",
    ),
]


@pytest.mark.parametrize(
    ("change", "place", "template", "english"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_each_error_type_of_the_library_is_worded_at_its_table_row_and_field(
    tmp_path: Path,
    change: Callable[[Path], None],
    place: tuple[str, int | None, str | None],
    template: str,
    english: str,
) -> None:
    problems = _problems(tmp_path, change)
    placed = [place_of(p) for p in problems]
    found = [
        (parts, problem)
        for parts, problem in (p for p in placed if p is not None)
        if (parts["table"], parts.get("row"), parts.get("field")) == place
        and isinstance(problem, Wording)
        and problem.template == template
    ]
    assert found, [str(p) for p in problems]
    parts, problem = found[0]
    assert str(problem) == english
    where = ", ".join(
        [str(place[0])]
        + ([f"row {place[1]}"] if place[1] else [])
        + ([f"field {place[2]}"] if place[2] else [])
    )
    assert f"{where}: {english}" in problems  # the English the API and the command line show


def test_a_worded_problem_reads_in_kazakh_and_russian_with_its_values() -> None:
    record = {
        "type": "constraint-error",
        "table": "deployments",
        "row": 2,
        "field": "latitude",
        "cell": "95",
        "note": 'constraint "maximum" is "90"',
    }
    parts, problem = place_of(words.worded(record)) or ({}, "")
    assert parts == {"table": "deployments", "row": 2, "field": "latitude"}
    for language in ("kk", "ru"):
        shown = PageText(language).explain(problem)
        assert "95" in shown and "90" in shown and shown != str(problem), language


def test_an_unknown_error_type_keeps_the_library_note_as_its_detail() -> None:
    record = {"type": "sequential-value", "table": "media", "row": 7, "field": "x", "note": "not sequential"}
    problem = words.worded(record)
    assert problem == "media, row 7, field x: the check sequential-value failed: not sequential"
    assert place_of(problem) is not None
    kazakh = PageText("kk").explain(place_of(problem)[1])  # type: ignore[index]
    assert "sequential-value" in kazakh and "not sequential" in kazakh and kazakh != str(problem)


def test_a_table_schema_error_and_an_unusable_package_keep_the_library_detail() -> None:
    schema = words.worded({"type": "schema-error", "table": "observations", "note": "bad field"})
    assert schema == "observations: the table schema is not usable: bad field"
    package = words.worded({"type": "package-error", "table": "datapackage.json", "note": "cannot read"})
    assert package == "datapackage.json: the package cannot be read: cannot read"


def test_the_descriptor_against_the_profile_is_worded_by_the_rule_it_breaks() -> None:
    descriptor = json.loads((example_package_descriptor()).read_text())
    del descriptor["created"]
    descriptor["project"]["samplingDesign"] = "weird"
    descriptor["taxonomic"] = [{"scientificName": 5}]
    problems = profile_problems(descriptor)
    assert "datapackage.json: created is required" in problems
    assert any(
        p.startswith("datapackage.json, field project/samplingDesign: 'weird' is not one of simpleRandom")
        for p in problems
    )
    assert "datapackage.json, field taxonomic/0/scientificName: 5 is not of the type string" in problems
    shown = [PageText("ru").explain(place_of(p)[1]) for p in problems]  # type: ignore[index]
    assert all(s != str(place_of(p)[1]) for s, p in zip(shown, problems, strict=True))  # type: ignore[index]


def example_package_descriptor() -> Path:
    from tests.support.monitoring import CAMTRAP_EXAMPLE

    return Path(CAMTRAP_EXAMPLE) / "datapackage.json"
