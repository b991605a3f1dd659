"""Field sheets through the import service on SQLite and PostgreSQL: all or nothing, exactly once."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from kiik.bootstrap.registry import Registry
from kiik.custody.adapters.tables import events, items
from kiik.epcis.adapters.barcodes import parse_scanned
from kiik.epcis.adapters.capture_source import open_capture_document
from kiik.harvest.adapters.store import HarvestStore
from kiik.harvest.adapters.tables import harvest_imports, harvested_horns
from kiik.harvest.services.sheet_import import (
    CapturePath,
    IdempotencyKeyReused,
    ImportHarvestSheet,
    ImportOutcome,
    import_harvest_sheet,
)
from tests.support.harvest import authorise
from tests.support.world import Member, make_world

SHEET = (Path(__file__).resolve().parents[1] / "fixtures" / "harvest-sheet.csv").read_bytes()
HEADER, *ROWS = SHEET.decode().splitlines()
TABLES = (events, items, harvested_horns, harvest_imports)


def row(
    animal: str,
    code: str = "",
    *,
    sex: str = "male",
    time: str = "2025-09-12T10:00:00+05:00",
    point: str = "50.95,51.35",
    authorisation: str = "KZ-2025-URL-001",
    chip: str = "",
    mass: str = "0.2",
) -> str:
    """A sheet row in the fixture's column order; `code` is the DataMatrix serial."""
    datamatrix = f"(01)04870002000010(21){code}" if code else ""
    return f"{animal},{sex},adult,{time},{point},{authorisation},,,{datamatrix},{chip},{mass},20,"


