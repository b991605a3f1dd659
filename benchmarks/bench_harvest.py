"""Harvest: importing a field sheet, the harvest rule's cost at capture, and point-in-polygon.

    .venv/bin/python benchmarks/bench_harvest.py [--horns 20000] [--db postgresql://postgres@127.0.0.1:5432/postgres]

For each database: a sheet of N horns (two per male) is imported through the service (read,
checked, captured as one document with the harvest rule, recorded under its key), then sent
again (answered from the import record); then the same number of harvest events is captured
as an EPCIS document with the harvest rule at work, beside as many commissionings that are no
harvest (no species, so the rule passes them by): the difference is what the rule costs.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from common import fresh_registry  # noqa: E402

from kiik.bootstrap.registry import Registry  # noqa: E402
from kiik.custody.services.capture import capture_events  # noqa: E402
from kiik.directory.domain.permissions import OrgKind, Principal, Role  # noqa: E402
from kiik.directory.services.auth import add_organisation, add_site  # noqa: E402
from kiik.epcis.adapters.barcodes import parse_scanned  # noqa: E402
from kiik.epcis.adapters.capture_source import open_capture_document  # noqa: E402
from kiik.epcis.domain import event_builders as build  # noqa: E402
from kiik.epcis.domain.event_facts import read_event  # noqa: E402
from kiik.harvest.domain.authorisations import SAIGA, HarvestAuthorisation, Population  # noqa: E402
from kiik.harvest.domain.geo import Point  # noqa: E402
from kiik.harvest.domain.populations import population_range  # noqa: E402
from kiik.harvest.domain.rules import AuthorisationTally, accept, check_harvest, harvest_claim  # noqa: E402
from kiik.harvest.services.authorisations import AuthoriseHarvest, authorise_harvest  # noqa: E402
from kiik.harvest.services.sheet_import import CapturePath, ImportHarvestSheet, import_harvest_sheet  # noqa: E402

SITE = "urn:epc:id:sgln:4870002.00000.0"
HEADER = (
    "animal_id,sex,age_class,harvest_time,latitude,longitude,authorisation,datamatrix,mass_kg,length_cm\n"
)


def points_in_ural(count: int, seed: int = 7) -> list[Point]:
    area, chosen = population_range(Population.URAL), []
    rng = random.Random(seed)
    west, south, east, north = area.bounds
    while len(chosen) < count:
        point = Point(latitude=rng.uniform(south, north), longitude=rng.uniform(west, east))
        if area.contains(point):
            chosen.append(point)
    return chosen


def setup(registry: Registry, animals: int) -> tuple[Principal, list[str]]:
    add_organisation(registry.uow(), "ministry", "Ministry", "ministry", "urn:epc:id:pgln:4870001.00000")
    team_id = add_organisation(
        registry.uow(), "team", "Ural team", "harvester", "urn:epc:id:pgln:4870002.00000"
    )
    add_site(registry.uow(), "team", SITE, "Camp")
    ministry = Principal(1, "ministry", "Ministry", OrgKind.MINISTRY, Role.ADMIN)
    numbers = [
        authorise_harvest(
            registry.uow(),
            ministry,
            AuthoriseHarvest("team", "Ural", date(2025, 8, 1), date(2025, 12, 31), animals),
        ).authorisation.number
        for _ in range(2)
    ]
    return Principal(team_id, "team", "Ural team", OrgKind.HARVESTER, Role.OPERATOR), numbers


def sheet(horns: int, number: str) -> bytes:
    start = datetime(2025, 9, 1, 7, 0)
    lines = [HEADER]
    for n, point in enumerate(points_in_ural(horns // 2)):
        moment = (start + timedelta(minutes=n)).isoformat() + "+05:00"
        for side in (1, 2):
            serial = 2 * n + side
            lines.append(
                f"A-{n},male,adult,{moment},{point.latitude:.5f},{point.longitude:.5f},{number},"
                f"(01)04870002000010(21){serial},0.25,27\n"
            )
    return "".join(lines).encode()


def harvest_document(horns: int, number: str | None, item_reference: str) -> bytes:
    start = datetime(2025, 9, 2, 6, 0, tzinfo=UTC)
    events = []
    for n, point in enumerate(points_in_ural(horns, seed=11)):
        origin = {"massKg": 0.25, "productType": "whole_horn", "animalID": f"B-{n // 2}"}
        if number:
            origin |= {"species": SAIGA, "population": "Ural", "sex": "male", "harvestPoint": point.text(),
                       "harvestAuthorisation": number}  # fmt: skip
        epc = f"urn:epc:id:sgtin:4870002.{item_reference}.{n + 1}"
        events.append(build.commissioning([epc], start + timedelta(seconds=n), SITE, ilmd=origin))
    return json.dumps(build.document(events)).encode()


def timed_capture(registry: Registry, team: Principal, data: bytes) -> float:
    reader = open_capture_document(data)
    begin = time.perf_counter()
    outcome = capture_events(
        registry.uow(), team, reader.events(), custody_rules=True, yields=registry.settings.yields,
        document_problems=reader.document_problems,
    )  # fmt: skip
    elapsed = time.perf_counter() - begin
    assert outcome.succeeded, outcome.errors[:3]
    return elapsed


def run(db: str | None, horns: int) -> None:
    label = "SQLite" if db is None else "PostgreSQL"
    with fresh_registry(db) as registry:
        team, (first, second) = setup(registry, horns)
        path = CapturePath(open_capture_document, True, registry.settings.yields, read_code=parse_scanned)
        data = sheet(horns, first)
        begin = time.perf_counter()
        outcome = import_harvest_sheet(registry.uow(), team, ImportHarvestSheet(data, "bench"), path)
        imported = time.perf_counter() - begin
        assert outcome.status == "recorded", outcome.errors[:3]
        begin = time.perf_counter()
        again = import_harvest_sheet(registry.uow(), team, ImportHarvestSheet(data, "bench"), path)
        replayed = time.perf_counter() - begin
        assert again.status == "replayed"
        with_rule = timed_capture(registry, team, harvest_document(horns, second, "000002"))
        without = timed_capture(registry, team, harvest_document(horns, None, "000003"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{label}: sheet of {horns} horns ({len(data) / 1e6:.1f} MB) imported in {imported:.1f} s "
          f"({horns / imported:,.0f} horns/s); sent again: answered in {replayed * 1000:.0f} ms")  # fmt: skip
    cost = (with_rule - without) / horns * 1e6
    print(f"{label}: capture of {horns} harvest events {with_rule:.1f} s ({horns / with_rule:,.0f}/s) with "
          f"the harvest rule, {without:.1f} s ({horns / without:,.0f}/s) for plain commissionings; "
          f"rule cost {cost:.0f} us/event; peak RSS so far {peak:.0f} MB")  # fmt: skip


def point_in_polygon(count: int = 200_000) -> None:
    area = population_range(Population.URAL)
    rng = random.Random(3)
    points = [Point(latitude=rng.uniform(40, 55), longitude=rng.uniform(44, 60)) for _ in range(count)]
    begin = time.perf_counter()
    inside = sum(area.contains(p) for p in points)
    elapsed = time.perf_counter() - begin
    print(f"point-in-polygon (Ural range, {len(area.polygons[0].exterior)} vertices): {count} points in "
          f"{elapsed:.2f} s, {elapsed / count * 1e6:.1f} us/point ({inside} inside)")  # fmt: skip


def rule_in_memory(count: int = 20_000) -> None:
    """The harvest rule's own work per event (read the claim, check it, count it), without storage."""
    authorisation = HarvestAuthorisation(
        "KZ-2025-URL-001", 2, "team", SAIGA, Population.URAL, population_range(Population.URAL),
        date(2025, 8, 1), date(2025, 12, 31), count,
    )  # fmt: skip
    documents = [json.loads(harvest_document(count, "KZ-2025-URL-001", "000009"))["epcisBody"]["eventList"]]
    pairs = [(read_event(event), event) for event in documents[0]]
    tally = AuthorisationTally()
    begin = time.perf_counter()
    for facts, event in pairs:
        claim = harvest_claim(facts, event)
        assert claim is not None
        assert not check_harvest(claim, authorisation, tally, 2, "team")
        accept(claim, tally)
    elapsed = time.perf_counter() - begin
    print(f"harvest rule in memory: {count} events in {elapsed:.2f} s, {elapsed / count * 1e6:.0f} us/event")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--horns", type=int, default=20_000)
    parser.add_argument("--db", action="append", default=None, help="a PostgreSQL admin URL (besides SQLite)")
    args = parser.parse_args()
    point_in_polygon()
    rule_in_memory(args.horns)
    for db in [None, *(args.db or [])]:
        run(db, args.horns)


if __name__ == "__main__":
    main()
