"""Validated capture rate through the service and over HTTP, beside the raw insert rate of the same database.

.venv/bin/python benchmarks/bench_capture.py [--events 20000] [--db postgresql://postgres@127.0.0.1:5432/postgres]

What each figure includes (events per second of wall-clock time):

- raw insert: the ceiling. The same commissioning events, as parsed dicts, written as event rows and
  identifier rows through the event store's own bulk path (`EventStore.add`: ids from the sequence
  or after the first row, bodies encoded as JSON, COPY on PostgreSQL, the driver's executemany on
  SQLite), 2,000 per call, in one transaction, committed. Rows are built before the clock starts;
  nothing is read, validated, hashed or checked, and no item state or rule projection is written.
- service: `capture_events` on the document's file, as `kiik capture` runs it: reading, schema and
  semantic checks, Event Hash IDs and facts (in a worker process for a document this large),
  custody and feature rules, the duplicate check, event, identifier and item rows and the rules'
  projections, committed.
- HTTP: the same over `POST /epcis/capture` to a live server: the upload spooled to disk, the capture
  job recorded, the capture as above in the background, polled until it ends.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import httpx  # noqa: E402
from common import HARVESTER_SITE as SITE  # noqa: E402
from common import capture_file, commissioning_document, fresh_registry, harvest_setup, served  # noqa: E402
from sqlalchemy import text  # noqa: E402

from kiik.bootstrap.registry import Registry  # noqa: E402
from kiik.custody.adapters.event_store import EventStore  # noqa: E402
from kiik.directory.domain.permissions import Principal  # noqa: E402
from kiik.epcis.services.records import NewEventRow  # noqa: E402


def raw_insert(
    registry: Registry, path: Path, *, site: str = SITE, tag: str = "raw", keep: bool = True
) -> float:
    """The same events inserted unchecked, through the event store as capture inserts them: the ceiling.

    `tag` makes the rows' hash IDs unique in a registry that already holds a run's; with `keep` off
    the rows are rolled back once timed (the registry is left as it was)."""
    now = datetime.now(UTC).replace(tzinfo=None)
    bodies = json.loads(path.read_text())["epcisBody"]["eventList"]
    rows = [
        NewEventRow(
            hash_id=f"{tag}-{n}",
            event_id=f"{tag}-{n}",
            event_type="ObjectEvent",
            event_time=now,
            record_time=now,
            action="ADD",
            biz_step="commissioning",
            disposition="active",
            read_point=site,
            biz_location=site,
            declares_error=False,
            org_id=1,
            capture_id="raw",
            body=body,
            identifiers=[("epc", body["epcList"][0])],
        )
        for n, body in enumerate(bodies)
    ]
    with registry.engine.connect() as connection:
        transaction = connection.begin()
        started = time.perf_counter()
        store = EventStore(connection)
        for offset in range(0, len(rows), 2000):
            store.add(rows[offset : offset + 2000])
        if keep:
            transaction.commit()
        else:
            connection.execute(text("SELECT 1"))  # every row sent and written before the clock stops
        elapsed = time.perf_counter() - started
        if not keep:
            transaction.rollback()
    return len(rows) / elapsed


def through_service(registry: Registry, principal: Principal, path: Path, count: int) -> float:
    started = time.perf_counter()
    outcome = capture_file(registry, principal, path)
    elapsed = time.perf_counter() - started
    assert outcome.succeeded and outcome.stored == count, outcome.errors[:3]
    return count / elapsed


def through_http(registry: Registry, token: str, path: Path, count: int) -> float:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/ld+json"}
    with served(registry) as url:
        started = time.perf_counter()
        with path.open("rb") as body, httpx.Client(base_url=url, timeout=600) as client:
            answer = client.post("/epcis/capture", content=body, headers=headers)
            assert answer.status_code == 202, answer.text
            posted = time.perf_counter() - started
            location = answer.headers["location"]
            while (job := client.get(location, headers=headers).json())["running"]:
                time.sleep(0.05)
        elapsed = time.perf_counter() - started
        assert job["success"] and job["storedCount"] == count, job["errors"][:3]
        print(f"  (HTTP: upload answered after {posted:.2f} s, capture done after {elapsed:.2f} s)")
        return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument(
        "--db", default=None, help="a PostgreSQL admin URL to run on PostgreSQL (default SQLite)"
    )
    args = parser.parse_args()
    with fresh_registry(args.db) as registry, tempfile.TemporaryDirectory() as folder:
        principal, token, origin = harvest_setup(registry, animals=3 * args.events)
        service_doc = commissioning_document(Path(folder) / "a.jsonld", args.events, "000001", SITE, origin)
        http_doc = commissioning_document(Path(folder) / "b.jsonld", args.events, "000002", SITE, origin)
        raw_doc = commissioning_document(Path(folder) / "c.jsonld", args.events, "000003", SITE, origin)
        raw = raw_insert(registry, raw_doc)
        service = through_service(registry, principal, service_doc, args.events)
        http = through_http(registry, token, http_doc, args.events)
        print(f"database: {registry.engine.dialect.name}, {args.events} events per run")
        print(f"raw insert rate:              {raw:10.0f} events/s")
        print(f"validated capture, service:   {service:10.0f} events/s  ({service / raw:.0%} of raw)")
        print(f"validated capture, HTTP:      {http:10.0f} events/s  ({http / raw:.0%} of raw)")


if __name__ == "__main__":
    main()
