"""Item history and lineage latency at a season's scale: 100,000 horns, over 1,000,000 events.

    .venv/bin/python benchmarks/bench_history.py                       # SQLite, /tmp/kiik-bench-history.db
    .venv/bin/python benchmarks/bench_history.py --db postgresql://postgres@127.0.0.1:5432/kiik_bench_history
    .venv/bin/python benchmarks/bench_history.py --horns 10000 --rebuild   # a smaller database, built afresh

The database is built once (and reused while it has the same size): organisations and sites
through the services, then events, identifiers and item states bulk-loaded with SQLAlchemy Core.
That is the fixture, not what is measured. Each horn has ten events of its own (commissioning with
its origin ILMD, shipping and receiving twice, stock counts, an inspection); 80% of the horns are
processed 250 at a time into powder lots, and four powder lots at a time into a lot of granules.

What is measured goes through the service functions, as the API calls them (each call opens its
own unit of work): item history, lineage (horns, powder lots back to 250 horns, granules back to
1,000 horns), and the EPCIS query MATCH_epc, for random items.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import random
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from sqlalchemy import JSON, Connection, Engine, Table, func, select, text

from kiik.bootstrap.migrate import upgrade
from kiik.bootstrap.registry import Registry
from kiik.config import Settings
from kiik.custody.adapters.tables import event_identifiers, events, item_origins, items
from kiik.custody.domain.origins import origin_rows
from kiik.custody.services.queries import query_events
from kiik.db.bulk_insert import insert_rows
from kiik.db.engine import make_engine, normalise_url
from kiik.db.metadata import metadata
from kiik.directory.domain.permissions import OrgKind, Principal, Role
from kiik.directory.services.auth import add_organisation, add_site
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.event_facts import read_event
from kiik.epcis.domain.identifiers import canonical_key
from kiik.inspection.trace import item_history, item_lineage

DEFAULT_DB = "sqlite:////tmp/kiik-bench-history.db"
START = datetime(2025, 7, 1, 6, 0, tzinfo=UTC)
LOT_SIZE = 250  # horns per powder lot
LOTS_PER_GRANULES = 4
PROCESSED_SHARE = 0.8
CHUNK = 20_000

# code, name, kind, company prefix
CAST = (
    ("harvester", "Ural harvest team 1", OrgKind.HARVESTER, "4870002"),
    ("warehouse", "State horn warehouse, Almaty", OrgKind.WAREHOUSE, "4870003"),
    ("plant", "Horn processing plant, Oral", OrgKind.PROCESSOR, "4870004"),
    ("trader", "Saiga Export LLP", OrgKind.TRADER, "4870005"),
    ("ministry", "Committee of Forestry and Wildlife", OrgKind.MINISTRY, "4870001"),
    ("inspector", "Forestry and wildlife inspectorate", OrgKind.INSPECTORATE, "4870007"),
)


@dataclass
class Org:
    id: int
    principal: Principal
    pgln: str
    site: str  # as written in events
    site_key: str  # canonical


def horn(n: int) -> str:
    return f"urn:epc:id:sgtin:4870002.000001.{n + 1}"


def powder_lot(n: int) -> str:
    return f"urn:epc:class:lgtin:4870004.000002.PWD-{n + 1}"


def granules_lot(n: int) -> str:
    return f"urn:epc:class:lgtin:4870004.000003.GRN-{n + 1}"


def database_url(db: str) -> str:
    """Create the PostgreSQL database named in the URL when it does not exist yet."""
    if db.startswith("sqlite"):
        return db
    url = normalise_url(db).replace("postgresql+psycopg://", "postgresql://")
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            admin.execute(f'CREATE DATABASE "{name}"')
    return url


def make_orgs(registry: Registry) -> dict[str, Org]:
    orgs: dict[str, Org] = {}
    for code, name, kind, prefix in CAST:
        with registry.uow() as uow:
            existing = uow.directory.organisation(code)
        pgln, site = f"urn:epc:id:pgln:{prefix}.00000", f"urn:epc:id:sgln:{prefix}.00000.0"
        org_id = existing.id if existing else add_organisation(registry.uow(), code, name, kind.value, pgln)
        if existing is None:
            add_site(registry.uow(), code, site, f"{name}: main site")
        principal = Principal(org_id, code, name, kind, Role.VIEWER)
        orgs[code] = Org(org_id, principal, pgln, site, canonical_key(site))
    return orgs


def write(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Rows (dicts with the same keys) through the registry's bulk path: COPY on PostgreSQL."""
    if not rows:
        return
    names = tuple(rows[0])
    encoded = {c.name for c in table.columns if isinstance(c.type, JSON)}
    insert_rows(
        connection, table, names,
        [tuple(json.dumps(row[n]) if n in encoded else row[n] for n in names) for row in rows],
    )


