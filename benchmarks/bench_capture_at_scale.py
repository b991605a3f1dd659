"""Capture rate into a registry that already holds millions of events, beside the raw insert into the
same database in the same run: how much the size of the tables and their indexes slows capture.

    PG=postgresql://postgres@127.0.0.1:5432
    .venv/bin/python benchmarks/bench_history.py --db $PG/kiik_bench_history
    .venv/bin/python benchmarks/bench_capture_at_scale.py --db $PG/kiik_bench_history
    .venv/bin/python benchmarks/bench_history.py --db $PG/kiik_bench_10m --horns 1000000 --seasons 10
    .venv/bin/python benchmarks/bench_capture_at_scale.py --db $PG/kiik_bench_10m

`--statements` prints where the capture's time goes in SQL (statement by statement) and `--profile
FILE` writes a cProfile of it (read with `python -m pstats FILE`).

The first pair is the registry at 1,000,560 events, the second at 10,000,560 (issue 18 asks that
capture at ten million be no more than 20 % below capture at one million). Each run captures one new
document of harvest commissioning events under a new authorisation through the service (as `kiik
capture` does, every rule on, committed: the registry grows by that document), and inserts the same
events raw (event and identifier rows through the event store's bulk path) in a transaction it rolls
back, so the raw figure leaves nothing behind.
"""

from __future__ import annotations

import argparse
import cProfile
import random
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, event

sys.path.insert(0, str(Path(__file__).parent))

from bench_capture import raw_insert, through_service  # noqa: E402
from bench_history import event_count, make_orgs  # noqa: E402
from common import commissioning_document  # noqa: E402

from kiik.bootstrap.registry import Registry  # noqa: E402
from kiik.config import Settings  # noqa: E402
from kiik.db.engine import make_engine  # noqa: E402
from kiik.directory.domain.permissions import OrgKind, Principal, Role  # noqa: E402
from kiik.harvest.domain.authorisations import SAIGA  # noqa: E402
from kiik.harvest.services.authorisations import AuthoriseHarvest, authorise_harvest  # noqa: E402


@contextmanager
def statement_times(engine: Engine) -> Iterator[dict[str, list[float]]]:
    """Time spent in each SQL statement (by its first 90 characters) while the block runs."""
    spent: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
    started: list[float] = []

    def before(*_: object) -> None:
        started.append(time.perf_counter())

    def after(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        line = spent[" ".join(statement.split())[:90]]
        line[0] += time.perf_counter() - started.pop()
        line[1] += 1

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield spent
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def print_statements(spent: dict[str, list[float]], total: float) -> None:
    in_sql = sum(t for t, _ in spent.values())
    print(f"  {in_sql:.2f} s of {total:.2f} s in SQL statements; the most costly:")
    for statement, (seconds, calls) in sorted(spent.items(), key=lambda kv: -kv[1][0])[:12]:
        print(f"  {seconds:7.3f} s {calls:6d}x  {statement}")


def measured(run: Callable[[], float], engine: Engine, profile: str | None, statements: bool) -> float:
    """`run()` as it is, under cProfile (written to `profile`), and/or with its SQL statements timed."""
    profiler = cProfile.Profile() if profile else None
    with statement_times(engine) if statements else nullcontext() as spent:
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        rate = run()
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile)
        if spent is not None:
            print_statements(spent, time.perf_counter() - started)
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="a database built by bench_history.py")
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--profile", help="write a cProfile of the validated capture to this file")
    parser.add_argument("--statements", action="store_true", help="time the capture's SQL statements")
    args = parser.parse_args()
    engine = make_engine(args.db)
    registry = Registry(Settings(database_url=args.db), engine)
    before = event_count(engine)
    orgs = make_orgs(registry)
    ministry = Principal(orgs["ministry"].id, "ministry", "Ministry", OrgKind.MINISTRY, Role.ADMIN)
    team = orgs["harvester"]
    command = AuthoriseHarvest("harvester", "Ural", date(2025, 8, 1), date(2025, 12, 31), args.events)
    number = authorise_harvest(registry.uow(), ministry, command).authorisation.identifier
    origin = {
        "species": SAIGA,
        "population": "Ural",
        "sex": "male",
        "harvestPoint": "50.95,51.35",
        "harvestAuthorisation": number,
    }
    reference = f"9{random.randrange(10**5):05d}"  # a new item reference each run: new horns
    with tempfile.TemporaryDirectory() as folder:
        path = commissioning_document(Path(folder) / "doc.json", args.events, reference, team.site, origin)
        raw = raw_insert(registry, path, site=team.site, tag=f"raw-{random.getrandbits(40)}", keep=False)
        operator = Principal(team.id, "harvester", "Ural harvest team 1", OrgKind.HARVESTER, Role.OPERATOR)

        def capture() -> float:
            return through_service(registry, operator, path, args.events)

        service = measured(capture, engine, args.profile, args.statements)
    print(
        f"{engine.dialect.name} at {before:,} events: raw insert {raw:,.0f} events/s; validated capture "
        f"{service:,.0f} events/s ({service / raw:.0%} of raw), {args.events:,} events"
    )


if __name__ == "__main__":
    main()
