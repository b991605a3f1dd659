"""The whole partner loop between two registries on loopback ports: the export notice registers the
items in the importing registry, its customs confirms the arrival, the exporting registry closes
the permit once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from typer.testing import CliRunner

from kiik.cli.main import app
from kiik.directory.services.auth import create_token
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.identifiers import canonical_key
from kiik.ledger.domain.signed_documents import read_signed
from kiik.partners.services.delivery import deliver_outbox
from kiik.partners.services.imports import RecordArrival, record_arrival
from tests.e2e.test_partner_exchange import export_season, outbox
from tests.support.documents import capture
from tests.support.exports import partner_authority
from tests.support.partner import linked_registries
from tests.support.season import horn, ok


@pytest.fixture
def loop(tmp_path: Path) -> Iterator[dict[str, Any]]:
    with linked_registries(tmp_path) as link:
        yield {
            "kz": link.kz,
            "cn": link.cn,
            "kz_url": link.kz_url,
            "cn_url": link.cn_url,
            "china": link.china,
            "client": link.client,
        }


def notified(loop: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    kz, client = loop["kz"], loop["client"]
    number = export_season(kz)
    assert deliver_outbox(kz.uow, client, force=True).delivered
    [notice] = httpx.get(
        f"{loop['cn_url']}/api/partner/notices",
        headers={"Authorization": f"Bearer {loop['china']['cn-customs'].token}"},
    ).json()
    return number, notice


EXTRACT = "urn:epc:class:lgtin:6900002.000001.EXT-1"


def process(cn, china: dict[str, Any], lot: str) -> str:  # type: ignore[no-untyped-def]
    """China's customs hands the lot to the plant, which grinds it into an extract; the extract."""
    customs, plant = china["cn-customs"], china["cn-plant"]
    at = datetime.now(UTC)
    quantities = [{"epcClass": lot, "quantity": 1.8, "uom": "KGM"}]
    ship = build.shipping([], at, customs.sgln, customs.pgln, plant.pgln, plant.sgln)
    receive = build.receiving([], at + timedelta(milliseconds=1), plant.sgln)
    for event in (ship, receive):
        del event["epcList"]
        event["quantityList"] = quantities
    ok(capture(cn, customs.principal, [ship]))
    ok(capture(cn, plant.principal, [receive]))
    made = build.transformation(
        [], [(EXTRACT, 0.5)], at + timedelta(milliseconds=2), plant.sgln, "extract", [(lot, 1.8)]
    )
    ok(capture(cn, plant.principal, [made]))
    return EXTRACT


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
    record_arrival(cn.uow(), china["cn-customs"].principal, RecordArrival(number, lots))
    extract = process(cn, china, lots[0])
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


def get(url: str, token: str, **params: str) -> Any:
    answer = httpx.get(url, params=params, headers={"Authorization": f"Bearer {token}"})
    return answer