class Loader:
    """Rows for the events, identifiers and item states of the season, written in chunks."""

    def __init__(self, engine: Engine, orgs: dict[str, Org]) -> None:
        self.engine, self.orgs = engine, orgs
        self.event_rows: list[dict[str, Any]] = []
        self.identifier_rows: list[dict[str, Any]] = []
        self.origin_rows: list[dict[str, Any]] = []
        self.next_pk = 1
        self.written = 0

    def add(self, body: dict[str, Any], org: str) -> None:
        facts = read_event(body)
        pk = self.next_pk
        self.next_pk += 1
        digest = hashlib.sha256(str(pk).encode()).hexdigest()
        hash_id = f"ni:///sha-256;{digest}?ver=CBV2.0"
        self.event_rows.append({
            "id": pk, "hash_id": hash_id, "event_id": hash_id, "event_type": facts.event_type,
            "event_time": facts.event_time.replace(tzinfo=None),
            "record_time": facts.event_time + timedelta(minutes=30),
            "action": facts.action, "biz_step": facts.biz_step, "disposition": facts.disposition,
            "read_point": facts.read_point, "biz_location": facts.biz_location, "declares_error": False,
            "org_id": self.orgs[org].id, "capture_id": "bench", "body": body,
        })
        self.identifier_rows += [{"event_pk": pk, "role": r, "key": k} for r, k in facts.identifiers()]
        # The origin projection the capture rule keeps (custody.services.origin_rule).
        self.origin_rows += [
            {**row, "event_pk": pk, "event_id": hash_id, "hash_id": hash_id, "org_id": self.orgs[org].id,
             "event_time": facts.event_time.replace(tzinfo=None)}
            for row in origin_rows(facts)
        ]
        if len(self.event_rows) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.event_rows:
            return
        with self.engine.begin() as connection:
            write(connection, events, self.event_rows)
            write(connection, event_identifiers, self.identifier_rows)
            write(connection, item_origins, self.origin_rows)
        self.written += len(self.event_rows)
        self.event_rows, self.identifier_rows, self.origin_rows = [], [], []
        print(f"\r  {self.written:,} events loaded", end="", flush=True)


def harvested(n: int, per_season: int) -> datetime:
    """When horn n was harvested: seasons a year apart, a horn every 40 seconds within one."""
    season, k = divmod(n, per_season)
    return START + timedelta(days=365 * season, seconds=40 * k)


def _horn_events(
    n: int, mass: float, processed: bool, o: dict[str, Org], per_season: int
) -> Iterator[tuple[dict[str, Any], str]]:
    h, w, p = o["harvester"], o["warehouse"], o["plant"]
    t = harvested(n, per_season)
    day = timedelta(days=1)
    epcs = [horn(n)]
    origin = {
        "species": "Saiga tatarica", "population": "Ural", "animalID": f"URL-{t.year}-{n // 2 + 1}",
        "sex": "male", "harvestDate": t.date().isoformat(), "massKg": mass, "productType": "whole_horn",
        "harvestPoint": "50.95,51.35",
    }
    yield build.commissioning(epcs, t, h.site, ilmd=origin), "harvester"
    yield build.shipping(epcs, t + 2 * day, h.site, h.pgln, w.pgln, w.site), "harvester"
    yield build.receiving(epcs, t + 4 * day, w.site), "warehouse"
    for k in range(3):
        yield build.stock_count(epcs, t + (10 + 10 * k) * day, w.site), "warehouse"
    inspection = build.stock_count(epcs, t + 45 * day, w.site)
    inspection["bizStep"] = "inspecting"
    yield inspection, "inspector"
    if processed:
        yield build.shipping(epcs, t + 50 * day, w.site, w.pgln, p.pgln, p.site), "warehouse"
        yield build.receiving(epcs, t + 52 * day, p.site), "plant"
        yield build.stock_count(epcs, t + 53 * day, p.site), "plant"
    else:
        for k in range(3):
            yield build.stock_count(epcs, t + (60 + 10 * k) * day, w.site), "warehouse"


