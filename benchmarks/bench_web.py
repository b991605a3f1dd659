"""Server-side render times of the pages over a demo season, and the JavaScript each page ships.

.venv/bin/python benchmarks/bench_web.py --db sqlite:////tmp/season.db [--requests 40]
.venv/bin/python benchmarks/bench_web.py --horns 2000          # makes a season first (kiik demo)
.venv/bin/python benchmarks/bench_web.py --db postgresql://postgres@127.0.0.1:5432/kiik_bench_web_100k \
    --horns 100000                                             # its own database, made if missing

The database should hold a demo season (`kiik init` then `kiik demo --horns 100000` for the
full-size one). On PostgreSQL the database must be named kiik_bench_web_<something> (the benchmark
writes to it: a password, the shipments below); when it does not exist it is made and a season of
`--horns` loaded into it. A ministry administrator (`ministry.admin`, given a fresh password here)
logs in once through the log-in form; each page is then asked `--requests` times through the ASGI
application in this process (no network): the time includes the session look-up, every service the
page calls, and rendering. Printed: the first request's time, then median and p95 per page, against
the 300 ms target (issue 14, point 7), and the JavaScript each page loads (its <script src> files,
decoded), against the 300 KB budget.

Then the pages whose figures total the season (the overview, the dashboard, the stock list) are
timed right after a capture, `--requests` times each: one horn shipped by the warehouse holding the
most (through the capture service, every rule on; not timed), then the page. Their figures are
running totals kept in capture's transaction (migration 0021), so this is what any request costs;
`kiik check-figures` is run at the end to show the totals still equal a recount.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient
from sqlalchemy import make_url, text

from kiik.app import create_app
from kiik.bootstrap.migrate import upgrade
from kiik.bootstrap.registry import build
from kiik.config import Settings
from kiik.custody.services.capture import capture_events
from kiik.demo.cast import load_demo
from kiik.directory.domain.permissions import OrgKind, Principal, Role
from kiik.directory.services.people import set_password
from kiik.epcis.adapters.capture_source import open_capture_document
from kiik.epcis.domain import event_builders
from kiik.harvest.services.running_totals import recount_figures

BENCH_DATABASES = "kiik_bench_web_"
TARGET_MS = 300.0
JAVASCRIPT_BUDGET = 300 * 1024
STATIC = Path(__file__).resolve().parents[1] / "src" / "kiik" / "web"
PASSWORD = "a benchmark password"


def load_season(url: str, horns: int) -> None:
    registry = build(Settings(database_url=url))
    upgrade(registry.engine)
    load_demo(
        registry.uow, open_capture_document, custody_rules=True, yields=registry.settings.yields, horns=horns
    )


def season_database(horns: int) -> str:
    url = f"sqlite:///{tempfile.mkdtemp()}/season.db"
    load_season(url, horns)
    return url


def postgresql_database(url: str, horns: int) -> None:
    """Make the benchmark's own database and its season when it does not exist yet; refuse any
    database not named kiik_bench_web_* (the benchmark writes to it)."""
    import psycopg

    name = make_url(url).database or ""
    if not name.startswith(BENCH_DATABASES):
        sys.exit(f"the PostgreSQL database must be named {BENCH_DATABASES}<something>, not {name!r}")
    admin = make_url(url).set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return
        connection.execute(f'CREATE DATABASE "{name}"')
    print(f"made database {name}; loading a season of {horns} horns")
    load_season(url, horns)


def javascript(html: str) -> int:
    total = 0
    for source in re.findall(r'<script src="(/static/[^"]+)"', html):
        total += (STATIC / source.lstrip("/")).stat().st_size
    return total


def percentiles(times: list[float]) -> tuple[float, float]:
    return statistics.median(times), statistics.quantiles(times, n=20)[18]


class Shipper:
    """Ships one horn at a time from the organisation holding the most active horns to a plant,
    through the capture service with every rule on (a capture that changes the figures)."""

    def __init__(self, registry: Any) -> None:
        self.registry = registry
        with registry.engine.connect() as connection:
            holder = connection.execute(
                text(
                    "SELECT holder_org_id FROM items WHERE status = 'active' AND NOT is_class "
                    "GROUP BY holder_org_id ORDER BY count(*) DESC LIMIT 1"
                )
            ).scalar_one()
            self.horns = list(
                connection.execute(
                    text(
                        "SELECT key, site FROM items WHERE status = 'active' AND NOT is_class "
                        "AND holder_org_id = :holder ORDER BY key DESC LIMIT 1000"
                    ),
                    {"holder": holder},
                )
            )
        with registry.uow() as uow:
            org = uow.directory.organisation(holder)
            plant = next(o for o in uow.directory.organisations() if o.kind == OrgKind.PROCESSOR.value)
        self.source, self.destination = org.pgln, plant.pgln
        self.principal = Principal(org.id, org.code, org.name, OrgKind(org.kind), Role.OPERATOR)

    def ship_one(self) -> None:
        key, site = self.horns.pop()
        event = event_builders.shipping([key], datetime.now(UTC), site, self.source, self.destination)
        reader = open_capture_document(json.dumps(event_builders.document([event])).encode())
        outcome = capture_events(
            self.registry.uow(),
            self.principal,
            reader.events(),
            custody_rules=True,
            yields=self.registry.settings.yields,
            document_problems=reader.document_problems,
        )
        assert outcome.succeeded, outcome.errors


def after_captures(client: TestClient, registry: Any, pages: list[str], requests: int) -> None:
    """Each page right after a capture, `requests` times."""
    shipper = Shipper(registry)
    print(f"\nafter a capture (one horn shipped by {shipper.principal.org_code} before each request):")
    print(f"{'page':<48} {'median ms':>10} {'p95 ms':>8}  verdict")
    for page in pages:
        times = []
        for _ in range(requests):
            shipper.ship_one()
            start = time.perf_counter()
            answer = client.get(page)
            times.append((time.perf_counter() - start) * 1000)
            assert answer.status_code == 200, (page, answer.status_code)
        median, p95 = percentiles(times)
        print(f"{page:<48} {median:>10.1f} {p95:>8.1f}  " + ("met" if p95 < TARGET_MS else "NOT MET"))
    differences = recount_figures(registry.uow())
    print(
        "running totals against a recount after the captures: "
        + ("equal" if not differences else f"{len(differences)} DIFFER")
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", help="a database holding a demo season")
    parser.add_argument("--horns", type=int, default=2000, help="without --db: the season to make first")
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    url = args.db or season_database(args.horns)
    if make_url(url).get_backend_name() == "postgresql":
        postgresql_database(url, args.horns)
    settings = Settings.from_env(
        database_url=url, login_attempts_per_minute=10_000, public_requests_per_minute=10**6
    )
    registry = build(settings)
    upgrade(registry.engine)
    set_password(registry.uow(), "ministry.admin", PASSWORD)
    with registry.uow() as uow:
        events = uow.events.count()
    with registry.engine.connect() as connection:  # a powder lot: the longest lineage an inspector opens
        lot = connection.execute(
            text("SELECT key FROM items WHERE is_class AND key LIKE '%PWD%' ORDER BY key LIMIT 1")
        ).scalar()
    pages = ["/", "/dashboard", "/people", "/partner/reconciliation", "/account"]
    # The lists behind the dashboard's figures (the largest: stock over every holder and status).
    pages += ["/lists/stock", "/lists/stock?status=consumed", "/lists/permits", "/lists/seizures"]
    pages += ["/lists/leak-alerts", "/lists/flags"]
    # Session 8: legal trade and proceeds, passage alerts, the reviewer's and the harvest desk's pages.
    pages += ["/lists/culls", "/lists/meat-lots", "/lists/proceeds", "/lists/passage-alerts"]
    pages += ["/proceeds/rules", "/alerts/1"]
    pages += ["/cases", "/harvest/plans", "/harvest/authorisations", "/permits"]
    if lot:
        pages.append("/items/" + quote(lot, safe=""))
    with TestClient(create_app(registry)) as client:
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text)[1]  # type: ignore[index]
        answer = client.post(
            "/login",
            data={"username": "ministry.admin", "password": PASSWORD, "csrf": token},
            follow_redirects=False,
        )
        assert answer.status_code == 303, answer.text
        print(f"database: {url} ({events} events)")
        print(f"{'page':<48} {'first ms':>9} {'median ms':>10} {'p95 ms':>8} {'JS KB':>7}  verdict")
        for page in pages:
            start = time.perf_counter()
            first = client.get(page)
            cold = (time.perf_counter() - start) * 1000
            assert first.status_code == 200, (page, first.status_code)
            times = []
            for _ in range(args.requests):
                start = time.perf_counter()
                client.get(page)
                times.append((time.perf_counter() - start) * 1000)
            median, p95 = percentiles(times)
            script = javascript(first.text)
            met = p95 < TARGET_MS and script <= JAVASCRIPT_BUDGET
            shown = page if len(page) < 48 else page[:45] + "..."
            figures = f"{cold:>9.1f} {median:>10.1f} {p95:>8.1f} {script / 1024:>7.1f}"
            print(f"{shown:<48} {figures}  " + ("met" if met else "NOT MET"))
        after_captures(client, registry, ["/", "/dashboard", "/lists/stock"], args.requests)


if __name__ == "__main__":
    sys.exit(main())
