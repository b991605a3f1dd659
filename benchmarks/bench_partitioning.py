"""Would partitioning `events` by time help? Measured on a registry built by bench_history.py.

    .venv/bin/python benchmarks/bench_history.py --db $PG/kiik_bench_10m --horns 1000000 --seasons 10
    .venv/bin/python benchmarks/bench_partitioning.py --db postgresql://postgres@127.0.0.1:5432/kiik_bench_10m

The script copies `events` into `events_by_year`, partitioned by record time (one partition a
year, as an operator would keep recent events hot and old ones cold), with the same indexes, except
that PostgreSQL demands the partition key in every unique index: the primary key becomes
(id, record_time) and the registry's one-event-per-hash-ID rule (unique `(hash_id,
declares_error)`) can no longer be enforced by the table. Then it runs the same statements against
both tables, for random items and random weeks, and drops the copy:

- an item's history: its events through `event_identifiers` (the look-up of item history,
  lineage and stock, which never knows the time it looks for);
- a week's events of one organisation (`GE_recordTime`/`LT_recordTime` with the caller's scope,
  the shape of the ministry's reports and a subscription's catch-up);
- a count of a whole month of events (where pruning partitions is at its best).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import timedelta

import psycopg

COPY_TABLE = "events_by_year"


def build_copy(db: psycopg.Connection) -> None:
    first, last = db.execute("SELECT min(record_time), max(record_time) FROM events").fetchone()  # type: ignore[misc]
    db.execute(f"DROP TABLE IF EXISTS {COPY_TABLE}")
    db.execute(f"CREATE TABLE {COPY_TABLE} (LIKE events INCLUDING DEFAULTS) PARTITION BY RANGE (record_time)")
    for year in range(first.year, last.year + 1):
        db.execute(
            f"CREATE TABLE {COPY_TABLE}_{year} PARTITION OF {COPY_TABLE} "
            f"FOR VALUES FROM ('{year}-01-01') TO ('{year + 1}-01-01')"
        )
    started = time.perf_counter()
    db.execute(f"INSERT INTO {COPY_TABLE} SELECT * FROM events")
    for statement in (
        f"ALTER TABLE {COPY_TABLE} ADD PRIMARY KEY (id, record_time)",
        f"CREATE INDEX ON {COPY_TABLE} (event_id)",
        f"CREATE INDEX ON {COPY_TABLE} (event_time)",
        f"CREATE INDEX ON {COPY_TABLE} (record_time)",
        f"CREATE INDEX ON {COPY_TABLE} (org_id, record_time, id)",
        f"CREATE INDEX ON {COPY_TABLE} (org_id, event_time, id)",
        f"CREATE INDEX ON {COPY_TABLE} (hash_id, declares_error)",  # not unique: it cannot be
    ):
        db.execute(statement)
    db.execute(f"ANALYZE {COPY_TABLE}")
    print(
        f"copied into {last.year - first.year + 1} yearly partitions in {time.perf_counter() - started:.0f} s"
    )


def timed(db: psycopg.Connection, statement: str, params: list[tuple[object, ...]]) -> list[float]:
    for p in params[:20]:
        db.execute(statement, p).fetchall()
    samples = []
    for p in params:
        began = time.perf_counter()
        db.execute(statement, p).fetchall()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", required=True, help="a PostgreSQL registry built by bench_history.py")
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--keep", action="store_true", help="keep the partitioned copy")
    parser.add_argument("--reuse", action="store_true", help="measure a copy kept by an earlier --keep")
    args = parser.parse_args()
    rng = random.Random(7)
    with psycopg.connect(args.db, autocommit=True) as db:
        total = db.execute("SELECT count(*) FROM events").fetchone()[0]  # type: ignore[index]
        print(f"{total:,} events")
        exists = db.execute("SELECT to_regclass(%s) IS NOT NULL", (COPY_TABLE,)).fetchone()[0]  # type: ignore[index]
        if args.reuse and exists:
            print(f"{COPY_TABLE} kept from an earlier run")
        else:
            build_copy(db)
        keys = [
            row[0]
            for row in db.execute(
                "SELECT key FROM items TABLESAMPLE SYSTEM (1) WHERE NOT is_class LIMIT %s", (args.samples,)
            )
        ]
        orgs = [row[0] for row in db.execute("SELECT DISTINCT org_id FROM events")]
        first, last = db.execute("SELECT min(record_time), max(record_time) FROM events").fetchone()  # type: ignore[misc]
        span = (last - first).total_seconds()
        weeks = [
            (rng.choice(orgs), first + timedelta(seconds=rng.uniform(0, span))) for _ in range(args.samples)
        ]
        months = [
            (first + timedelta(seconds=rng.uniform(0, span)),) for _ in range(max(20, args.samples // 10))
        ]
        measures: list[tuple[str, str, list[tuple[object, ...]]]] = [
            (
                "an item's history (by identifier)",
                "SELECT e.id, e.body FROM event_identifiers i JOIN {t} e ON e.id = i.event_pk "
                "WHERE i.key = %s ORDER BY e.event_time",
                [(k,) for k in keys],
            ),
            (
                "a week of one organisation's events (ids, times)",
                "SELECT id, record_time FROM {t} WHERE org_id = %s AND record_time >= %s "
                "AND record_time < %s::timestamptz + interval '7 days' ORDER BY record_time, id",
                [(o, t, t) for o, t in weeks],
            ),
            (
                "count of a month of events",
                "SELECT count(*) FROM {t} "
                "WHERE record_time >= %s AND record_time < %s::timestamptz + interval '30 days'",
                [(t, t) for (t,) in months],
            ),
        ]
        print(f"{'measure':52} {'table':16} {'p50 ms':>8} {'p95 ms':>8}")
        for name, statement, params in measures:
            for table in ("events", COPY_TABLE):
                samples: list[float] = timed(db, statement.format(t=table), params)
                ordered = sorted(samples)
                p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
                print(f"{name:52} {table:16} {statistics.median(ordered):8.2f} {p95:8.2f}")
        if not args.keep:
            db.execute(f"DROP TABLE {COPY_TABLE}")


if __name__ == "__main__":
    main()