def build_database(engine: Engine, orgs: dict[str, Org], horns: int, seed: int, seasons: int = 1) -> None:
    """The horns split into `seasons` seasons a year apart (the oldest processed first)."""
    rng = random.Random(seed)
    masses = [round(rng.uniform(0.20, 0.32), 3) for _ in range(horns)]
    processed = processed_horns_of(horns)
    per_season = -(-horns // seasons)
    loader = Loader(engine, orgs)
    for n in range(horns):
        for body, org in _horn_events(n, masses[n], n < processed, orgs, per_season):
            loader.add(body, org)
    p, t = orgs["plant"], orgs["trader"]
    item_rows: list[dict[str, Any]] = []
    lot_masses: list[float] = []
    lot_times: list[datetime] = []
    for lot in range(processed // LOT_SIZE):
        inputs = list(range(lot * LOT_SIZE, (lot + 1) * LOT_SIZE))
        kg = round(sum(masses[i] for i in inputs) * 0.85, 3)
        lot_masses.append(kg)
        # Two months after its last horn was harvested (its horns reached the plant 52 days after).
        when = harvested(inputs[-1], per_season) + timedelta(days=60, minutes=lot % 60)
        lot_times.append(when)
        loader.add(build.transformation([horn(i) for i in inputs], [(powder_lot(lot), kg)], when, p.site,
                                        "powder"), "plant")
        item_rows.append(_item(powder_lot(lot), True, p, "consumed", kg, "powder", when, quantity=0.0))
    for g in range(len(lot_masses) // LOTS_PER_GRANULES):
        lots = range(g * LOTS_PER_GRANULES, (g + 1) * LOTS_PER_GRANULES)
        kg = round(sum(lot_masses[i] for i in lots) * 0.9, 3)
        when = lot_times[lots[-1]] + timedelta(days=30)
        used = [(powder_lot(i), lot_masses[i]) for i in lots]
        loader.add(build.transformation([], [(granules_lot(g), kg)], when, p.site, "granules",
                                        input_quantities=used), "plant")
        lines = [{"epcClass": granules_lot(g), "quantity": kg, "uom": "KGM"}]
        shipped = build.shipping([], when + timedelta(days=1), p.site, p.pgln, t.pgln, t.site)
        received = build.receiving([], when + timedelta(days=2), t.site)
        for body, org in ((shipped, "plant"), (received, "trader")):
            del body["epcList"]
            body["quantityList"] = lines
            loader.add(body, org)
        item_rows.append(_item(granules_lot(g), True, t, "active", kg, "granules", when + timedelta(days=2),
                               quantity=kg))
    loader.flush()
    print()
    w = orgs["warehouse"]
    for n in range(horns):
        holder = p if n < processed else w
        item_rows.append(_item(horn(n), False, holder, "consumed" if n < processed else "active", masses[n],
                               "whole_horn", harvested(n, per_season) + timedelta(days=53)))
    with engine.begin() as connection:
        for start in range(0, len(item_rows), CHUNK):
            write(connection, items, item_rows[start : start + CHUNK])
        if engine.dialect.name == "postgresql":
            connection.execute(
                text("SELECT setval(pg_get_serial_sequence('events', 'id'), max(id)) FROM events")
            )
    analyse(engine)


def _item(code: str, is_class: bool, holder: Org, status: str, kg: float, product: str, when: datetime,
          quantity: float | None = None) -> dict[str, Any]:
    return {
        "key": canonical_key(code), "is_class": is_class, "holder_org_id": holder.id,
        "site": holder.site_key, "status": status, "parent_key": None, "quantity": quantity,
        "uom": "KGM" if is_class else None, "mass_kg": kg, "product_type": product,
        "species": "Saiga tatarica", "destination_org_id": None, "last_event_time": when.isoformat(),
    }


def analyse(engine: Engine) -> None:
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))


def reset(engine: Engine) -> None:
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(t.name for t in metadata.sorted_tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            # Twice: deleting items and harvested horns writes their running totals (triggers).
            for table in [*reversed(metadata.sorted_tables), *reversed(metadata.sorted_tables)]:
                connection.execute(table.delete())


def event_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(events)) or 0)


def needs_building(engine: Engine, horns: int, rebuild: bool) -> bool:
    """Build only an empty database, or on --rebuild. A registry that a capture benchmark has grown
    (more events than were built) is measured as it is; one with fewer is refused, never erased:
    ten million events take more than an hour to build."""
    total = event_count(engine)
    if rebuild or total == 0:
        return True
    if total < expected_events(horns):
        raise SystemExit(
            f"the database holds {total:,} events, fewer than the {expected_events(horns):,} built for "
            f"{horns:,} horns: give the --horns (and --seasons) it was built with, or --rebuild to erase "
            "it and build it afresh"
        )
    return False


def processed_horns_of(horns: int) -> int:
    """Horns that go into powder: whole granules lots' worth of the processed share."""
    batch = LOT_SIZE * LOTS_PER_GRANULES
    return int(horns * PROCESSED_SHARE) // batch * batch


