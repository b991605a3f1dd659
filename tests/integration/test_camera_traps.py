"""Camtrap DP packages in and out, detection rates and alerts (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiik.bootstrap.registry import Registry
from kiik.directory.domain.permissions import NotAllowed
from kiik.errors import place_of
from kiik.monitoring.adapters.camtrap_reader import read_package
from kiik.monitoring.adapters.camtrap_writer import FolderWriter
from kiik.monitoring.adapters.tables import camtrap_observations, camtrap_packages
from kiik.monitoring.domain.analysis import AnalysisRequest
from kiik.monitoring.domain.errors import MonitoringError, PackageInvalid
from kiik.monitoring.services.analysis import detection_rates, rates_csv
from kiik.monitoring.services.camtrap_export import export_package
from kiik.monitoring.services.camtrap_import import import_package
from kiik.monitoring.services.passages import list_alerts, list_passages
from tests.support.monitoring import example_package, scientists
from tests.support.small_passage import GAZELLE, write_small_passage
from tests.support.world import make_world


def stored(registry: Registry, table) -> int:  # type: ignore[no-untyped-def]
    with registry.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(table)) or 0)


def test_the_official_example_imports_and_exports_valid(registry: Registry, tmp_path: Path) -> None:
    make_world(registry)
    researcher, _ = scientists(registry)
    done = import_package(registry.uow(), researcher, read_package(example_package(tmp_path / "in")))
    assert (done.deployments, done.media, done.observations) == (4, 423, 549)
    assert done.alerts >= 1  # the example has a person (Homo sapiens) in front of a camera
    written = export_package(registry.uow(), researcher, done.package_key, FolderWriter(tmp_path / "out"))
    assert written["observations"] == 549
    again = read_package(tmp_path / "out")  # validates, or raises
    original = (tmp_path / "in" / "observations.csv").read_text().splitlines()
    exported = (tmp_path / "out" / "observations.csv").read_text().splitlines()
    assert exported == original
    assert any(r["name"] == "individuals" for r in again.descriptor["resources"])


def test_an_invalid_package_is_refused_with_its_errors_and_nothing_is_stored(
    registry: Registry, tmp_path: Path
) -> None:
    make_world(registry)
    researcher, _ = scientists(registry)
    folder = example_package(tmp_path / "bad")
    lines = (folder / "observations.csv").read_text().splitlines()
    lines[1] = lines[1].replace(",animal,", ",dinosaur,")
    lines[2] = lines[2].replace("00a2c20d", "no-such-deployment", 1)
    (folder / "observations.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(PackageInvalid) as refused:
        import_package(registry.uow(), researcher, read_package(folder))
    problems = refused.value.problems
    assert any(
        p.startswith("observations, row 2, field observationType: 'dinosaur' is not one of animal, human")
        for p in problems
    )
    assert (
        "observations, row 3, field deploymentID: 'no-such-deployment' is not a deploymentID of the table "
        "deployments" in problems
    )
    assert stored(registry, camtrap_packages) == 0 and stored(registry, camtrap_observations) == 0


def test_rates_on_the_small_passage_match_the_hand_count(registry: Registry, tmp_path: Path) -> None:
    world = make_world(registry)
    researcher, _ = scientists(registry)
    done = import_package(registry.uow(), researcher, read_package(write_small_passage(tmp_path / "p")))
    assert (done.malfunctions, done.passages_added, done.alerts) == (1, 1, 1)
    rows = detection_rates(registry.uow(), world["customs"].principal, AnalysisRequest(species=(GAZELLE,)))
    assert [(r.passage, r.trap_nights, r.events, r.per_100_trap_nights, r.largest_group) for r in rows] == [
        ("Passage 1, Ustyurt fence", 6.5, 4, 61.538, 5)
    ]
    assert rows[0].directions == {"into-KZ": 1, "into-UZ": 1}
    hourly = detection_rates(
        registry.uow(), researcher, AnalysisRequest(threshold=timedelta(minutes=60), species=(GAZELLE,))
    )
    assert (hourly[0].events, hourly[0].per_100_trap_nights) == (3, 46.154)
    split = detection_rates(
        registry.uow(), researcher, AnalysisRequest(species=(GAZELLE,), compare_opening=True)
    )
    assert [(r.period, r.events, r.per_100_trap_nights) for r in split] == [
        ("before opening", 3, 97.297),
        ("after opening", 1, 29.268),
    ]
    text = rates_csv(rows)
    assert text.splitlines()[1].startswith(
        'p1,"Passage 1, Ustyurt fence",Gazella subgutturosa,all,,,30.0,2,6.5,4,61.538,10,5'
    )
    with pytest.raises(NotAllowed):
        detection_rates(registry.uow(), world["trader"].principal, AnalysisRequest())


def test_a_vehicle_at_a_passage_raises_one_alert_with_its_photo(registry: Registry, tmp_path: Path) -> None:
    world = make_world(registry)
    researcher, _ = scientists(registry)
    import_package(registry.uow(), researcher, read_package(write_small_passage(tmp_path / "p")))
    alerts = list_alerts(registry.uow(), world["customs"].principal)
    assert [(a["kind"], a["locationID"], a["photo"], a["observedAt"]) for a in alerts] == [
        ("vehicle", "p1", "media/d1/IMG_0009.JPG", "2025-05-04T02:00:00+00:00")
    ]
    with pytest.raises(NotAllowed):
        list_alerts(registry.uow(), world["warehouse"].principal)
    assert [p.location_id for p in list_passages(registry.uow(), researcher)] == ["p1"]


def test_a_package_is_imported_once(registry: Registry, tmp_path: Path) -> None:
    make_world(registry)
    researcher, _ = scientists(registry)
    folder = write_small_passage(tmp_path / "p")
    import_package(registry.uow(), researcher, read_package(folder))
    with pytest.raises(MonitoringError, match="'small-passage' is imported already"):
        import_package(registry.uow(), researcher, read_package(folder))
    assert stored(registry, camtrap_packages) == 1


def test_rows_checked_in_a_worker_while_they_are_stored(registry: Registry, tmp_path: Path) -> None:
    make_world(registry)
    researcher, _ = scientists(registry)
    done = import_package(
        registry.uow(), researcher, read_package(write_small_passage(tmp_path / "ok"), background=True)
    )
    assert done.observations == 9
    folder = example_package(tmp_path / "bad")
    (folder / "media.csv").write_text(
        (folder / "media.csv").read_text().replace("image/jpeg", "picture/jpeg", 1)
    )
    with pytest.raises(PackageInvalid) as refused:
        import_package(registry.uow(), researcher, read_package(folder, background=True))
    pattern = "'picture/jpeg' does not match the pattern ^(image|video|audio)/.*$"
    assert refused.value.problems == [f"media, row 2, field fileMediatype: {pattern}"]
    assert stored(registry, camtrap_packages) == 1 and stored(registry, camtrap_observations) == 9


def test_a_rows_own_check_is_placed_at_its_table_and_row(registry: Registry, tmp_path: Path) -> None:
    make_world(registry)
    researcher, _ = scientists(registry)
    folder = write_small_passage(tmp_path / "p")
    table = folder / "kiik-malfunctions.csv"
    table.write_text(table.read_text().replace("2025-05-02T12:00:00+00:00", "2025-05-09T12:00:00+00:00"))
    with pytest.raises(MonitoringError) as refused:
        import_package(registry.uow(), researcher, read_package(folder))
    placed = place_of(refused.value.args[0])
    assert placed is not None and placed[0] == {"table": "kiik-malfunctions", "row": 2}
    assert str(refused.value).startswith(
        "kiik-malfunctions, row 2: malfunction of deployment d1: 2025-05-02 00:00:00+00:00 .. "
        "2025-05-09 12:00:00+00:00 lies outside the deployment"
    )
    assert stored(registry, camtrap_packages) == 0