def sheet(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def run(
    registry: Registry, member: Member, data: bytes, key: str | None = None, **path: Any
) -> ImportOutcome:
    capture_path = CapturePath(
        open_document=open_capture_document,
        custody_rules=True,
        yields=registry.settings.yields,
        read_code=parse_scanned,
        **path,
    )
    return import_harvest_sheet(registry.uow(), member.principal, ImportHarvestSheet(data, key), capture_path)


def counts(registry: Registry) -> tuple[int, ...]:
    with registry.engine.connect() as connection:
        return tuple(int(connection.scalar(select(func.count()).select_from(t)) or 0) for t in TABLES)


@pytest.fixture
def world(registry: Registry) -> dict[str, Member]:
    cast = make_world(registry)
    assert authorise(registry, cast).endswith("KZ-2025-URL-001")  # the number the example sheet uses
    return cast


def test_the_example_sheet_is_recorded_as_one_commissioning_per_horn(registry: Registry, world: Any) -> None:
    team = world["harvester"]
    outcome = run(registry, team, SHEET, "field-2025-09-12")
    assert outcome.status == "recorded", outcome.errors
    assert (outcome.rows, outcome.horns, outcome.animals, outcome.stored) == (6, 6, 3, 6)
    assert counts(registry) == (6, 6, 6, 1)
    with registry.engine.connect() as connection:
        bodies = connection.execute(select(events.c.body).order_by(events.c.id)).scalars().all()
        chips = connection.execute(select(harvested_horns.c.microchip).order_by(harvested_horns.c.microchip))
        assert [c for (c,) in chips if c] == [f"39800000000100{n}" for n in range(3, 7)]
    assert bodies[0]["bizLocation"]["id"] == team.sgln  # the team's first site
    assert bodies[0]["ilmd"]["kiik:harvestAuthorisation"] == "urn:kiik:harvest-authorisation:KZ-2025-URL-001"
    assert bodies[4]["epcList"] == ["urn:kiik:microchip:398000000001005"]
    assert bodies[4]["ilmd"]["kiik:population"] == "Ural"  # left empty in the sheet: the authorisation's


def test_a_sheet_with_several_bad_rows_is_refused_whole_with_every_row_named(
    registry: Registry, world: Any
) -> None:
    bad = sheet(
        *ROWS,
        row("URL-T1-0009", "2001", sex="female"),
        row("URL-T1-0010", "2002", point="43.25,76.95"),
        row("URL-T1-0011", "2003", time="2025-12-01T10:00:00+05:00"),
        row("URL-T1-0001", "2004"),
        row("URL-T1-0012", "2005", mass="250"),
        row("URL-T1-0013", "2006", authorisation="KZ-2025-URL-999"),
        row("URL-T1-0014", "1001"),
    )
    outcome = run(registry, world["harvester"], bad)
    assert outcome.status == "rejected" and outcome.stored == 0
    assert [(e.row, e.column, e.rule) for e in outcome.errors] == [
        (8, "sex", "harvest.female_horn"),
        (9, "latitude", "harvest.outside_area"),
        (10, "harvest_time", "harvest.outside_window"),
        (11, "animal_id", "harvest.too_many_horns"),
        (12, "mass_kg", "sheet.invalid_value"),
        (13, "authorisation", "harvest.unknown_authorisation"),
        (14, "datamatrix", "sheet.duplicate_code"),
        (14, "datamatrix", "identifier.already_commissioned"),
    ]
    assert all(e.message for e in outcome.errors)
    assert counts(registry) == (0, 0, 0, 0)
    # Corrected, it goes through under the same key: a refused sheet is not recorded.
    assert run(registry, world["harvester"], SHEET, outcome.idempotency_key).status == "recorded"


def test_the_same_upload_twice_is_recorded_once(registry: Registry, world: Any) -> None:
    team = world["harvester"]
    first = run(registry, team, SHEET, "upload-1")
    second = run(registry, team, SHEET, "upload-1")
    assert (first.status, second.status) == ("recorded", "replayed")
    assert (
        second.capture_id == first.capture_id
        and second.stored == 6
        and second.recorded_at == first.recorded_at
    )
    assert counts(registry) == (6, 6, 6, 1)


def test_without_a_key_the_sheet_is_its_own_key(registry: Registry, world: Any) -> None:
    team = world["harvester"]
    first, second = run(registry, team, SHEET), run(registry, team, SHEET)
    assert first.idempotency_key == first.sheet_sha256 and second.status == "replayed"
    assert counts(registry) == (6, 6, 6, 1)


def test_the_same_key_with_another_sheet_is_refused(registry: Registry, world: Any) -> None:
    team = world["harvester"]
    assert run(registry, team, sheet(*ROWS[:2]), "upload-1").status == "recorded"
    with pytest.raises(IdempotencyKeyReused, match="'upload-1' recorded another sheet"):
        run(registry, team, SHEET, "upload-1")
    assert counts(registry) == (2, 2, 2, 1)


def test_an_upload_that_failed_half_way_is_recorded_once_when_sent_again(
    registry: Registry, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = world["harvester"]
    real = HarvestStore.record_horns

    def connection_lost(self: HarvestStore, *args: Any, **kwargs: Any) -> None:
        real(self, *args, **kwargs)
        raise ConnectionResetError("the connection dropped after the first batch")

    monkeypatch.setattr(HarvestStore, "record_horns", connection_lost)
    with pytest.raises(ConnectionResetError):
        run(registry, team, SHEET, "upload-7", batch_size=2)
    assert counts(registry) == (0, 0, 0, 0)
    monkeypatch.setattr(HarvestStore, "record_horns", real)
    assert run(registry, team, SHEET, "upload-7", batch_size=2).status == "recorded"
    assert run(registry, team, SHEET, "upload-7", batch_size=2).status == "replayed"
    assert counts(registry) == (6, 6, 6, 1)


def test_a_batch_cut_off_half_way_and_sent_whole_again_stores_only_what_was_missing(
    registry: Registry, world: Any
) -> None:
    team = world["harvester"]
    half = run(registry, team, sheet(*ROWS[:3]))  # the first half got through (under its own key)
    whole = run(registry, team, SHEET)
    assert (half.stored, whole.stored, whole.already_recorded) == (3, 3, 3)
    assert counts(registry) == (6, 6, 6, 2)


def test_a_microchip_already_on_another_horn_is_refused(registry: Registry, world: Any) -> None:
    team = world["harvester"]
    assert run(registry, team, SHEET).status == "recorded"
    reused = row("URL-T1-0020", "3001", chip="398000000001005")
    outcome = run(registry, team, sheet(reused))
    assert [(e.row, e.column, e.rule) for e in outcome.errors] == [
        (2, "microchip", "sheet.microchip_registered")
    ]
    assert "urn:kiik:microchip:398000000001005" in outcome.errors[0].message


def test_another_teams_sheet_under_this_authorisation_is_refused(registry: Registry, world: Any) -> None:
    outcome = run(registry, world["trader"], SHEET)
    assert {(e.column, e.rule) for e in outcome.errors} == {
        ("authorisation", "harvest.not_authorised_organisation")
    }
    assert len(outcome.errors) == 6 and counts(registry) == (0, 0, 0, 0)


def test_concurrent_uploads_under_one_key_are_recorded_once(registry: Registry, world: Any) -> None:
    team = world["harvester"]
    results: list[Any] = []

    def upload() -> None:
        try:
            results.append(run(registry, team, SHEET, "same-key").status)
        except Exception as exc:  # noqa: BLE001 - reported in the assertion below
            results.append(exc)

    threads = [threading.Thread(target=upload) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(str, results)) == ["recorded", "replayed", "replayed", "replayed"], results
    assert counts(registry) == (6, 6, 6, 1)


def test_problems_beyond_the_reported_limit_are_counted(registry: Registry, world: Any) -> None:
    females = [row(f"F-{n}", str(4000 + n), sex="female") for n in range(5)]
    outcome = run(registry, world["harvester"], sheet(*females), max_errors=2)
    assert [e.rule for e in outcome.errors] == [
        "sheet.more_problems",
        "harvest.female_horn",
        "harvest.female_horn",
    ]
    assert "3 more problems" in outcome.errors[0].message


def test_argali_taken_without_its_hunting_permit_is_refused_in_the_readers_language(
    registry: Registry, world: Any
) -> None:
    # A harvest authorisation for argali: the sheet goes through, but legal trade's taking rule wants
    # the hunting permit, which a field sheet cannot name. Its refusal reaches the page as a Wording.
    from datetime import date

    from kiik.harvest.services.authorisations import AuthoriseHarvest, authorise_harvest
    from kiik.web.i18n import PageText
    from tests.support.harvest import ministry

    command = AuthoriseHarvest(
        "harvester", "Ural", date(2025, 8, 1), date(2025, 10, 31), 10, number="KZ-2025-URL-077",
        species="Ovis ammon",
    )  # fmt: skip
    authorise_harvest(registry.uow(), ministry(world), command)
    outcome = run(
        registry, world["harvester"], sheet(row("URL-T1-0101", "3001", authorisation="KZ-2025-URL-077"))
    )
    assert outcome.status == "rejected" and counts(registry) == (0, 0, 0, 0)
    [problem] = [e for e in outcome.errors if e.rule == "trade.take_permit_required"]
    assert problem.message == (
        "Ovis ammon is taken only under a hunting permit: give its number in ILMD kiik:takePermit"
    )
    assert str(PageText("kk").explain(problem.message)) == (
        "Ovis ammon тек аң аулауға рұқсат бойынша алынады: "
        "оның нөмірін ILMD kiik:takePermit өрісінде көрсетіңіз"
    )
    russian = str(PageText("ru").explain(problem.message))
    assert russian.startswith("Ovis ammon добывают только по разрешению на охоту")