def expected_events(horns: int) -> int:
    lots = processed_horns_of(horns) // LOT_SIZE
    return horns * 10 + lots + (lots // LOTS_PER_GRANULES) * 3


# CPU time of this process per measure: on a shared machine, wall time also counts waiting for a
# core; on SQLite the CPU time is all the work (on PostgreSQL, the client's part of it).
CPU_MS: dict[str, list[float]] = {}


def measure(
    name: str, codes: list[str], call: Callable[[str], Any], warm_up: int = 50
) -> tuple[str, list[float]]:
    for code in codes[:warm_up]:
        call(code)
    samples, cpu = [], []
    for code in codes:
        started, used = time.perf_counter(), time.process_time()
        call(code)
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    CPU_MS[name] = cpu
    return name, samples


def _p95(ordered: list[float]) -> float:
    return ordered[min(len(ordered) - 1, int(round(len(ordered) * 0.95)) - 1)]


def report(results: list[tuple[str, list[float]]]) -> None:
    print(f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())} on {os.cpu_count()} CPUs")
    columns = ("calls", "p50 ms", "p95 ms", "max ms", "cpu p50", "cpu p95")
    print(f"{'measure':58} {columns[0]:>6} " + " ".join(f"{c:>8}" for c in columns[1:]))
    for name, samples in results:
        if not samples:
            print(f"{name:58} {0:6d}  (none at this size)")
            continue
        ordered, cpu = sorted(samples), sorted(CPU_MS.get(name, [0.0]))
        print(
            f"{name:58} {len(samples):6d} {statistics.median(ordered):8.2f} {_p95(ordered):8.2f} "
            f"{ordered[-1]:8.2f} {statistics.median(cpu):8.2f} {_p95(cpu):8.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default=DEFAULT_DB, help=f"database URL (default {DEFAULT_DB})")
    parser.add_argument("--horns", type=int, default=100_000, help="horns in the season (10 events each)")
    parser.add_argument("--samples", type=int, default=1000, help="random items per measure")
    parser.add_argument("--seasons", type=int, default=1,
                        help="seasons a year apart (10,000,000 events: --horns 1000000 --seasons 10)")
    parser.add_argument("--rebuild", action="store_true", help="build the database afresh")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()

    url = database_url(args.db)
    engine = make_engine(url)
    upgrade(engine)
    registry = Registry(Settings(database_url=url), engine)
    wanted = expected_events(args.horns)
    if needs_building(engine, args.horns, args.rebuild):
        print(f"building {wanted:,} events for {args.horns:,} horns on {engine.dialect.name} ...")
        started = time.perf_counter()
        reset(engine)
        orgs = make_orgs(registry)
        build_database(engine, orgs, args.horns, args.seed, args.seasons)
        print(f"built in {time.perf_counter() - started:.0f} s")
    orgs = make_orgs(registry)
    total = event_count(engine)
    rng = random.Random(args.seed + 1)
    horns = [horn(n) for n in rng.sample(range(args.horns), min(args.samples, args.horns))]
    processed = processed_horns_of(args.horns)
    lots = [powder_lot(n) for n in range(processed // LOT_SIZE)]
    granules = [granules_lot(n) for n in range(len(lots) // LOTS_PER_GRANULES)]
    ministry, plant = orgs["ministry"].principal, orgs["plant"].principal
    processed_horns = [horn(n) for n in rng.sample(range(processed), min(args.samples, processed))]
    uow = registry.uow

    print(f"database: {engine.dialect.name} ({url.split('@')[-1]}), {total:,} events, {args.horns:,} horns, "
          f"{len(lots)} powder lots, {len(granules)} granules lots")
    gc.freeze()  # what set-up made, out of the collector's full collections, as `kiik serve` does
    results = [
        measure("item history, ministry (sees all)", horns, lambda c: item_history(uow(), ministry, c)),
        measure("item history, the holder (scoped)", processed_horns,
                lambda c: item_history(uow(), plant, c)),
        measure("lineage of a horn (back to itself, forward 2 levels)", horns,
                lambda c: item_lineage(uow(), ministry, c)),
        measure(f"lineage of a powder lot (back to {LOT_SIZE} horns)", lots,
                lambda c: item_lineage(uow(), ministry, c), warm_up=10),
        measure(f"lineage of a granules lot (back to {LOT_SIZE * LOTS_PER_GRANULES} horns)", granules,
                lambda c: item_lineage(uow(), ministry, c), warm_up=5),
        measure("EPCIS query MATCH_epc=<horn>, ministry", horns,
                lambda c: query_events(uow(), ministry, [("MATCH_epc", c)])),
        measure("EPCIS query MATCH_epc=<horn>, the holder (scoped)", processed_horns,
                lambda c: query_events(uow(), plant, [("MATCH_epc", c)])),
    ]
    report(results)


if __name__ == "__main__":
    main()