def test_the_whole_loop_from_harvest_to_the_partners_product(loop) -> None:  # type: ignore[no-untyped-def]
    kz, cn, client, china = loop["kz"], loop["cn"], loop["client"], loop["china"]
    kz_url, cn_url = loop["kz_url"], loop["cn_url"]
    customs, plant = china["cn-customs"], china["cn-plant"]
    # Kazakhstan: harvest, powder lots, permit, export endorsed; the notice delivered to China.
    number, notice = notified(loop)
    lots = notice["payload"]["body"]["items"]
    horns = [canonical_key(horn(n)) for n in range(1, 9)]  # the first lot's eight horns

    # China: customs scans the consignment on arrival; the confirmation closes the permit in KZ.
    arrived = httpx.post(
        f"{cn_url}/api/partner/arrivals",
        json={"permit": number, "items": lots},
        headers={"Authorization": f"Bearer {customs.token}"},
    )
    assert arrived.status_code == 201, arrived.text
    assert arrived.json()["missing"] == []
    # China: the plant makes an extract of the first lot; the report goes back to Kazakhstan.
    extract = process(cn, china, lots[0])
    assert {m.kind for m in outbox(cn)} == {"import-confirmation", "onward-processing"}
    assert len(deliver_outbox(cn.uow, client, force=True).delivered) == 2
    with kz.uow() as uow:
        assert uow.cites.permits.by_number(number).status.value == "closed"

    # The importer's trace of its final product reaches back through the notice to the harvest.
    back = get(f"{cn_url}/api/items/{quote(extract, safe='')}/trace", plant.token).json()
    assert back["verdict"]["origin_traced"] and back["verdict"]["animals"] == 4
    assert back["verdict"]["species"] == ["Saiga tatarica"]
    assert sorted(s["key"] for s in back["lineage"]["sources"]) == sorted(horns)
    for source in back["lineage"]["sources"]:
        assert source["origin"]["ilmd"]["kiik:harvestAuthorisation"]
        assert source["origin"]["reported_by"]["country"] == "KZ"
        assert source["share"] == pytest.approx(1 / 8)
    made = back["lineage"]["backward"]["made_by"]  # China's own extraction
    assert made["recorded_by"]["code"] == "cn-plant" and "reported_by" not in made
    [imported] = made["inputs"]
    assert imported["key"] == lots[0]
    assert imported["made_by"]["reported_by"] == {
        "country": "KZ",
        "permit": number,
        "message": notice["id"],
        "message_type": "export-notice",
        "received_at": imported["made_by"]["reported_by"]["received_at"],
    }

    # The exporter's trace of a horn goes forward through its lot to China's extract.
    ministry = create_token(kz.uow(), "ministry", "viewer").token
    ahead = get(f"{kz_url}/api/items/{quote(horns[0], safe='')}/trace", ministry).json()
    [lot_step] = ahead["lineage"]["forward"]["used_in"]
    [lot_node] = lot_step["outputs"]
    assert lot_node["key"] == lots[0] and lot_node["status"] == "exported"
    [partner_step] = lot_node["used_in"]
    assert partner_step["reported_by"]["country"] == "CN"
    assert partner_step["reported_by"]["permit"] == number
    assert partner_step["reported_by"]["message_type"] == "onward-processing"
    assert [o["key"] for o in partner_step["outputs"]] == [canonical_key(extract)]
    assert partner_step["outputs"][0]["mass_kg"] == 0.5
    assert canonical_key(extract) in [p["key"] for p in ahead["lineage"]["products"]]
    # Both registries agree: the same events, by their hash IDs, on each side of the border.
    assert partner_step["hash_id"] == made["hash_id"]
    assert imported["made_by"]["hash_id"] == lot_step["hash_id"]

    # The inspector's pages show the same: the harvest from China's side, the extract from Kazakhstan's.
    page = httpx.get(
        f"{cn_url}/items/{quote(extract, safe='')}", headers={"Authorization": f"Bearer {plant.token}"}
    )
    assert page.status_code == 200 and "Ural" in page.text
    page = httpx.get(
        f"{kz_url}/items/{quote(horns[0], safe='')}", headers={"Authorization": f"Bearer {ministry}"}
    )
    assert page.status_code == 200 and "made in CN: reported by the CN registry" in page.text

    shown = CliRunner().invoke(app, ["trace", horns[0], "--db", kz.settings.database_url])
    assert shown.exit_code == 0, shown.output
    assert "the partner registry: recorded in CN (onward processing of permit" in shown.output
    shown = CliRunner().invoke(app, ["trace", extract, "--db", cn.settings.database_url])
    assert "the partner registry: recorded in KZ (export notice of permit" in shown.output
    assert "origin on record: 8 source items from 4 animals (Saiga tatarica)" in shown.output

    # China's authority, registered in Kazakhstan's registry, reads its EPCIS interface for
    # what was exported to China, back to harvest, and nothing else.
    authority = partner_authority(kz, "cn-nfga", "CN")
    page = get(f"{kz_url}/epcis/events", authority, perPage="1000", EQ_action="ADD")
    assert page.status_code == 200
    harvested = {
        canonical_key(k)
        for e in page.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        if e.get("ilmd")
        for k in e.get("epcList", [])
    }
    assert set(horns) <= harvested and canonical_key(horn(20)) not in harvested
    assert get(f"{kz_url}/api/items/{quote(lots[0], safe='')}/trace", authority).status_code == 200
    assert get(f"{kz_url}/api/items/{quote(horn(20), safe='')}", authority).status_code == 404
    assert get(f"{kz_url}/api/items/{quote(horn(25), safe='')}/trace", authority).status_code == 404
