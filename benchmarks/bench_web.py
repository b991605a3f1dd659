"""Server-side render times of the pages over a demo season, and the JavaScript each page ships.

.venv/bin/python benchmarks/bench_web.py --db sqlite:////tmp/season.db [--requests 40]
.venv/bin/python benchmarks/bench_web.py --horns 2000          # makes a season first (kiik demo)

The database should hold a demo season (`kiik init` then `kiik demo --horns 100000` for the
full-size one). A ministry administrator (`ministry.admin`, given a fresh password here) logs in once
through the log-in form; each page is then asked `--requests` times through the ASGI application
in this process (no network): the time includes the session look-up, every service the page calls,
and rendering. Printed: the first request's time (what a page costs before its figures are kept,
kiik.web.figure_cache), then median and p95 per page, against the 300 ms target (issue 14, point 7), and
the JavaScript each page loads (its <script src> files, decoded), against the 300 KB budget.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from fastapi.testclient import TestClient
from sqlalchemy import text

from kiik.app import create_app
from kiik.bootstrap.migrate import upgrade
from kiik.bootstrap.registry import build
from kiik.config import Settings
from kiik.demo.cast import load_demo
from kiik.directory.services.people import set_password
from kiik.epcis.adapters.capture_source import open_capture_document

TARGET_MS = 300.0
JAVASCRIPT_BUDGET = 300 * 1024
STATIC = Path(__file__).resolve().parents[1] / "src" / "kiik" / "web"
PASSWORD = "a benchmark password"


def season_database(horns: int) -> str:
    url = f"sqlite:///{tempfile.mkdtemp()}/season.db"
    registry = build(Settings(database_url=url))
    upgrade(registry.engine)
    load_demo(
        registry.uow, open_capture_document, custody_rules=True, yields=registry.settings.yields, horns=horns
    )
    return url


def javascript(html: str) -> int:
    total = 0
    for source in re.findall(r'<script src="(/static/[^"]+)"', html):
        total += (STATIC / source.lstrip("/")).stat().st_size
    return total


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", help="a database holding a demo season")
    parser.add_argument("--horns", type=int, default=2000, help="without --db: the season to make first")
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    url = args.db or season_database(args.horns)
    settings = Settings.from_env(
        database_url=url, login_attempts_per_minute=10_000, public_requests_per_minute=10**6
    )
    registry = build(settings)
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
            first = client.get(page)  # the first asks count what later ones find kept (kiik.web.figure_cache)
            cold = (time.perf_counter() - start) * 1000
            assert first.status_code == 200, (page, first.status_code)
            times = []
            for _ in range(args.requests):
                start = time.perf_counter()
                client.get(page)
                times.append((time.perf_counter() - start) * 1000)
            p95 = statistics.quantiles(times, n=20)[18]
            script = javascript(first.text)
            met = p95 < TARGET_MS and script <= JAVASCRIPT_BUDGET
            shown = page if len(page) < 48 else page[:45] + "..."
            figures = f"{cold:>9.1f} {statistics.median(times):>10.1f} {p95:>8.1f} {script / 1024:>7.1f}"
            print(f"{shown:<48} {figures}  " + ("met" if met else "NOT MET"))


if __name__ == "__main__":
    sys.exit(main())
