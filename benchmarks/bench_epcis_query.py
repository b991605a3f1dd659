"""EPCIS query pages of 10,000 events over a million events, in JSON-LD and XML; and 100 streaming
subscribers each receiving a 1,000-event capture (issue 16, point 6).

    .venv/bin/python benchmarks/bench_epcis_query.py                  # SQLite, the history database
    .venv/bin/python benchmarks/bench_epcis_query.py --horns 10000    # 100,000 events
    .venv/bin/python benchmarks/bench_epcis_query.py --db postgresql://postgres@127.0.0.1:5432/kiik_bench_history
    .venv/bin/python benchmarks/bench_epcis_query.py --part subscriptions --subscribers 100 --events 1000

Queries: the database of bench_history.py (100,000 horns, 1,000,560 events; built once, reused while
it has the same size). Each page goes through the whole HTTP stack in process (Starlette's test
client: routing, the actor's token, the query, the document in JSON-LD or XML, the middlewares), as
the ministry (which sees everything): the first page of everything, a page deep in the keyset
(following the Link of the first), and a page of one business step.

Subscriptions: a fresh database; N stream subscriptions of the ministry to one named query, each to
a webhook receiver on loopback (allowed explicitly); a capture of M events through the capture
service; then one delivery round (what `kiik serve` runs every second) is timed until every
subscriber has all M events.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from bench_history import (  # noqa: E402
    DEFAULT_DB,
    build_database,
    database_url,
    event_count,
    expected_events,
    make_orgs,
    needs_building,
    reset,
)
from common import fresh_registry  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from lxml import etree  # type: ignore[import-untyped]  # noqa: E402

from kiik.app import create_app  # noqa: E402
from kiik.bootstrap.migrate import upgrade  # noqa: E402
from kiik.bootstrap.registry import Registry  # noqa: E402
from kiik.config import Settings  # noqa: E402
from kiik.custody.adapters.webhooks import HttpWebhookSender  # noqa: E402
from kiik.custody.services.capture import capture_events  # noqa: E402
from kiik.custody.services.named_queries import create_query  # noqa: E402
from kiik.custody.services.queries import query_events  # noqa: E402
from kiik.custody.services.subscription_delivery import deliver_subscriptions  # noqa: E402
from kiik.custody.services.subscriptions import SubscriptionRequest, create_subscription  # noqa: E402
from kiik.db.engine import make_engine  # noqa: E402
from kiik.directory.domain.permissions import OrgKind  # noqa: E402
from kiik.directory.services.auth import add_organisation, add_site, authenticate, create_token  # noqa: E402
from kiik.epcis.adapters.capture_source import open_capture_document  # noqa: E402
from kiik.epcis.adapters.xml_writer import event_dict_to_xml, query_document_xml  # noqa: E402
from kiik.epcis.domain import event_builders as build  # noqa: E402
from kiik.epcis.domain.query_document import query_document  # noqa: E402
from kiik.epcis.domain.webhook_destinations import AllowList  # noqa: E402

LOOPBACK = ("127.0.0.1/32",)


def timed(call: Any, repeat: int) -> tuple[list[float], Any, list[float]]:
    """Wall seconds of each call, the last answer, and the process's CPU seconds of each call (the
    test client runs the app in this process: on a shared machine, CPU time is what the call costs
    and wall time what the load made of it)."""
    seconds, answer, cpu = [], None, []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        answer = call()
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return seconds, answer, cpu


def queries(args: argparse.Namespace) -> None:
    url = database_url(args.db)
    engine = make_engine(url)
    upgrade(engine)
    registry = Registry(Settings(database_url=url), engine)
    wanted = expected_events(args.horns)
    if needs_building(engine, args.horns, args.rebuild):
        print(f"building {wanted:,} events for {args.horns:,} horns on {engine.dialect.name} ...", flush=True)
        started = time.perf_counter()
        reset(engine)
        build_database(engine, make_orgs(registry), args.horns, 2025)
        print(f"built in {time.perf_counter() - started:.0f} s")
    make_orgs(registry)
    token = create_token(registry.uow(), "ministry", "viewer").token
    total = event_count(engine)
    pages = f"pages of {args.per_page:,} through HTTP, as the ministry"
    print(f"database: {engine.dialect.name}, {total:,} events; {pages}")
    print(f"{'query':58} {'format':9} {'median s':>9} {'max s':>7} {'cpu s':>6} {'events':>7} {'MB':>6}")
    with TestClient(create_app(registry)) as client:
        for media in ("application/ld+json", "application/xml"):
            headers = {"Authorization": f"Bearer {token}", "Accept": media}
            first_url = f"/epcis/events?perPage={args.per_page}"
            first = client.get(first_url, headers=headers)
            assert first.status_code == 200, first.text
            deep = first.headers["Link"].split(">")[0].lstrip("<")
            asked = [
                ("first page of everything", first_url),
                ("the page after it (keyset, from the Link header)", deep),
                ("EQ_bizStep=receiving", f"/epcis/events?perPage={args.per_page}&EQ_bizStep=receiving"),
            ]
            if args.body_filter:
                # Checked on each event's body: a scan of what the column filters leave.
                filtered = (
                    f"/epcis/events?perPage={args.per_page}&EQ_bizStep=commissioning&GE_ILMD_kiik:massKg=0.3"
                )
                asked.append(("EQ_bizStep=commissioning&GE_ILMD_kiik:massKg=0.3", filtered))
            for name, path in asked:
                seconds, answer, cpu = timed(lambda p=path, h=headers: client.get(p, headers=h), args.repeat)
                assert answer.status_code == 200, answer.text
                count = (
                    answer.text.count("<eventTime>")
                    if media == "application/xml"
                    else answer.text.count('"eventTime"')
                )
                kind = "JSON-LD" if media != "application/xml" else "XML"
                print(
                    f"{name:58} {kind:9} {statistics.median(seconds):9.3f} {max(seconds):7.3f} "
                    f"{statistics.median(cpu):6.3f} {count:7,} "
                    f"{len(answer.content) / 1e6:6.1f}"
                )


def render(args: argparse.Namespace) -> None:
    """Where a page's time goes, in CPU seconds (best of --repeat, this process only): the query
    service (SQL, decoding the stored bodies, the events as captured), then the document in JSON-LD
    and in XML, XML both as kiik writes it (plain events as text) and every event through lxml (what
    kiik did before)."""
    url = database_url(args.db)
    registry = Registry(Settings(database_url=url), make_engine(url))
    ministry = make_orgs(registry)["ministry"].principal

    def best(call: Any) -> tuple[float, Any]:
        _, answer, cpu = timed(call, args.repeat)
        return min(cpu), answer

    asked = [("perPage", str(args.per_page))]
    query_cpu, page = best(lambda: query_events(registry.uow(), ministry, asked))
    json_cpu, _ = best(lambda: json.dumps(query_document(page.events, None)))
    text_cpu, as_text = best(lambda: query_document_xml(page.events))
    def through_lxml() -> bytes:
        listed = etree.Element("EventList")  # one tree, serialised once, as kiik wrote XML before
        for event in page.events:
            listed.append(event_dict_to_xml(event))
        return bytes(etree.tostring(listed))

    lxml_cpu, _ = best(through_lxml)
    plain = as_text.count(b"<ObjectEvent>") + as_text.count(b"<AggregationEvent>")
    print(f"{len(page.events):,} events, CPU seconds (best of {args.repeat}):")
    print(f"  query service (SQL, bodies decoded, as captured)  {query_cpu:6.3f}")
    print(f"  JSON-LD document (json.dumps)                     {json_cpu:6.3f}")
    print(f"  XML document as kiik writes it                    {text_cpu:6.3f}  ({plain:,} events as text)")
    print(f"  XML, every event through lxml (before)            {lxml_cpu:6.3f}")


class _Receiver:
    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    receiver.counts[self.path] = receiver.counts.get(self.path, 0) + body.count(
                        b'"eventTime"'
                    )
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, n: int) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hook/{n}"


def subscriptions(args: argparse.Namespace) -> None:
    with fresh_registry(args.db if args.db != DEFAULT_DB else None, webhook_allow=LOOPBACK) as registry:
        add_organisation(registry.uow(), "ministry", "Ministry", OrgKind.MINISTRY.value)
        site = add_site(registry.uow(), "ministry", "urn:epc:id:sgln:4870001.00000.0", "Ministry site")
        principal = authenticate(registry.uow(), create_token(registry.uow(), "ministry", "operator").token)
        assert principal is not None
        create_query(registry.uow(), principal, "commissioned", {"EQ_bizStep": ["commissioning"]})
        receiver = _Receiver()
        sender = HttpWebhookSender(AllowList.read(LOOPBACK))
        for n in range(args.subscribers):
            create_subscription(
                registry.uow(),
                principal,
                "commissioned",
                SubscriptionRequest(dest=receiver.url(n), stream=True),
                sender,
            )
        moment = datetime.now(UTC) - timedelta(days=1)
        events = [
            build.commissioning([f"urn:epc:id:sgtin:4870001.000001.{n}"], moment, site, ilmd={"massKg": 0.3})
            for n in range(1, args.events + 1)
        ]
        reader = open_capture_document(json.dumps(build.document(events)).encode())
        outcome = capture_events(
            registry.uow(),
            principal,
            reader.events(),
            custody_rules=False,
            yields=registry.settings.yields,
            document_problems=reader.document_problems,
        )
        assert outcome.succeeded, outcome.errors[:3]
        started = time.perf_counter()
        report = deliver_subscriptions(registry.uow, sender)
        seconds = time.perf_counter() - started
        receiver.server.shutdown()
        complete = sum(1 for count in receiver.counts.values() if count == args.events)
        print(
            f"{args.subscribers} stream subscribers, a capture of {args.events:,} events: one delivery round "
            f"in {seconds:.2f} s; {complete} subscribers received all {args.events:,} events "
            f"({len(report.failed)} failed)"
        )
        for subscription_id, why in list(report.failed.items())[:3]:
            print(f"  {subscription_id}: {why}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--part", choices=("queries", "render", "subscriptions", "both"), default="both", help="what to run"
    )
    parser.add_argument("--db", default=DEFAULT_DB, help=f"database URL (default {DEFAULT_DB})")
    parser.add_argument(
        "--horns", type=int, default=100_000, help="horns in the query database (10 events each)"
    )
    parser.add_argument("--rebuild", action="store_true", help="build the query database afresh")
    parser.add_argument("--per-page", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--body-filter", action="store_true", help="also a query filtered on the ILMD")
    parser.add_argument("--subscribers", type=int, default=100)
    parser.add_argument("--events", type=int, default=1000)
    args = parser.parse_args()
    if args.part in ("queries", "both"):
        queries(args)
    if args.part == "render":
        render(args)
    if args.part in ("subscriptions", "both"):
        subscriptions(args)


if __name__ == "__main__":
    main()
