"""Enforcement at scale: matching a seizure of 10,000 codes against a registry of 1,000,000 items,
and analytics over 10,000 seizures.

    .venv/bin/python benchmarks/bench_enforcement.py                  # SQLite
    .venv/bin/python benchmarks/bench_enforcement.py --db postgresql://postgres@127.0.0.1:5432/postgres

The registry is written in bulk (not through capture, which bench_capture.py measures): 1,000,000
whole horns held by 100 organisations in ten regions, each commissioned in an event of 1,000 horns
(one `events` row and 1,000 `event_identifiers` rows each). The seizure holds 10,000 codes: 6,000
of items in stock (leaks, from 7 events), 2,000 of processed items (re-use), 2,000 never issued.
Measured through the services: matching alone (`match_seizure`: custody states, last events,
verdicts), then recording the whole seizure (matching, rows, the EPCIS seizure event of 8,000
codes through capture, what else each holder still holds of the same event, alerts), rolled back
after each run. Then 10,000 seizures (two specimen lines and five codes each) are written in bulk
and the analytics of a year asked for (breakdowns, map, leak shares, indices).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from common import fresh_registry  # noqa: E402

from kiik.custody.adapters.tables import event_identifiers, events, items  # noqa: E402
from kiik.db.bulk_insert import insert_rows  # noqa: E402
from kiik.directory.domain.permissions import OrgKind, Principal, Role  # noqa: E402
from kiik.directory.services.auth import add_organisation, add_site  # noqa: E402
from kiik.enforcement.adapters.tables import org_regions, seized_codes, seizure_specimens, seizures  # noqa: E402
from kiik.enforcement.domain.seizure import NewSeizure, Route, RouteCountry, Specimen  # noqa: E402
from kiik.enforcement.services.analytics import seizure_analytics  # noqa: E402
from kiik.enforcement.services.matching import match_seizure, record_matched  # noqa: E402
from kiik.species.services.register import seed_register  # noqa: E402

PER_EVENT = 1000
HOLDERS = 100


def key(n: int) -> str:
    return f"https://id.gs1.org/01/04870002000010/21/{n}"


def build_registry(registry, total: int) -> Principal:  # type: ignore[no-untyped-def]
    seed_register(registry.uow(), quotas=False)
    orgs = [
        add_organisation(registry.uow(), f"holder-{h}", f"Holder {h}", OrgKind.WAREHOUSE.value)
        for h in range(HOLDERS)
    ]
    customs = add_organisation(registry.uow(), "customs", "Customs", OrgKind.CUSTOMS.value)
    add_site(registry.uow(), "customs", "urn:epc:id:sgln:4870006.00000.0", "Customs post")
    moment = datetime(2025, 9, 1)
    with registry.engine.begin() as connection:
        insert_rows(connection, org_regions, ("org_id", "region"), [(o, f"Region {o % 10}") for o in orgs])
        for start in range(0, total, 100_000):
            batch = range(start, min(total, start + 100_000))
            first_event = start // PER_EVENT + 1
            event_rows = [
                (
                    e,
                    f"ni:///sha-256;{e}",
                    f"urn:uuid:bench-{e}",
                    "ObjectEvent",
                    moment,
                    moment,
                    "ADD",
                    "commissioning",
                    False,
                    orgs[(e - 1) % HOLDERS],
                    "{}",
                )
                for e in range(first_event, first_event + len(batch) // PER_EVENT)
            ]
            insert_rows(
                connection,
                events,
                (
                    "id",
                    "hash_id",
                    "event_id",
                    "event_type",
                    "event_time",
                    "record_time",
                    "action",
                    "biz_step",
                    "declares_error",
                    "org_id",
                    "body",
                ),
                event_rows,
            )
            insert_rows(
                connection,
                event_identifiers,
                ("event_pk", "role", "key"),
                [(n // PER_EVENT + 1, "epc", key(n)) for n in batch],
            )
            insert_rows(
                connection,
                items,
                ("key", "is_class", "holder_org_id", "status", "product_type", "species"),
                [
                    (
                        key(n),
                        False,
                        orgs[(n // PER_EVENT) % HOLDERS],
                        "consumed" if n % 10 == 9 else "active",
                        "whole_horn",
                        "Saiga tatarica",
                    )
                    for n in batch
                ],
            )
        if connection.dialect.name == "postgresql":  # ids were given: the sequence goes on after them
            connection.exec_driver_sql(
                "SELECT setval(pg_get_serial_sequence('events', 'id'), max(id)) FROM events"
            )
    return Principal(customs, "customs", "Customs", OrgKind.CUSTOMS, Role.OPERATOR)


def seizure_of(total: int, codes: int) -> NewSeizure:
    leaks = [key(n) for n in range(0, 7 * PER_EVENT) if n % 10 != 9][: int(codes * 0.6)]
    reused = [key(n) for n in range(9, total, 10)][: int(codes * 0.2)]
    forged = [key(total + n) for n in range(codes - len(leaks) - len(reused))]
    return NewSeizure(
        "BENCH-1",
        date(2026, 6, 23),
        "Customs",
        "x-ray",
        "Saiga tatarica",
        (Specimen("HOR", codes, "NAR", tuple(leaks + reused + forged)),),
        route=Route(RouteCountry("KZ", True), None, (RouteCountry("KG"),), RouteCountry("CN")),
    )


def timed(call) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def bulk_seizures(registry, count: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(3)
    countries = ["KZ", "KG", "UZ", "TJ", "CN", "RU"]
    methods = ["x-ray", "intelligence", "document check", "sniffer dog", "patrol"]
    now = datetime.now(UTC).replace(tzinfo=None)
    with registry.engine.begin() as connection:
        insert_rows(
            connection,
            seizures,
            (
                "id",
                "reference",
                "status",
                "seized_on",
                "reporting_country",
                "region",
                "latitude",
                "longitude",
                "agency",
                "detection_method",
                "species",
                "route",
                "recorded_at",
            ),
            [
                (
                    s,
                    f"S-{s}",
                    "recorded",
                    date(2025, 1, 1) + timedelta(days=rng.randrange(365)),
                    rng.choice(countries),
                    f"Region {s % 10}",
                    40 + rng.random() * 10,
                    50 + rng.random() * 30,
                    "Customs",
                    rng.choice(methods),
                    rng.choice(["Saiga tatarica", "Testudo horsfieldii"]),
                    json.dumps(
                        {
                            "origin": {"country": "KZ", "known": True},
                            "transit": [{"country": rng.choice(countries), "known": False}],
                            "destination": {"country": "CN", "known": False},
                        }
                    ),
                    now,
                )
                for s in range(1, count + 1)
            ],
        )
        insert_rows(
            connection,
            seizure_specimens,
            ("seizure_id", "term", "quantity", "unit", "marked"),
            [
                (s, t, q, u, m)
                for s in range(1, count + 1)
                for t, q, u, m in (("HOR", 40, "NAR", 5), ("POW", 2.5, "KGM", 0))
            ],
        )
        insert_rows(
            connection,
            seized_codes,
            (
                "seizure_id",
                "code",
                "verdict",
                "reason",
                "explanation",
                "holder_org_id",
                "holder_region",
                "details",
                "disposition",
            ),
            [
                (
                    s,
                    key(s * 5 + c),
                    "leak" if c < 2 else "forgery",
                    "registered" if c < 2 else "never_issued",
                    "",
                    1 + (s % HOLDERS) if c < 2 else None,
                    f"Region {s % 10}" if c < 2 else None,
                    "{}",
                    "seized",
                )
                for s in range(1, count + 1)
                for c in range(5)
            ],
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default=None)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--codes", type=int, default=10_000)
    parser.add_argument("--seizures", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with fresh_registry(args.db) as registry:
        started = time.perf_counter()
        customs = build_registry(registry, args.items)
        print(f"registry of {args.items:,} items written in {time.perf_counter() - started:.1f} s")
        seizure = seizure_of(args.items, args.codes)

        def match() -> None:
            with registry.uow() as uow:
                found = match_seizure(uow, seizure)
            assert sum(m.leaked for m in found) == int(args.codes * 0.6), "the leaks were not all found"

        def record() -> None:
            with registry.uow() as uow:
                record_matched(uow, customs, seizure, "recorded")
                uow.rollback()

        matching = [timed(match) for _ in range(args.runs)]
        recording = [timed(record) for _ in range(max(1, args.runs // 2))]
        print(
            f"match {args.codes:,} codes: median {statistics.median(matching):.3f} s "
            f"(runs: {', '.join(f'{t:.3f}' for t in matching)})"
        )
        print(
            f"record the seizure (match, rows, seizure event through capture, alerts): median "
            f"{statistics.median(recording):.3f} s (runs: {', '.join(f'{t:.3f}' for t in recording)})"
        )
        started = time.perf_counter()
        bulk_seizures(registry, args.seizures)
        print(f"{args.seizures:,} seizures written in {time.perf_counter() - started:.1f} s")
        asked = []
        for _ in range(args.runs):
            start = time.perf_counter()
            answer = seizure_analytics(
                registry.uow(), customs, date(2025, 1, 1), date(2025, 12, 31), {"KZ": 0.4, "KG": 0.1}
            )
            asked.append(time.perf_counter() - start)
        assert answer["seizures"] == args.seizures
        print(
            f"analytics over {args.seizures:,} seizures: median {statistics.median(asked):.3f} s "
            f"(runs: {', '.join(f'{t:.3f}' for t in asked)})"
        )


if __name__ == "__main__":
    main()
