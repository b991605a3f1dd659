"""The floor's pages through HTTP with a person's session, on both databases: the warehouse ships and
the plant receives by scanning, each code checked at once; what moved shows in the stock list; a
refused code is explained and nothing is recorded; a resend records once; a processing run's yield
and implausible masses are refused next to their fields; customs endorses an export and records an
arrival; the inspector records a seizure and sees each code's match."""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.custody.adapters.tables import events
from kiik.custody.services.held_items import HeldItemsQuery, held_items
from kiik.epcis.domain.identifiers import canonical_key
from kiik.permits.services.application import ApplyForPermit, apply_for_permit
from kiik.permits.services.decisions import IssuePermit, issue_permit
from tests.support.partner import china_world
from tests.support.people import csrf_of, log_in, person
from tests.support.reconciliation import PartnerKey, notice_body, notify
from tests.support.season import T0, authorise, harvest, horn, move, open_register, small_season
from tests.support.world import Member, make_world

NEW_HORNS = list(range(101, 107))


def stored_events(registry: Registry) -> int:
    with registry.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(events)) or 0)


def element(n: int) -> str:
    """Horn n's code as a scanner reads its DataMatrix: a GS1 element string."""
    return f"(01)04870002000010(21){n}"


def floor(registry: Registry) -> dict[str, Member]:
    """The small season, and six more horns stored at the warehouse."""
    world = make_world(registry)
    open_register(registry, world)
    small_season(registry, world, lot_count=1)
    harvest(registry, world["harvester"], NEW_HORNS, authorise(registry, world, T0 + timedelta(days=20)),
            at=T0 + timedelta(days=20))  # fmt: skip
    move(
        registry,
        world["harvester"],
        world["warehouse"],
        [horn(n) for n in NEW_HORNS],
        T0 + timedelta(days=21),
    )
    for org, username in (("warehouse", "wh.clerk"), ("plant", "plant.op"), ("customs", "customs.op"),
                          ("inspector", "insp.op")):  # fmt: skip
        person(registry, org, username)
    return world


def session(registry: Registry, username: str) -> tuple[TestClient, str]:
    client = TestClient(create_app(registry))
    assert log_in(client, username).status_code == 303
    return client, csrf_of(client.get("/account").text)


def key_of(html: str) -> str:
    found = re.search(r'name="key" value="([^"]+)"', html)
    assert found
    return found.group(1)


def tags(html: str) -> list[str]:
    return re.findall(r'class="tag[^"]*">([^<]*)<', html)


def test_ship_and_receive_by_scanning_show_in_stock_and_record_once(registry: Registry) -> None:
    floor(registry)
    codes = "\n".join(element(n) for n in NEW_HORNS[:3])
    warehouse, token = session(registry, "wh.clerk")
    with warehouse:
        checked = warehouse.post(
            "/floor/check",
            data={
                "csrf": token,
                "purpose": "ship",
                "codes": codes + "\n(01)04870002000010(21)1\nnot-a-code\n" + element(101),
            },
        )
        assert checked.status_code == 200
        assert tags(checked.text) == ["ready"] * 3 + [
            "held by another organisation",
            "not a code kiik can read",
            "already in the list",
        ]
        page = warehouse.get("/floor/move?kind=ship")
        key = key_of(page.text)
        before = stored_events(registry)
        form = {"csrf": token, "kind": "ship", "key": key, "codes": codes, "party": "plant", "action": "send"}
        sent = warehouse.post("/floor/move", data=form)
        assert sent.status_code == 201 and "The shipment is recorded" in sent.text
        assert stored_events(registry) == before + 1
        again = warehouse.post("/floor/move", data=form)  # the connection was lost: sent again
        assert again.status_code == 200 and "This was recorded before" in again.text
        assert stored_events(registry) == before + 1
        # The same codes on a new page: in transit now, refused by the capture and explained per code.
        refused = warehouse.post("/floor/move", data={**form, "key": str(uuid.uuid4())})
        assert refused.status_code == 400 and "Nothing was recorded" in refused.text
        assert refused.text.count("cannot be shipped: it is in transit") == 3
        assert stored_events(registry) == before + 1
        # Another organisation's item: a holder learns that it is held elsewhere, nothing of its state.
        looked = warehouse.post("/floor/check", data={"csrf": token, "purpose": "look", "codes": element(1)})
        assert tags(looked.text) == ["held by another organisation"] and "whole horn" not in looked.text
        in_transit = warehouse.get("/stock?status=in_transit")
        assert (
            "3 items and lots." in in_transit.text
            and quote(canonical_key(horn(101)), safe="") in in_transit.text
        )
    plant, token = session(registry, "plant.op")
    with plant:
        coming = plant.post(
            "/floor/check", data={"csrf": token, "purpose": "receive", "codes": codes + "\n" + element(104)}
        )
        assert tags(coming.text) == ["ready", "ready", "ready", "not on its way to you"]
        page = plant.get("/floor/move?kind=receive")
        form = {"csrf": token, "kind": "receive", "key": key_of(page.text), "codes": codes, "action": "send"}
        received = plant.post("/floor/move", data=form)
        assert received.status_code == 201 and "The receipt is recorded" in received.text
        held = plant.get("/stock?product=whole_horn")
        assert "3 items and lots." in held.text
        assert canonical_key(horn(102)) in held.text


