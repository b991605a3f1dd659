"""A quota is never over-issued: many clients issue permits against one quota at the same moment.

On PostgreSQL 64 clients, each on its own connection, ask at once for twice the quota; on SQLite
(one writer at a time) 16 do. Exactly the permits that fit are issued, the rest are refused with
`permit.quota_exceeded`, the reservations add up to the cap and the serials have no gaps.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine

from kiik.bootstrap.registry import Registry
from kiik.db.engine import make_engine, normalise_url
from kiik.ledger.services.signing_keys import ensure_signing_key
from kiik.permits.domain.lifecycle import PermitStatus
from kiik.permits.services.application import ApplyForPermit, apply_for_permit
from kiik.permits.services.decisions import IssuePermit, issue_permit
from kiik.permits.services.ports import PermitRefused
from tests.support.season import T0, authorise, harvest, horn, move, open_register
from tests.support.world import make_world

HORN_KG = 0.25


def _engine(url: str, clients: int):  # type: ignore[no-untyped-def]
    if url.startswith("sqlite"):
        return make_engine(url)
    return create_engine(normalise_url(url), pool_size=clients, max_overflow=0, pool_timeout=60)


def run_clients(registry: Registry, clients: int) -> dict[str, object]:
    world = make_world(registry)
    cap = clients * HORN_KG / 2  # every client asks for one horn: together twice the quota
    quota_id = open_register(registry, world, cap=cap)
    ensure_signing_key(registry.uow())
    team, trader = world["harvester"], world["trader"]
    numbers = list(range(1, clients + 1))
    harvest(registry, team, numbers, authorise(registry, world), mass=HORN_KG)
    move(registry, team, trader, [horn(n) for n in numbers], T0 + timedelta(days=1))
    applications = [
        apply_for_permit(registry.uow(), trader.principal, ApplyForPermit([horn(n)], "Importer", "CN")).id
        for n in numbers
    ]
    engine = _engine(registry.settings.database_url, clients)
    shared = Registry(registry.settings, engine)
    start = threading.Barrier(clients)
    results: list[str] = []
    lock = threading.Lock()

    def client(application: int) -> None:
        start.wait()
        try:
            issue_permit(shared.uow(), world["ministry"].principal, IssuePermit(application))
            outcome = "issued"
        except PermitRefused as exc:
            outcome = ",".join(p.rule for p in exc.problems)
        except Exception as exc:  # noqa: BLE001 - any other failure is a finding of this test
            outcome = f"error: {type(exc).__name__}: {exc}"
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=client, args=(a,)) for a in applications]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    engine.dispose()
    with registry.uow() as uow:
        balance = uow.cites.quotas.balance(quota_id, datetime.now(UTC).year)
        issued = uow.cites.permits.find(status=PermitStatus.ISSUED.value)
    return {
        "clients": clients,
        "asked_kg": clients * HORN_KG,
        "cap_kg": cap,
        "issued": results.count("issued"),
        "refused": results.count("permit.quota_exceeded"),
        "other": [r for r in results if r not in ("issued", "permit.quota_exceeded")],
        "reserved_kg": balance.reserved,
        "issued_kg": sum(p.reserved_kg for p in issued),
        "serials": sorted(int(p.number.rsplit("/", 1)[1]) for p in issued),
        "seconds": round(elapsed, 3),
    }


def check(figures: dict[str, object], clients: int) -> None:
    print(f"\nquota concurrency: {figures}")
    assert figures["other"] == []
    assert figures["issued"] == clients // 2 and figures["refused"] == clients // 2
    assert figures["reserved_kg"] == pytest.approx(figures["cap_kg"])
    assert figures["issued_kg"] == pytest.approx(figures["cap_kg"])
    assert figures["serials"] == list(range(1, clients // 2 + 1))


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_64_clients_asking_for_twice_the_quota_on_postgresql(registry) -> None:  # type: ignore[no-untyped-def]
    check(run_clients(registry, 64), 64)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_16_clients_asking_for_twice_the_quota_on_sqlite(registry) -> None:  # type: ignore[no-untyped-def]
    check(run_clients(registry, 16), 16)
