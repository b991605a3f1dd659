"""Reconciliation read from the database, on SQLite and PostgreSQL: the exporting registry (its
endorsed permit, the notice it sent, the confirmation it received) and the importing registry (the
notice it received, the arrival its customs recorded), each kind of discrepancy and a clean one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from kiik.bootstrap.registry import Registry
from kiik.directory.domain.permissions import NotAllowed, OrgKind, Principal, Role
from kiik.epcis.domain.identifiers import canonical_key
from kiik.errors import NotFound
from kiik.partners.domain.reconciliation import Kind, Period, ReconciliationError, Side, Tolerance
from kiik.partners.services.imports import RecordArrival, record_arrival
from kiik.partners.services.reconciliation import Reconcile, ReconcileSettings, as_csv, reconcile_partners
from tests.support.partner import china_world
from tests.support.reconciliation import (
    PartnerKey,
    confirm,
    confirmation,
    endorsed_export,
    notice_body,
    notify,
)
from tests.support.world import make_world

SETTINGS = ReconcileSettings(Tolerance(0.005, 0.5), due_days=30)
MINISTRY = Principal(1, "ministry", "Ministry", OrgKind.MINISTRY, Role.VIEWER)
STRAY = canonical_key("urn:epc:id:sgtin:4870002.000001.99")


def kinds(report) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    return sorted((d.kind.value, d.item) for p in report.permits for d in p.discrepancies)


def reconciled(registry: Registry, command: Reconcile | None = None, now: datetime | None = None):  # type: ignore[no-untyped-def]
    return reconcile_partners(registry.uow(), MINISTRY, command or Reconcile(), SETTINGS, now)


# The exporting registry.


def test_an_export_awaits_its_confirmation_then_is_overdue(registry: Registry) -> None:
    export = endorsed_export(registry, PartnerKey.make("CN"))
    [line] = reconciled(registry).permits
    assert line.status == "awaiting arrival" and line.discrepancies == ()
    assert line.consignment.side is Side.EXPORT and line.consignment.notice.startswith("waiting for delivery")
    assert line.exported_items == 3 and line.exported_kg == pytest.approx(sum(export.items.values()))
    late = reconciled(registry, now=datetime.now(UTC).replace(tzinfo=None) + timedelta(days=31))
    assert kinds(late) == [("confirmation_overdue", None)]


def test_what_the_importer_confirmed_is_compared_with_what_left(registry: Registry) -> None:
    china = PartnerKey.make("CN")
    export = endorsed_export(registry, china)
    first, second = sorted(k for k in export.items if "/10/" in k)  # lots (Digital Link keys)
    [horn] = [k for k in export.items if "/21/" in k]
    # China's customs weighed the first lot 0.1 kg light, never scanned the second, found a stray.
    body = confirmation(export.number, export.items, {first: 1.7, horn: None}, [STRAY])
    confirm(registry, china, body)
    report = reconciled(registry, Reconcile(export.number))
    assert kinds(report) == sorted(
        [("mass_difference", first), ("not_arrived", second), ("not_exported", STRAY)]
    )
    [line] = report.permits
    assert (line.received_items, line.received_kg) == (2, pytest.approx(1.7 + export.items[horn]))
    mass = next(d for d in line.discrepancies if d.kind is Kind.MASS_DIFFERENCE)
    assert (mass.exported_kg, mass.received_kg) == (1.8, 1.7)
    text = as_csv(report)
    assert text.splitlines()[0].startswith("side,permit,partner,status,exported_at,kind,item")
    assert f"export,{export.number},CN,discrepancies" in text and STRAY in text


def test_a_consignment_confirmed_whole_gives_no_discrepancy(registry: Registry) -> None:
    china = PartnerKey.make("CN")
    export = endorsed_export(registry, china)
    confirm(registry, china, confirmation(export.number, export.items, dict.fromkeys(export.items)))
    report = reconciled(registry)
    assert [p.status for p in report.permits] == ["agrees"] and kinds(report) == []
    assert report.summary()["by_status"] == {"agrees": 1, "awaiting arrival": 0, "discrepancies": 0}
    # Long after, a confirmed consignment is not overdue.
    assert kinds(reconciled(registry, now=datetime.now(UTC).replace(tzinfo=None) + timedelta(days=90))) == []


def test_an_export_without_a_partner_registry_was_not_notified(registry: Registry) -> None:
    endorsed_export(registry, None)
    [line] = reconciled(registry).permits
    assert [d.kind for d in line.discrepancies] == [
        Kind.NOT_NOTIFIED
    ] and line.consignment.notice == "not sent"


def test_the_period_and_the_permit_choose_the_consignments(registry: Registry) -> None:
    export = endorsed_export(registry, PartnerKey.make("CN"))
    today = datetime.now(UTC).date()
    inside = Reconcile(period=Period(today - timedelta(days=1), today))
    assert [p.consignment.permit for p in reconciled(registry, inside).permits] == [export.number]
    before = Reconcile(period=Period(today - timedelta(days=30), today - timedelta(days=1)))
    assert reconciled(registry, before).permits == ()
    assert reconciled(registry, Reconcile(side=Side.IMPORT)).permits == ()
    with pytest.raises(NotFound, match="KZ/2026/999999 has no endorsed export and no export notice"):
        reconciled(registry, Reconcile("KZ/2026/999999"))
    with pytest.raises(ReconciliationError, match="after it ends"):
        Period.parse(today.isoformat(), (today - timedelta(days=1)).isoformat())


def test_only_this_countrys_authorities_reconcile(registry: Registry) -> None:
    world = make_world(registry)
    for code in ("ministry", "customs", "inspector"):
        assert reconcile_partners(registry.uow(), world[code].principal, Reconcile(), SETTINGS).permits == ()
    for code in ("trader", "plant", "harvester", "warehouse"):
        with pytest.raises(NotAllowed, match="may not reconciliation:read"):
            reconcile_partners(registry.uow(), world[code].principal, Reconcile(), SETTINGS)
    partner = Principal(99, "cn-authority", "CN", OrgKind.PARTNER_AUTHORITY, Role.ADMIN)
    with pytest.raises(NotAllowed):
        reconcile_partners(registry.uow(), partner, Reconcile(), SETTINGS)


# The importing registry.

# As the exporting registry names them: Digital Link keys.
LOTS = {
    canonical_key("urn:epc:class:lgtin:4870004.000001.PWD-1"): 1.8,
    canonical_key("urn:epc:class:lgtin:4870004.000001.PWD-2"): 1.8,
    canonical_key("urn:epc:class:lgtin:4870004.000001.PWD-3"): 2.4,
}
NUMBER = "KZ/2026/000007"


def importer(registry: Registry, exported_at: datetime | None = None) -> tuple[Registry, dict, PartnerKey]:  # type: ignore[type-arg]
    cn = Registry(replace(registry.settings, country="CN"), registry.engine)
    china = china_world(cn)
    kazakhstan = PartnerKey.make("KZ")
    kazakhstan.register_with(cn)
    notify(cn, kazakhstan, notice_body(NUMBER, LOTS, exported_at or datetime.now(UTC)))
    return cn, china, kazakhstan


def test_the_importer_compares_the_notice_with_what_its_customs_scanned(registry: Registry) -> None:
    cn, china, _ = importer(registry)
    first, second, third = LOTS
    [waiting] = reconciled(cn).permits
    assert (waiting.consignment.side, waiting.status, waiting.exported_items) == (
        Side.IMPORT,
        "awaiting arrival",
        3,
    )
    record_arrival(
        cn.uow(), china["cn-customs"].principal, RecordArrival(NUMBER, [first, third, STRAY], {first: 1.6})
    )
    report = reconciled(cn, Reconcile(NUMBER, side=Side.IMPORT))
    assert kinds(report) == sorted(
        [("mass_difference", first), ("not_arrived", second), ("not_exported", STRAY)]
    )
    [line] = report.permits
    assert line.consignment.partner == "KZ" and line.received_kg == pytest.approx(1.6 + 2.4)


def test_the_importer_finds_a_whole_arrival_clean(registry: Registry) -> None:
    cn, china, _ = importer(registry)
    record_arrival(cn.uow(), china["cn-customs"].principal, RecordArrival(NUMBER, list(LOTS)))
    report = reconciled(cn)
    assert [p.status for p in report.permits] == ["agrees"] and kinds(report) == []
    assert report.permits[0].received_kg == pytest.approx(6.0)


def test_the_importer_sees_an_arrival_not_recorded_in_time_as_overdue(registry: Registry) -> None:
    exported = datetime.now(UTC) - timedelta(days=40)
    cn, _, _ = importer(registry, exported)
    assert kinds(reconciled(cn)) == [("confirmation_overdue", None)]
    # The period is of the export's day, the same on both sides.
    day = exported.date()
    assert len(reconciled(cn, Reconcile(period=Period(day, day))).permits) == 1
    assert reconciled(cn, Reconcile(period=Period(day + timedelta(days=1), None))).permits == ()


def test_migration_0008_keeps_the_items_of_notices_applied_before_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    from kiik.bootstrap.migrate import upgrade
    from kiik.db.engine import make_engine
    from kiik.partners.domain.messages import EXPORT_NOTICE

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0007")
    kazakhstan = PartnerKey.make("KZ")
    exported = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
    message = kazakhstan.message(EXPORT_NOTICE, "CN", notice_body(NUMBER, LOTS, exported))
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO partners (id, country, name, base_url, created_at) "
                "VALUES (1, 'KZ', 'KZ', 'x', :t)"
            ),
            {"t": datetime(2026, 11, 2)},
        )
        connection.execute(
            text(
                "INSERT INTO partner_inbox "
                "(message_id, partner_id, kind, permit_number, message, received_at) "
                "VALUES ('urn:uuid:old', 1, 'export-notice', :p, :m, :t)"
            ),
            {"p": NUMBER, "m": message, "t": datetime(2026, 11, 3)},
        )
    upgrade(engine)
    with engine.connect() as connection:
        notice = connection.execute(
            text("SELECT permit_number, sender, recipient, exported_at FROM partner_notices")
        ).one()
        kept = dict(connection.execute(text("SELECT item_key, notified_kg FROM partner_notice_items")).all())
    engine.dispose()
    assert tuple(notice[:3]) == (NUMBER, "KZ", "CN") and str(notice[3]).startswith("2026-11-02 10:00")
    assert kept == LOTS