def test_the_stock_list_pages_and_filters(registry: Registry) -> None:
    world = floor(registry)
    warehouse, _ = session(registry, "wh.clerk")
    with warehouse:
        first = warehouse.get("/stock")
        assert "6 items and lots." in first.text
        assert "0 items and lots." in warehouse.get("/stock?status=consumed").text
        bad = warehouse.get("/stock?status=lost")
        assert bad.status_code == 400 and "is no status" in bad.text
    principal = world["warehouse"].principal
    page = held_items(registry.uow(), principal, HeldItemsQuery(limit=4))
    assert len(page.items) == 4 and page.total == 6 and page.next_after == page.items[-1].key
    rest = held_items(registry.uow(), principal, HeldItemsQuery(after=page.next_after, limit=4))
    assert len(rest.items) == 2 and rest.next_after is None
    assert {i.key for i in page.items}.isdisjoint({i.key for i in rest.items})


def processing_form(token: str, key: str, mass: str, lot: str = "PWD-9") -> dict[str, str]:
    return {
        "csrf": token,
        "key": key,
        "inputs": "\n".join(element(n) for n in (101, 102)),
        "product_type": "powder",
        "output-0-code": f"(01)04870004000025(10){lot}",
        "output-0-mass": mass,
        "action": "send",
    }


def test_a_processing_run_shows_its_yield_and_refuses_implausible_masses(registry: Registry) -> None:
    world = floor(registry)
    move(registry, world["warehouse"], world["plant"], [horn(n) for n in NEW_HORNS], T0 + timedelta(days=22))
    plant, token = session(registry, "plant.op")
    with plant:
        key = key_of(plant.get("/floor/processing").text)
        before = stored_events(registry)
        checked = plant.post(
            "/floor/processing", data={**processing_form(token, key, "0.3"), "action": "check"}
        )
        assert checked.status_code == 200 and 'class="yield holds"' in checked.text
        assert "Inputs: 0.500 kg. Outputs: 0.300 kg." in checked.text and "at most 0.450 kg" in checked.text
        too_much = plant.post("/floor/processing", data=processing_form(token, key, "0.6"))
        assert too_much.status_code == 400 and 'id="outputs-error"' in too_much.text
        assert "allows at most 0.450 kg of powder" in too_much.text
        implausible = plant.post("/floor/processing", data=processing_form(token, key, "0.0001"))
        assert implausible.status_code == 400
        assert re.search(r'id="output-0-mass-error">0.0001 kg is not plausible', implausible.text)
        not_a_lot = plant.post(
            "/floor/processing", data={**processing_form(token, key, "0.3"), "output-0-code": element(200)}
        )
        assert not_a_lot.status_code == 400 and 'id="output-0-code-error"' in not_a_lot.text
        assert stored_events(registry) == before  # nothing recorded by any refusal
        done = plant.post("/floor/processing", data=processing_form(token, key, "0.3"))
        assert done.status_code == 201 and "The processing run is recorded" in done.text
        again = plant.post("/floor/processing", data=processing_form(token, key, "0.3"))
        assert again.status_code == 200 and "This was recorded before" in again.text
        assert stored_events(registry) == before + 1
        stock = plant.get("/stock?product=powder")
        assert "PWD-9" in stock.text
        used = plant.post("/floor/check", data={"csrf": token, "purpose": "process", "codes": element(101)})
        assert tags(used.text) == ["cannot move now"] and "processed (consumed)" in used.text


