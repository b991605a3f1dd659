"""The permit lifecycle through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from kiik.directory.domain.permissions import OrgKind, Principal, Role
from kiik.directory.services.auth import add_organisation
from kiik.epcis.adapters.reader import validate_event
from kiik.epcis.domain import event_builders as build
from kiik.errors import NotFound
from kiik.permits.domain.events import export_event
from kiik.permits.domain.lifecycle import PermitStatus, TransitionRefused
from kiik.permits.services.application import ApplyForPermit, apply_for_permit, withdraw_application
from kiik.permits.services.decisions import (
    IssuePermit,
    cancel_permit,
    expire_permits,
    issue_permit,
    reject_application,
    replace_permit,
)
from kiik.permits.services.desk import PermitFilter, permit_page, permit_record
from kiik.permits.services.endorsement import EndorseExport, endorse_export
from kiik.permits.services.ports import PermitRefused
from kiik.permits.services.queries import get_permit, list_permits
from kiik.permits.services.reports import annual_report, as_csv, quota_use
from kiik.permits.services.verification import verify_permit
from tests.support.documents import capture, rules_of
from tests.support.season import horn, open_register, small_season
from tests.support.world import make_world

NOW = datetime.now(UTC)


@pytest.fixture
def setting(registry):  # type: ignore[no-untyped-def]
    world = make_world(registry)
    quota_id = open_register(registry, world, cap=5.0)
    season = small_season(registry, world)
    return registry, world, season, quota_id


def apply(registry, world, items, **extra):  # type: ignore[no-untyped-def]
    command = ApplyForPermit(items, "Tongrentang Import Co.", "CN", "Beijing", **extra)
    return apply_for_permit(registry.uow(), world["trader"].principal, command)


def issue(registry, world, permit, **extra):  # type: ignore[no-untyped-def]
    return issue_permit(registry.uow(), world["ministry"].principal, IssuePermit(permit.id, **extra))


def endorse(registry, world, number, items, **extra):  # type: ignore[no-untyped-def]
    command = EndorseExport(number, items, **extra)
    return endorse_export(
        registry.uow(), world["customs"].principal, command, validate_event, custody_rules=True, yields={}
    )


def balance(registry, quota_id):  # type: ignore[no-untyped-def]
    with registry.uow() as uow:
        return uow.cites.quotas.balance(quota_id, NOW.year)


def refused(call, *rules: str) -> PermitRefused:  # type: ignore[no-untyped-def]
    with pytest.raises(PermitRefused) as caught:
        call()
    assert [p.rule for p in caught.value.problems] == list(rules), caught.value
    return caught.value


def test_a_permit_for_items_the_applicant_does_not_hold_is_refused(setting) -> None:  # type: ignore[no-untyped-def]
    registry, world, season, _ = setting
    consumed_by_the_plant = horn(1)
    error = refused(lambda: apply(registry, world, [consumed_by_the_plant]), "permit.not_holder")
    assert "not held by Saiga Export LLP" in str(error)
    refused(lambda: apply(registry, world, ["urn:epc:id:sgtin:4870002.000001.999"]), "permit.item_unknown")


def test_a_permit_beyond_the_remaining_quota_is_refused(setting) -> None:  # type: ignore[no-untyped-def]
    registry, world, season, quota_id = setting
    lots = list(season.lots)  # 3 lots of 1.8 kg against a 5 kg quota
    error = refused(lambda: apply(registry, world, lots), "permit.quota_exceeded")
    assert "5.400 KGM asked for" in str(error) and "has 5.000 left" in str(error)
    first, second, third = (apply(registry, world, [lot]) for lot in lots)
    issue(registry, world, first)
    issue(registry, world, second)
    assert balance(registry, quota_id).remaining == pytest.approx(1.4)
    error = refused(lambda: issue(registry, world, third), "permit.quota_exceeded")
    assert "has 1.400 KGM left" in str(error)
    assert balance(registry, quota_id).reserved == pytest.approx(3.6)


def test_other_automatic_checks(setting) -> None:  # type: ignore[no-untyped-def]
    registry, world, season, _ = setting
    trader = world["trader"]
    made_up = "urn:epc:class:lgtin:4870005.000003.NO-ORIGIN"
    line = [{"epcClass": made_up, "quantity": 2.0, "uom": "KGM"}]
    assert capture(
        registry, trader.principal, [build.commissioning([], NOW, trader.sgln, quantities=line)]
    ).succeeded
    refused(
        lambda: apply(registry, world, [made_up]),
        "permit.species_unknown",
        "permit.lineage_incomplete",
    )
    lot = next(iter(season.lots))
    apply(registry, world, [lot])
    refused(lambda: apply(registry, world, [lot]), "permit.item_on_other_permit")
    with pytest.raises(Exception, match="purpose code"):
        apply(registry, world, [season.trader_horns[0]], purpose="X")


def test_issue_reject_withdraw_and_refused_transitions(setting) -> None:  # type: ignore[no-untyped-def]
    registry, world, season, quota_id = setting
    lots = list(season.lots)
    permit = issue(
        registry, world, apply(registry, world, [lots[0]]), valid_until=NOW.date() + timedelta(days=30)
    )
    assert permit.status is PermitStatus.ISSUED and permit.number == f"KZ/{NOW.year}/000001"
    assert permit.valid_until == NOW.date() + timedelta(days=30)
    assert permit.quota_line == f"1.800 / 5.000 kg ({NOW.year})"
    with pytest.raises(TransitionRefused, match="cannot be issued: it is issued and not yet used"):
        issue(registry, world, permit)
    rejected = reject_application(
        registry.uow(),
        world["ministry"].principal,
        apply(registry, world, [lots[1]]).id,
        "no importer licence",
    )
    assert rejected.status is PermitStatus.REJECTED and rejected.decision_note == "no importer licence"
    withdrawn = withdraw_application(
        registry.uow(), world["trader"].principal, apply(registry, world, [lots[1]]).id
    )
    with pytest.raises(TransitionRefused, match="the application was withdrawn"):
        issue(registry, world, withdrawn)
    with pytest.raises(Exception, match="permits:decide"):
        issue_permit(registry.uow(), world["trader"].principal, IssuePermit(withdrawn.id))


def test_cancellation_releases_the_quota(setting) -> None:  # type: ignore[no-untyped-def]
    registry, world, season, quota_id = setting
    permit = issue(registry, world, apply(registry, world, list(season.lots)[:2]))
    assert balance(registry, quota_id).reserved == pytest.approx(3.6)
    cancelled = cancel_permit(registry.uow(), world["ministry"].principal, permit.number, "importer withdrew")
    assert cancelled.status is PermitStatus.CANCELLED
    assert balance(registry, quota_id).reserved == pytest.approx(0.0)
    with pytest.raises(TransitionRefused, match="it was cancelled"):
        cancel_permit(registry.uow(), world["ministry"].principal, permit.number, "again")
    error = refused(
        lambda: endorse(registry, world, permit.number, list(season.lots)[:2]), "permit.not_valid"
    )
    assert "nothing was recorded" in str(error)


def test_replacement_voids_the_old_permit(setting) -> None:  # type: ignore[no-untyped-def]
    registry, world, season, quota_id = setting
    lots = list(season.lots)[:2]
    old = issue(registry, world, apply(registry, world, lots))
    new = replace_permit(
        registry.uow(), world["ministry"].principal, old.number, IssuePermit(0, note="typo in box 3")
    )
    assert new.status is PermitStatus.ISSUED and new.number != old.number and new.replaces_id == old.id
    assert balance(registry, quota_id).reserved == pytest.approx(3.6)  # reserved once, not twice
    answer = verify_permit(registry.uow(), world["customs"].principal, old.number)
    assert answer["verdict"] == "replaced (void)" and answer["details"]["replaced_by"] == new.number
    refused(lambda: endorse(registry, world, old.number, lots), "permit.not_valid")
    endorsed, _ = endorse(registry, world, new.number, lots)
    assert endorsed.status is PermitStatus.USED


def test_expiry_releases_the_quota_and_an_expired_permit_cannot_be_used(setting) -> None:  # type: ignore[no-untyped-def]
    registry, world, season, quota_id = setting
    lots = list(season.lots)[:1]
    issued_at = NOW - timedelta(days=3)
    permit = issue_permit(
        registry.uow(),
        world["ministry"].principal,
        IssuePermit(apply(registry, world, lots).id, valid_until=issued_at.date()),
        now=issued_at,
    )
    refused(lambda: endorse(registry, world, permit.number, lots), "permit.outside_validity")
    assert expire_permits(registry.uow(), None, today=issued_at.date()) == []
    assert expire_permits(registry.uow(), None, today=NOW.date()) == [permit.number]
    assert balance(registry, quota_id).reserved == pytest.approx(0.0)
    answer = verify_permit(registry.uow(), None, permit.number)
    assert answer["verdict"] == "expired" and "details" not in answer


def test_export_under_a_permit_uses_it_once_for_the_listed_items(setting) -> None:  # type: ignore[no-untyped-def]
    registry, world, season, quota_id = setting
    lots = list(season.lots)
    listed = lots[:2] + season.trader_horns
    permit = issue(registry, world, apply(registry, world, listed))
    assert balance(registry, quota_id).reserved == pytest.approx(4.1)
    error = refused(lambda: endorse(registry, world, permit.number, [lots[2]]), "permit.item_not_listed")
    assert "is not on permit" in str(error)
    refused(
        lambda: endorse(registry, world, permit.number, lots[:1], quantities={lots[0]: 2.5}),
        "permit.quantity_exceeded",
    )
    endorsed, outcome = endorse(
        registry,
        world,
        permit.number,
        listed,
        quantities={lots[1]: 1.5},
        port="Khorgos",
        bill_of_lading="KHG 77",
    )
    assert outcome.stored == 1 and endorsed.status is PermitStatus.USED
    assert endorsed.used_kg == pytest.approx(3.8) and endorsed.export_port == "Khorgos"
    assert {i.key: i.actual_quantity for i in endorsed.items}[endorsed.items[-1].key] is not None
    after = balance(registry, quota_id)
    assert (after.reserved, after.used) == (pytest.approx(0.0), pytest.approx(3.8))  # 0.3 kg went back
    # Endorsed again: the answer names the permit's state, not the items that cannot move.
    error = refused(lambda: endorse(registry, world, permit.number, listed), "permit.already_used")
    assert "a permit is used once" in str(error) and "not_movable" not in str(error)
    with registry.uow() as uow:
        assert uow.items.get(endorsed.items[0].key).status.value == "exported"


def test_an_export_without_a_permit_or_not_by_customs_is_refused(setting) -> None:  # type: ignore[no-untyped-def]
    registry, world, season, _ = setting
    customs, trader = world["customs"], world["trader"]
    bare = export_event("KZ/2026/999999", season.trader_horns, [], NOW, customs.sgln)
    del bare["bizTransactionList"]
    outcome = capture(registry, customs.principal, [bare])
    assert (
        rules_of(outcome) == ["export.permit_required"] and "Saiga tatarica" in outcome.errors[0]["message"]
    )
    unknown = export_event("KZ/2026/999999", season.trader_horns, [], NOW, customs.sgln)
    assert rules_of(capture(registry, customs.principal, [unknown])) == ["permit.unknown"]
    permit = issue(registry, world, apply(registry, world, season.trader_horns))
    # Now, not the module's NOW: the permit was issued just now, perhaps after midnight.
    by_trader = export_event(permit.number, season.trader_horns, [], datetime.now(UTC), trader.sgln)
    assert rules_of(capture(registry, trader.principal, [by_trader])) == ["export.not_customs"]
    with registry.uow() as uow:
        assert uow.cites.permits.by_number(permit.number).status is PermitStatus.ISSUED  # rolled back with it


def test_reports_show_quota_use_per_exporter_and_the_annual_report(setting) -> None:  # type: ignore[no-untyped-def]
    registry, world, season, quota_id = setting
    lots = list(season.lots)
    used = issue(registry, world, apply(registry, world, lots[:1] + season.trader_horns))
    endorse(registry, world, used.number, lots[:1] + season.trader_horns)
    issue(registry, world, apply(registry, world, lots[1:2]))
    report = quota_use(registry.uow(), world["ministry"].principal, NOW.year)
    [year] = [y for y in report["years"] if y["quota_id"] == quota_id]
    assert (year["cap"], year["reserved"], year["used"], year["remaining"]) == (5.0, 1.8, 2.3, 0.9)
    [exporter] = report["exporters"]
    assert exporter["exporter"]["code"] == "trader" and (exporter["reserved"], exporter["used"]) == (1.8, 2.3)
    rows = annual_report(registry.uow(), world["ministry"].principal, NOW.year)
    assert [(r["TermCode"], r["Quantity"]) for r in rows] == [("HOR", "0.5"), ("POW", "1.8")]
    assert rows[0]["ExportPermit"] == used.number and rows[0]["TradingPartner"] == "CN"
    assert (rows[0]["Appendix"], rows[0]["SourceCode"], rows[0]["PurposeCode"]) == ("II", "W", "T")
    text = as_csv(rows)
    assert text.splitlines()[0] == (
        "Appendix,SpeciesName,TermCode,Quantity,UnitCode,TradingPartner,CountryOfOrigin,ExportPermit,"
        "OriginPermit,IFSPermit,PurposeCode,SourceCode,Year"
    )
    with pytest.raises(Exception, match="reports:read"):
        quota_use(registry.uow(), world["trader"].principal)


def test_a_banned_species_cannot_get_a_permit(setting) -> None:  # type: ignore[no-untyped-def]
    registry, world, season, _ = setting
    trader = world["trader"]
    shell = "urn:epc:id:sgtin:4870005.000009.1"
    old = build.commissioning(
        [shell],
        datetime(2025, 5, 1, tzinfo=UTC),
        trader.sgln,
        ilmd={"species": "Testudo horsfieldii", "massKg": 0.9},
    )
    assert capture(registry, trader.principal, [old]).succeeded
    error = refused(lambda: apply(registry, world, [shell]), "permit.species_banned")
    assert "Article 339" in str(error)
    assert date.today().year >= 2026


def test_a_partner_authority_sees_only_the_permits_to_its_country(setting) -> None:  # type: ignore[no-untyped-def]
    """China's authority reads the permits to China, not those to Germany; the ministry reads both;
    the exporter its own."""
    registry, world, season, quota_id = setting
    lots = list(season.lots)
    to_china = issue(registry, world, apply(registry, world, [lots[0]]))
    command = ApplyForPermit([lots[1]], "Arzneimittel GmbH", "DE", "Berlin")
    to_germany = apply_for_permit(registry.uow(), world["trader"].principal, command)
    org_id = add_organisation(
        registry.uow(), "cn-authority", "CITES MA of China", "partner_authority", country="CN"
    )
    china = Principal(
        org_id, "cn-authority", "CITES MA of China", OrgKind.PARTNER_AUTHORITY, Role.VIEWER, "CN"
    )
    stateless = Principal(org_id, "cn-authority", "CITES MA of China", OrgKind.PARTNER_AUTHORITY, Role.VIEWER)

    assert [p.id for p in list_permits(registry.uow(), china)] == [to_china.id]
    assert {p.id for p in list_permits(registry.uow(), world["ministry"].principal)} == {
        to_china.id,
        to_germany.id,
    }
    assert {p.id for p in list_permits(registry.uow(), world["trader"].principal)} == {
        to_china.id,
        to_germany.id,
    }
    assert list_permits(registry.uow(), stateless) == []
    assert get_permit(registry.uow(), china, to_china.number).id == to_china.id
    with pytest.raises(NotFound, match="visible to you"):
        get_permit(registry.uow(), china, str(to_germany.id))

    page = permit_page(registry.uow(), china, PermitFilter())
    assert [p.id for p in page.permits] == [to_china.id] and page.total == 1
    with pytest.raises(NotFound, match="visible to you"):
        permit_record(registry.uow(), china, to_germany.id)
    assert permit_record(registry.uow(), china, to_china.id).permit.id == to_china.id
