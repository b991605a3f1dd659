"""The whole partner loop between two registries on loopback ports: the export notice registers the
items in the importing registry, its customs confirms the arrival, the exporting registry closes
the permit once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from kiik.adapters.partner_client import HttpPartnerClient
from kiik.api.app import create_app
from kiik.domain import event_builders as build
from kiik.domain.signed_documents import read_signed
from kiik.services.partner_delivery import deliver_outbox
from kiik.services.partner_import import RecordArrival, record_arrival
from kiik.services.partners import add_partner
from tests.e2e.test_partner_exchange import export_season, outbox, registry_at
from tests.support.browser import served
from tests.support.documents import capture
from tests.support.partner import china_world
from tests.support.season import ok


@pytest.fixture
def loop(tmp_path: Path) -> Iterator[dict[str, Any]]:
    kz, cn = registry_at(tmp_path / "kz.db", "KZ"), registry_at(tmp_path / "cn.db", "CN")
    china = china_world(cn)
    client = HttpPartnerClient(timeout=5)
    with served(create_app(kz)) as kz_url, served(create_app(cn)) as cn_url:
        add_partner(kz.uow(), None, "CN", "China wildlife registry", cn_url, client=client)
        add_partner(cn.uow(), None, "KZ", "Kazakhstan kiik", kz_url, client=client)
        yield {"kz": kz, "cn": cn, "kz_url": kz_url, "cn_url": cn_url, "china": china, "client": client}
    kz.engine.dispose()
    cn.engine.dispose()


def notified(loop: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    kz, client = loop["kz"], loop["client"]
    number = export_season(kz)
    assert deliver_outbox(kz.uow, client, force=True).delivered
    [notice] = httpx.get(
        f"{loop['cn_url']}/api/partner/notices",
        headers={"Authorization": f"Bearer {loop['china']['cn-customs'].token}"},
    ).json()
    return number, notice


def test_arrival_is_confirmed_and_closes_the_permit_once(loop) -> None:  # type: ignore[no-untyped-def]
    kz, cn, client, china = loop["kz"], loop["cn"], loop["client"], loop["china"]
    number, notice = notified(loop)
    lots = notice["payload"]["body"]["items"]
    with cn.uow() as uow:
        states = uow.items.load(lots)
    # The notice registered the items here, on their way to China's customs.
    assert {s.status.value for s in states.values()} == {"in_transit"}
    assert {s.destination for s in states.values()} == {china["cn-customs"].org_id}

    # China's customs scans the first lot, weighs it 0.1 kg light, and finds the second missing.
    body = record_arrival(
        cn.uow(), china["cn-customs"].principal, RecordArrival(number, [lots[0]], {lots[0]: 1.7})
    )
    assert body["items"] == [{"item": lots[0], "notified_kg": 1.8, "received_kg": 1.7}]
    assert body["missing"] == [lots[1]]
    with cn.uow() as uow:
        assert uow.items.load([lots[0]])[lots[0]].holder == china["cn-customs"].org_id
    with pytest.raises(Exception, match="confirmed already"):
        record_arrival(cn.uow(), china["cn-customs"].principal, RecordArrival(number, [lots[1]]))

    # The confirmation goes back through the outbox; Kazakhstan closes the permit, once.
    [confirmation] = [m for m in outbox(cn) if m.kind == "import-confirmation"]
    assert deliver_outbox(cn.uow, client, force=True).delivered == [confirmation.message_id]
    again = httpx.post(f"{loop['kz_url']}/api/partner/messages", content=confirmation.message)
    assert again.json()["status"] == "already applied"
    with kz.uow() as uow:
        permit = uow.cites.permits.by_number(number)
        history = uow.cites.permits.history(permit.id)
    assert permit.status.value == "closed"
    assert history[-1].action == "confirm_import" and "1 missing" in history[-1].note


def test_onward_processing_is_reported_back_once(loop) -> None:  # type: ignore[no-untyped-def]
    kz, cn, client, china = loop["kz"], loop["cn"], loop["client"], loop["china"]
    number, notice = notified(loop)
    lots = notice["payload"]["body"]["items"]
    customs, plant = china["cn-customs"], china["cn-plant"]
    record_arrival(cn.uow(), customs.principal, RecordArrival(number, lots))
    # Customs hands the first lot to the plant, which grinds it into an extract.
    at = datetime.now(UTC)
    quantities = [{"epcClass": lots[0], "quantity": 1.8, "uom": "KGM"}]
    ship = build.shipping([], at, customs.sgln, customs.pgln, plant.pgln, plant.sgln)
    receive = build.receiving([], at + timedelta(milliseconds=1), plant.sgln)
    for event in (ship, receive):
        del event["epcList"]
        event["quantityList"] = quantities
    ok(capture(cn, customs.principal, [ship]))
    ok(capture(cn, plant.principal, [receive]))
    extract = "urn:epc:class:lgtin:6900002.000001.EXT-1"
    made = build.transformation(
        [], [(extract, 0.5)], at + timedelta(milliseconds=2), plant.sgln, "extract", [(lots[0], 1.8)]
    )
    ok(capture(cn, plant.principal, [made]))
    reports = [m for m in outbox(cn) if m.kind == "onward-processing"]
    assert len(reports) == 1 and reports[0].permit_number == number
    deliver_outbox(cn.uow, client, force=True)
    again = httpx.post(f"{loop['kz_url']}/api/partner/messages", content=reports[0].message)
    assert again.json()["status"] == "already applied"
    [report] = received_processing(kz)
    assert report["body"]["permit_number"] == number
    [event] = report["body"]["events"]
    assert event["outputQuantityList"][0]["epcClass"] == extract
    assert event["inputQuantityList"][0]["epcClass"] == lots[0]


def received_processing(kz) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    with kz.uow() as uow:
        return [read_signed(r.message).payload for r in uow.partners.inbox("onward-processing")]