def test_customs_endorses_an_export_by_scanning(registry: Registry) -> None:
    world = floor(registry)
    season_lot = canonical_key("urn:epc:class:lgtin:4870004.000002.PWD-1")
    applied = apply_for_permit(
        registry.uow(),
        world["trader"].principal,
        ApplyForPermit([season_lot], "Importer in CN", "CN", "Main street 1"),
    )
    number = str(issue_permit(registry.uow(), world["ministry"].principal, IssuePermit(applied.id)).number)
    customs, token = session(registry, "customs.op")
    with customs:
        assert customs.get("/customs/endorse").status_code == 200
        wrong = customs.post("/customs/endorse", data={"csrf": token, "permit": "nonsense", "codes": ""})
        assert (
            wrong.status_code == 400
            and 'id="permit-error"' in wrong.text
            and 'id="codes-error"' in wrong.text
        )
        qr = f"http://registry.example/verify/permit/{number}"
        stray = customs.post(
            "/customs/endorse", data={"csrf": token, "permit": qr, "codes": season_lot + "\n" + element(103)}
        )
        assert stray.status_code == 400 and "Nothing was recorded" in stray.text
        assert "refused" in tags(stray.text)
        done = customs.post(
            "/customs/endorse", data={"csrf": token, "permit": qr, "codes": season_lot, "port": "Khorgos"}
        )
        assert done.status_code == 201 and f"Permit {number} is endorsed" in done.text
        twice = customs.post("/customs/endorse", data={"csrf": token, "permit": number, "codes": season_lot})
        assert twice.status_code == 400 and 'id="permit-error"' in twice.text


def test_customs_records_an_arrival_under_a_partners_permit(registry: Registry) -> None:
    cn = Registry(replace(registry.settings, country="CN"), registry.engine)
    china_world(cn)
    kazakhstan = PartnerKey.make("KZ")
    kazakhstan.register_with(cn)
    lots = {canonical_key("urn:epc:class:lgtin:4870004.000001.PWD-1"): 1.8}
    notify(cn, kazakhstan, notice_body("KZ/2026/000007", lots, datetime.now(UTC)))
    person(cn, "cn-customs", "cn.officer")
    customs, token = session(cn, "cn.officer")
    with customs:
        unknown = customs.post(
            "/customs/arrivals", data={"csrf": token, "permit": "KZ/2026/000008", "codes": list(lots)[0]}
        )
        assert unknown.status_code == 400 and "no export notice" in unknown.text
        done = customs.post(
            "/customs/arrivals", data={"csrf": token, "permit": "KZ/2026/000007", "codes": list(lots)[0]}
        )
        assert done.status_code == 201 and "The arrival under permit KZ/2026/000007 is recorded" in done.text
        again = customs.post(
            "/customs/arrivals", data={"csrf": token, "permit": "KZ/2026/000007", "codes": list(lots)[0]}
        )
        assert again.status_code == 400 and "confirmed already" in again.text


def test_the_inspector_records_a_seizure_and_sees_each_codes_match(registry: Registry) -> None:
    floor(registry)
    inspector, token = session(registry, "insp.op")
    with inspector:
        assert inspector.get("/scan").status_code == 200
        form = {
            "csrf": token,
            "reference": "",
            "seized_on": "2999-01-01",
            "agency": "Inspectorate",
            "method": "",
            "species": "Saiga tatarica",
            "term": "HOR",
            "unit": "NAR",
            "codes": element(104) + "\n(01)04870002000010(21)9999\n(01)06900001000013(21)5",
        }
        before = stored_events(registry)
        wrong = inspector.post("/seizures/new", data=form)
        assert wrong.status_code == 400
        assert {"reference-error", "seized_on-error", "method-error"} <= set(
            re.findall(r'class="error" id="([^"]+)"', wrong.text)
        )
        assert stored_events(registry) == before
        form.update(reference="INS-PAGE-1", seized_on="2026-10-01", method="patrol", place="Almaty bazaar")
        done = inspector.post("/seizures/new", data=form)
        assert done.status_code == 201
        assert re.findall(r'class="match-[^"]*">([^<]*)<', done.text) == [
            "leaked from legal stock", "forged or re-used code", "another country's code"
        ]  # fmt: skip
        shown = inspector.get("/seizures/view/INS-PAGE-1")
        assert shown.status_code == 200 and "Almaty bazaar" in shown.text
        seized = inspector.post(
            "/floor/check", data={"csrf": token, "purpose": "look", "codes": element(104)}
        )
        assert "seized" in seized.text
