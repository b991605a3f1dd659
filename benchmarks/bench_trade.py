"""The 2025 cull at full size: 196,000 carcasses through processing to 1,000,000 packs, traced by lot.

    .venv/bin/python benchmarks/bench_trade.py                       # SQLite
    .venv/bin/python benchmarks/bench_trade.py --db postgresql://postgres@127.0.0.1:5432/postgres
    .venv/bin/python benchmarks/bench_trade.py --carcasses 19600 --packs 100000   # a tenth

As the teams, the plant and the shops would record it, a day at a time (20 deliveries a day, 49
days): the ministry registers the cull; the team sends a day's EPCIS document (each delivery of 200
carcasses commissioned as a batch and shipped to the plant); the plant sends its receipts, records
the day's processing runs through trade's use case (one lot of about 1,020 packs of meat cuts per
delivery), and ships the lots to five retail networks, which send their receipts. Documents go
through the EPCIS reader and capture with every rule on. About 4,900 events (lots, not packs).
Then the public pack check is asked over HTTP (kiik served by uvicorn in this process) for random
packs.
Targets: the whole chain captured in < 60 s; a pack's check p95 < 20 ms.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))

from common import capture_file, fresh_registry, percentiles, served  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from kiik.custody.adapters.tables import events as event_rows  # noqa: E402
from kiik.directory.domain.permissions import OrgKind, Principal, Role  # noqa: E402
from kiik.directory.services.auth import add_organisation, add_site  # noqa: E402
from kiik.epcis.domain import event_builders as build  # noqa: E402
from kiik.epcis.domain.gs1_keys import with_check_digit  # noqa: E402
from kiik.species.services.register import seed_register  # noqa: E402
from kiik.trade.adapters.tables import meat_lots  # noqa: E402
from kiik.trade.domain import events  # noqa: E402
from kiik.trade.domain.meat import LotPlan  # noqa: E402
from kiik.trade.services.culls import RegisterCull, register_cull  # noqa: E402
from kiik.trade.services.meat_lots import Process, process_runs  # noqa: E402
from kiik.trade.services.pack_check import check_pack_code  # noqa: E402

PER_DELIVERY = 200
PER_DAY = 20  # deliveries a day: the cull's 980 over 49 days
NETWORKS = 5
CULL = "CULL-2025-ALL"
START = datetime(2025, 7, 1, 6, tzinfo=UTC)
CARCASS_GTIN = with_check_digit("0487000200020")
CUTS_GTIN = with_check_digit("0487000400030")


SITES: dict[str, str] = {}
PARTIES: dict[str, str] = {}


def org(registry, code: str, name: str, kind: OrgKind, prefix: str) -> Principal:  # type: ignore[no-untyped-def]
    SITES[code], PARTIES[code] = f"urn:epc:id:sgln:{prefix}.00000.0", f"urn:epc:id:pgln:{prefix}.00000"
    org_id = add_organisation(registry.uow(), code, name, kind.value, f"urn:epc:id:pgln:{prefix}.00000")
    add_site(registry.uow(), code, f"urn:epc:id:sgln:{prefix}.00000.0", f"{name}, main site")
    return Principal(org_id, code, name, kind, Role.OPERATOR)


def time_checks(base: str, paths: list[str]) -> list[float]:
    """Milliseconds for each pack check, asked one after the other (the pages once each, first)."""
    samples = []
    with httpx.Client(base_url=base) as client:
        for path in dict.fromkeys(paths[:50]):
            assert client.get(f"{path}?lang=kk").status_code == 200
        for path in paths:
            started = time.perf_counter()
            answer = client.get(f"/api/trade/packs{path}")
            samples.append((time.perf_counter() - started) * 1000)
            assert answer.status_code == 200 and answer.json()["population"] == "Ural", answer.text
    return samples


def document(events: list[dict]) -> bytes:  # type: ignore[type-arg]
    for event in events:
        event["eventID"] = f"urn:uuid:{uuid.uuid4()}"
    return json.dumps(build.document(events)).encode()


def captured(registry, principal: Principal, events: list[dict]) -> None:  # type: ignore[no-untyped-def, type-arg]
    outcome = capture_file(registry, principal, document(events))
    assert outcome.succeeded, outcome.errors[:3]


def run(db: str | None, carcasses: int, packs: int, checks: int, seed: int) -> None:
    rng = random.Random(seed)
    with fresh_registry(db, public_requests_per_minute=10**9, login_attempts_per_minute=10**9) as registry:
        seed_register(registry.uow())
        ministry = org(registry, "ministry", "Ministry", OrgKind.MINISTRY, "4870001")
        team = org(registry, "team", "Ural cull team", OrgKind.HARVESTER, "4870002")
        plant = org(registry, "plant", "Meat plant, Oral", OrgKind.PROCESSOR, "4870004")
        networks = [
            org(registry, f"net{n}", f"Retail network {n}", OrgKind.TRADER, f"48710{n:02d}")
            for n in range(NETWORKS)
        ]
        yields = registry.settings.yields
        deliveries = carcasses // PER_DELIVERY
        packs_per_lot, extra = divmod(packs, deliveries)
        started = time.perf_counter()
        cull = RegisterCull(
            CULL,
            "Ural",
            "West Kazakhstan",
            date(2025, 7, 1),
            date(2025, 11, 30),
            "KZ-2025-CULL",
            carcasses,
            "team",
        )
        register_cull(registry.uow(), ministry, cull)
        lots: list[str] = []
        steps = dict.fromkeys(("deliveries", "processing", "moves"), 0.0)
        days = (deliveries + PER_DAY - 1) // PER_DAY
        for day in range(days):
            morning = START + timedelta(days=day)
            batch = range(day * PER_DAY, min((day + 1) * PER_DAY, deliveries))
            masses = {n: round(PER_DELIVERY * rng.uniform(13.0, 17.0), 1) for n in batch}
            keys = {n: f"https://id.gs1.org/01/{CARCASS_GTIN}/10/C{n:06d}" for n in batch}
            t0 = time.perf_counter()
            ilmd = {
                "species": "Saiga tatarica",
                "population": "Ural",
                "cullOperation": CULL,
                "carcasses": PER_DELIVERY,
                "productType": "carcass",
            }
            team_day = []
            for n in batch:
                team_day.append(events.carcass_batch(keys[n], masses[n], morning, SITES["team"], ilmd))
                team_day.append(
                    events.lot_shipped(
                        keys[n], morning, SITES["team"], PARTIES["team"], PARTIES["plant"], SITES["plant"]
                    )
                )
            captured(registry, team, team_day)
            at_plant = morning + timedelta(hours=6)
            captured(registry, plant, [events.lot_received(keys[n], at_plant, SITES["plant"]) for n in batch])
            t1 = time.perf_counter()
            runs = []
            for n in batch:
                count = packs_per_lot + (1 if n < extra else 0)
                each = round(
                    masses[n] * 0.55 / count, 3
                )  # 55 % of the carcasses' mass, packs of about 1.6 kg
                plan = LotPlan(f"L{n:06d}", count, each, date(2025, 12, 31))
                runs.append(
                    Process("meat_cuts", CUTS_GTIN, f"VET-{day}", ((keys[n], masses[n]),), (plan,), at_plant)
                )
            made = [
                key
                for keys_of_run in process_runs(registry.uow(), plant, runs, yields)
                for key in keys_of_run
            ]
            t2 = time.perf_counter()
            sent = morning + timedelta(hours=20)
            to = {key: networks[(len(lots) + i) % NETWORKS] for i, key in enumerate(made)}
            shipments = []
            for key in made:
                buyer = to[key].org_code
                shipments.append(
                    events.lot_shipped(
                        key, sent, SITES["plant"], PARTIES["plant"], PARTIES[buyer], SITES[buyer]
                    )
                )
            captured(registry, plant, shipments)
            for network in networks:
                mine = [key for key in made if to[key] is network]
                if mine:
                    arrived = sent + timedelta(hours=8)
                    captured(
                        registry,
                        network,
                        [events.lot_received(k, arrived, SITES[network.org_code]) for k in mine],
                    )
            t3 = time.perf_counter()
            steps["deliveries"] += t1 - t0
            steps["processing"] += t2 - t1
            steps["moves"] += t3 - t2
            lots += made
        elapsed = time.perf_counter() - started
        with registry.engine.connect() as connection:
            stored = connection.scalar(select(func.count()).select_from(event_rows))
            made_packs = connection.scalar(select(func.sum(meat_lots.c.packs)))
        print(f"database: {registry.engine.dialect.name}")
        print(
            f"cull to shops: {carcasses:,} carcasses in {deliveries:,} deliveries over {days} days, "
            f"{len(lots):,} lots, {made_packs:,} packs, {stored:,} EPCIS events in {elapsed:.1f} s"
        )
        print(
            "  (target < 60 s); of which "
            + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in steps.items())
        )
        paths = [rng.choice(lots).removeprefix("https://id.gs1.org") for _ in range(checks)]
        direct = []
        for path in paths:
            started_check = time.perf_counter()
            check_pack_code(registry.uow(), path, date(2025, 8, 1))
            direct.append((time.perf_counter() - started_check) * 1000)
        print(
            "pack check, the use case alone (no HTTP): median {:.1f} ms, p95 {:.1f} ms".format(
                *percentiles(direct)
            )
        )
        with served(registry) as base:
            # The scanner is another machine: the client runs in its own process, not beside the server.
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as client:
                samples = client.submit(time_checks, base, paths).result()
        median, p95 = percentiles(samples)
        print(f"pack check over HTTP: {checks:,} random packs, median {median:.1f} ms, p95 {p95:.1f} ms")
        print("  (target p95 < 20 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default=None, help="a PostgreSQL URL; default: a new SQLite file")
    parser.add_argument("--carcasses", type=int, default=196_000)
    parser.add_argument("--packs", type=int, default=1_000_000)
    parser.add_argument("--checks", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    run(args.db, args.carcasses, args.packs, args.checks, args.seed)


if __name__ == "__main__":
    main()
