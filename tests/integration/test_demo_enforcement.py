"""The demo's enforcement, as a new user follows it: the 845-horn seizure and which horns leaked
from whom, the alert through its review, the tortoise case's penalty estimate, the seized tortoises
released, and the year's illegal trade report."""

from __future__ import annotations

from kiik.bootstrap.registry import Registry
from kiik.demo.cast import load_demo
from kiik.directory.domain.permissions import OrgKind, Principal, Role
from kiik.enforcement.services.alerts import show_alert
from kiik.enforcement.services.analytics import illegal_trade_report
from kiik.enforcement.services.cases import show_case
from kiik.enforcement.services.rehabilitation import released_where
from kiik.enforcement.services.seizures import show_seizure
from kiik.epcis.adapters.capture_source import open_capture_document


def _acting(registry: Registry, code: str, kind: OrgKind) -> Principal:
    with registry.uow() as uow:
        org = uow.directory.organisation(code)
    return Principal(org.id, org.code, org.name, kind, Role.VIEWER)


def test_the_demo_tells_the_enforcement_story(registry: Registry) -> None:
    result = load_demo(
        registry.uow,
        open_capture_document,
        custody_rules=True,
        yields=registry.settings.yields,
        horns=40,
        seed=5,
    )
    found = result.enforcement
    assert found is not None
    ministry = _acting(registry, "kz-ministry", OrgKind.MINISTRY)
    seizure = show_seizure(registry.uow(), ministry, "KG-GKNB-2026-0623")
    assert seizure["reportingCountry"] == "KG" and seizure["specimens"][0]["quantity"] == 845
    leaks = [c for c in seizure["codes"] if c["verdict"] == "leak"]
    assert len(leaks) == found.leaked >= 1 and seizure["verdicts"]["unmarked"] == 845 - found.leaked
    assert {c["details"]["holder"] for c in leaks} == {found.leaked_from}
    alert = show_alert(registry.uow(), ministry, found.alert or 0)
    assert [s["status"] for s in alert["steps"]] == ["open", "investigating", "confirmed_leak"]
    case = show_case(registry.uow(), ministry, found.case)
    assert (
        case["penaltyEstimate"]["estimate"] is True
        and case["penaltyEstimate"]["fine_kzt"]["max"] == 12_975_000
    )
    released = released_where(registry.uow(), ministry, 2026)
    assert released["released"] == 5 and released["died"] == 1
    assert released["releases"][0]["place"] == "Kapshagay steppe, Almaty region"
    forged = show_seizure(registry.uow(), ministry, found.forged_seizure)
    assert forged["status"] == "recorded" and forged["codes"][0]["reason"] == "never_issued"
    header, rows = illegal_trade_report(registry.uow(), ministry, 2026)
    assert {row[8] for row in rows} == {"Saiga tatarica", "Testudo horsfieldii"}
    assert any(row[11] == 845 for row in rows)
