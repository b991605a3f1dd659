"""Stock report and stock-count latency at a season's scale, on the database of bench_history.py.

    .venv/bin/python benchmarks/bench_stock.py                    # SQLite, /tmp/kiik-bench-history.db
    .venv/bin/python benchmarks/bench_stock.py --db postgresql://postgres@127.0.0.1:5432/kiik_bench_history

The database (100,000 horns: the plant holds 80,000 consumed horns and 320 powder lots, the
warehouse 20,000 horns in stock) is built by bench_history.py when missing. Measured through the
services, as the API calls them: the stock report of the largest holder (every status, and what is
in stock), the ministry's report over every organisation, and the discrepancy list. Then a complete
stock count of the warehouse's 20,000 horns (three not found, two unknown codes, two weighed light)
is captured through the capture path and compared with the registry, in a transaction rolled back
after each run, so the database stays as it was.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).parent))

from bench_history import (  # noqa: E402
    DEFAULT_DB,
    START,
    build_database,
    database_url,
    event_count,
    horn,
    make_orgs,
    measure,
    needs_building,
    processed_horns_of,
    report,
    reset,
)

from kiik.bootstrap.migrate import upgrade  # noqa: E402
from kiik.bootstrap.registry import Registry
from kiik.config import Settings  # noqa: E402
from kiik.custody.adapters.tables import items  # noqa: E402
from kiik.custody.domain import processing_events as process  # noqa: E402
from kiik.custody.services.capture import capture_within  # noqa: E402
from kiik.custody.services.stock import list_discrepancies, stock_report  # noqa: E402
from kiik.db.engine import make_engine  # noqa: E402
from kiik.directory.domain.permissions import OrgKind, Principal, Role  # noqa: E402
from kiik.epcis.adapters.capture_source import open_capture_document  # noqa: E402
from kiik.epcis.domain import event_builders as build  # noqa: E402
from kiik.ledger.services.merkle_log import sequence_pending  # noqa: E402


def largest_holder(registry: Registry) -> tuple[int, int]:
    with registry.engine.connect() as connection:
        query = (
            select(items.c.holder_org_id, func.count())
            .group_by(items.c.holder_org_id)
            .order_by(func.count().desc())
            .limit(1)
        )
        org_id, count = connection.execute(query).one()
    return int(org_id), int(count)


def count_document(horns: int, site: str) -> bytes:
    """The warehouse's complete count: its horns less three, two unknown codes, two light horns."""
    rng = random.Random(7)
    held = [horn(n) for n in range(processed_horns_of(horns), horns)]
    missing = set(rng.sample(held, 3))
    listed = [h for h in held if h not in missing] + [
        "urn:epc:id:sgtin:4870099.000001.1",
        "urn:epc:id:sgtin:4870099.000001.2",
    ]
    light = {listed[0]: 0.10, listed[1]: 0.11}
    event = process.stock_taking(listed, START + timedelta(days=400), site, masses=light)
    return json.dumps(build.document([event])).encode()


def capture_count(registry: Registry, principal: Principal, data: bytes) -> tuple[float, int]:
    """Capture the count and compare it, then roll back: seconds taken and discrepancies found."""
    reader = open_capture_document(data)
    started = time.perf_counter()
    with registry.uow() as uow:
        outcome = capture_within(
            uow,
            principal,
            reader.events(),
            custody_rules=True,
            yields=registry.settings.yields,
            document_problems=reader.document_problems,
        )
        assert outcome.succeeded, outcome.errors[:3]
        found = len(uow.stock.discrepancies(org_id=None, open_only=True, limit=10_000))
        elapsed = time.perf_counter() - started
        uow.rollback()
    return elapsed, found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default=DEFAULT_DB, help=f"database URL (default {DEFAULT_DB})")
    parser.add_argument("--horns", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=50, help="runs per report measure")
    parser.add_argument("--counts", type=int, default=3, help="stock counts captured (each rolled back)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--seasons", type=int, default=1, help="as bench_history.py, when it builds")
    parser.add_argument("--rebuild", action="store_true", help="erase the database and build it afresh")
    args = parser.parse_args()

    url = database_url(args.db)
    engine = make_engine(url)
    upgrade(engine)
    registry = Registry(Settings(database_url=url), engine)
    if needs_building(engine, args.horns, args.rebuild):
        print(f"building the season of bench_history.py ({args.horns:,} horns) ...")
        reset(engine)
        build_database(engine, make_orgs(registry), args.horns, args.seed, args.seasons)
    orgs = make_orgs(registry)
    holder_id, held = largest_holder(registry)
    holder = next(o for o in orgs.values() if o.id == holder_id)
    ministry = orgs["ministry"].principal
    uow = registry.uow
    print(
        f"database: {engine.dialect.name}, {event_count(engine):,} events; largest holder "
        f"{holder.principal.org_code} with {held:,} items"
    )
    runs = [str(n) for n in range(args.samples)]
    results = [
        measure(
            f"stock report, largest holder ({holder.principal.org_code}), every status",
            runs,
            lambda _: stock_report(uow(), holder.principal, statuses=["all"]),
            warm_up=5,
        ),
        measure(
            f"stock report, largest holder ({holder.principal.org_code}), in stock",
            runs,
            lambda _: stock_report(uow(), holder.principal),
            warm_up=5,
        ),
        measure(
            "stock report, warehouse (20,000 horns in stock)",
            runs,
            lambda _: stock_report(uow(), orgs["warehouse"].principal),
            warm_up=5,
        ),
        measure(
            "stock report, ministry: every organisation, every status",
            runs,
            lambda _: stock_report(uow(), ministry, statuses=["all"]),
            warm_up=5,
        ),
        measure("discrepancy list, ministry", runs, lambda _: list_discrepancies(uow(), ministry), warm_up=5),
    ]
    report(results)
    with registry.uow() as unit:
        # The fixture's events were bulk-loaded: give them their leaves in the event log once, as
        # their capture would have, so a measured capture appends only its own.
        sequence_pending(unit)
        unit.commit()
    warehouse = orgs["warehouse"]
    operator = Principal(warehouse.id, "warehouse", "warehouse", OrgKind.WAREHOUSE, Role.OPERATOR)
    data = count_document(args.horns, warehouse.site)
    for _ in range(args.counts):
        seconds, found = capture_count(registry, operator, data)
        print(
            f"complete stock count of {args.horns - processed_horns_of(args.horns):,} horns captured and "
            f"compared: {seconds:.2f} s, {found} discrepancies"
        )


if __name__ == "__main__":
    main()
