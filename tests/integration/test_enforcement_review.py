"""After a seizure: the leak alert's review, the seized goods' custody steps, and the capture rule
that keeps seized goods out of legal trade."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from kiik.bootstrap.registry import Registry
from kiik.directory.domain.permissions import NotAllowed, Role
from kiik.enforcement.domain.errors import EnforcementError
from kiik.enforcement.services.alerts import list_alerts, review_alert, show_alert
from kiik.enforcement.services.custody import record_step
from kiik.enforcement.services.regions import set_region
from kiik.enforcement.services.seizures import record_seizure
from kiik.epcis.domain import event_builders as build
from kiik.epcis.services.identifier_terms import item_key
from kiik.errors import NotFound
from tests.support.documents import capture
from tests.support.enforcement import NEVER_ISSUED, enforcement_world, horn_seizure
from tests.support.season import T0


def test_a_leak_alert_is_reviewed_step_by_step_and_the_holder_sees_only_that_it_concerns_it(
    registry: Registry,
) -> None:
    ew = enforcement_world(registry)
    leaked = ew.season.trader_horns[0]
    record_seizure(registry.uow(), ew.world["customs"].principal, horn_seizure("KZ-A-1", [leaked], 1))
    inspector, ministry = ew.world["inspector"].principal, ew.world["ministry"].principal
    [alert] = list_alerts(registry.uow(), inspector)  # the inspectorate of West Kazakhstan
    assert (alert["seizure"], alert["holder"], alert["status"]) == ("KZ-A-1", "Saiga Export LLP", "open")
    with pytest.raises(EnforcementError, match="it may go to investigating"):
        review_alert(registry.uow(), inspector, alert["id"], "explained", "sold at auction")
    review_alert(registry.uow(), inspector, alert["id"], "investigating")
    with pytest.raises(EnforcementError, match="say in a note why"):
        review_alert(registry.uow(), ministry, alert["id"], "confirmed_leak")
    done = review_alert(
        registry.uow(), ministry, alert["id"], "confirmed_leak", "the trader's storeman sold it"
    )
    assert [(s["status"], s["by"]) for s in done["steps"]] == [
        ("open", "State Revenue Committee, customs (seizure KZ-A-1)"),
        ("investigating", "operator of Forestry and wildlife inspectorate"),
        ("confirmed_leak", "operator of Committee of Forestry and Wildlife"),
    ]
    assert all(s["at"] for s in done["steps"])
    with pytest.raises(EnforcementError, match="it is closed"):
        review_alert(registry.uow(), ministry, alert["id"], "investigating")
    # the holder: that the alert concerns it and which codes, never the seizure behind it
    trader = ew.world["trader"].principal
    [own] = list_alerts(registry.uow(), trader)
    assert own["codes"] == [alert["codes"][0]] and own["status"] == "confirmed_leak"
    assert "seizure" not in own and "steps" not in show_alert(registry.uow(), trader, alert["id"])
    with pytest.raises(NotFound):
        show_alert(registry.uow(), ew.world["warehouse"].principal, alert["id"])
    with pytest.raises(NotAllowed):
        review_alert(registry.uow(), trader, alert["id"], "investigating")


def test_an_inspectorate_of_another_region_does_not_see_the_alert(registry: Registry) -> None:
    ew = enforcement_world(registry)
    record_seizure(
        registry.uow(), ew.world["customs"].principal, horn_seizure("KZ-A-2", [ew.season.trader_horns[0]], 1)
    )
    set_region(
        registry.uow(), replace(ew.world["ministry"].principal, role=Role.ADMIN), "inspector", "Almaty"
    )
    assert list_alerts(registry.uow(), ew.world["inspector"].principal) == []
    assert len(list_alerts(registry.uow(), ew.world["ministry"].principal)) == 1


def test_seized_goods_go_through_evidence_and_court_to_destruction_as_events(registry: Registry) -> None:
    ew = enforcement_world(registry)
    customs = ew.world["customs"].principal
    leaked = ew.season.trader_horns[0]
    record_seizure(registry.uow(), customs, horn_seizure("KZ-C-1", [leaked, NEVER_ISSUED], 2))
    with pytest.raises(EnforcementError, match="the next step is evidence"):
        record_step(registry.uow(), customs, "KZ-C-1", "destroyed", "Almaty incinerator")
    record_step(registry.uow(), customs, "KZ-C-1", "evidence", "Customs evidence store, Oral")
    record_step(registry.uow(), customs, "KZ-C-1", "court", "Oral city court", "case 339-1")
    done = record_step(registry.uow(), customs, "KZ-C-1", "destroyed", "Almaty incinerator")
    assert done["codes"] == 2 and done["eventID"]
    uow = registry.uow()
    with uow:
        states = uow.items.load([item_key(leaked), item_key(NEVER_ISSUED)])
    assert {s.status.value for s in states.values()} == {"destroyed"}
    with pytest.raises(EnforcementError, match="disposed of already"):
        record_step(registry.uow(), customs, "KZ-C-1", "returned", "owner")


def test_nothing_seized_re_enters_legal_trade(registry: Registry) -> None:
    ew = enforcement_world(registry)
    record_seizure(registry.uow(), ew.world["customs"].principal, horn_seizure("KZ-R-1", [NEVER_ISSUED], 1))
    harvester = ew.world["harvester"]
    registering = build.commissioning(
        [NEVER_ISSUED],
        T0 + timedelta(days=40),
        harvester.sgln,
        ilmd={"species": "Saiga tatarica", "massKg": 0.2},
    )
    outcome = capture(registry, harvester.principal, [registering])
    assert not outcome.succeeded
    assert "enforcement.seized_goods" in {e["rule"] for e in outcome.errors}
    assert any("seizure KZ-R-1" in e["message"] for e in outcome.errors)
