"""The demo's export to China, on both databases: with the CoP20 quota in the register (as `kiik
demo` seeds it) the exporter's lot of shavings is on an issued permit to a Chinese importer, which
China's authority sees with its status and items (and the permit desk offers it only that exporter);
without a quota no permit is made. The demo's sites have their regions and coordinates, and the
demo's partner registry collects its messages: nothing is delivered to its address."""

from __future__ import annotations

from typing import Any

import pytest

from kiik.bootstrap.registry import Registry
from kiik.custody.services.stock import stock_report
from kiik.demo.cast import CONTACTS, PLACES, load_demo
from kiik.demo.partner import AUTHORITY, SENDER
from kiik.directory.domain.permissions import OrgKind, Principal, Role
from kiik.epcis.adapters.capture_source import open_capture_document
from kiik.epcis.adapters.reader import validate_event
from kiik.epcis.domain.identifiers import canonical_key
from kiik.ledger.adapters.signing import verify_with
from kiik.partners.services.delivery import collect_outbox, deliver_outbox
from kiik.partners.services.imports import RecordArrival, record_arrival
from kiik.permits.domain.lifecycle import PermitStatus
from kiik.permits.services.desk import PermitFilter, permit_page
from kiik.permits.services.queries import list_permits
from kiik.species.services.register import seed_register


def _demo(registry: Registry, **options: Any) -> Any:
    return load_demo(
        registry.uow,
        open_capture_document,
        custody_rules=True,
        yields=registry.settings.yields,
        horns=40,
        seed=5,
        validate_event=validate_event,
        **options,
    )


def _as(registry: Registry, code: str, role: Role = Role.VIEWER) -> Principal:
    with registry.uow() as uow:
        org = uow.directory.organisation(code)
    assert org is not None
    return Principal(org.id, org.code, org.name, OrgKind(org.kind), role, org.country)


def test_chinas_authority_sees_the_demos_permit_to_china(registry: Registry) -> None:
    seed_register(registry.uow())
    result = _demo(registry)
    number = result.china_permit
    assert number is not None and number.startswith("KZ/")
    authority = _as(registry, AUTHORITY[0])
    [permit] = list_permits(registry.uow(), authority)
    assert permit.number == number and permit.status is PermitStatus.ISSUED
    assert permit.import_country == "CN" and permit.scientific_name == "Saiga tatarica"
    lot_key, kg = result.season.export_lot
    assert [item.key for item in permit.items] == [
        canonical_key(lot_key)
    ] and permit.quantity_kg == pytest.approx(kg)
    # The exporter still holds the lot, within the year's quota (10,000 kg).
    exporter = _as(registry, "saiga-export", Role.OPERATOR)
    held = stock_report(registry.uow(), exporter).holdings
    assert any(h.kind == "lot" and h.status == "active" for h in held)
    # The desk's exporter filter offers China's authority only the exporters of its permits.
    page = permit_page(registry.uow(), authority, PermitFilter())
    assert [p.number for p in page.permits] == [number]
    assert list(page.exporters.values()) == ["Saiga Export LLP"]
    ministry = permit_page(registry.uow(), _as(registry, "kz-ministry"), PermitFilter())
    assert len(ministry.exporters) > 1  # every trader, and the outfitter whose trophy left


def test_without_a_quota_the_demo_issues_no_permit_to_china(registry: Registry) -> None:
    result = _demo(registry)
    assert result.china_permit is None
    assert list_permits(registry.uow(), _as(registry, AUTHORITY[0])) == []


def test_the_demos_sites_are_placed_and_its_partner_collects_its_messages(registry: Registry) -> None:
    result = _demo(registry, verify_signature=verify_with)
    with registry.uow() as uow:
        places = {o.code: [s.place for s in uow.directory.sites(o.id)] for o in uow.directory.organisations()}
    assert places["oral-plant"][0].region == "KZ-27" and places["oral-plant"][0].located
    assert all(places[code][0].to_json() == dict(zip(("region", "latitude", "longitude"), place, strict=True))
               for code, place in PLACES.items())  # fmt: skip
    with registry.uow() as uow:
        contacts = {o.code: o.contact for o in uow.directory.organisations()}
    assert all(contacts[code] == contact for code, contact in CONTACTS.items())  # whom the ministry calls
    assert contacts["kz-ministry"].contact_email == "cites@ministry.example"
    customs = _as(registry, "kz-customs", Role.OPERATOR)
    arrival = result.arrival
    record_arrival(registry.uow(), customs, RecordArrival(arrival.number, arrival.codes))

    class Unreachable:
        def deliver(self, base_url: str, message: str) -> dict[str, Any]:
            raise AssertionError(f"nothing is sent to {base_url}")

    report = deliver_outbox(registry.uow, Unreachable(), force=True)  # type: ignore[arg-type]
    assert report.delivered == [] and report.failed == {}
    [confirmation] = collect_outbox(registry.uow, SENDER, collect=True)
    assert confirmation.count(".") == 2  # a JWS compact serialisation
    assert collect_outbox(registry.uow, SENDER, collect=False) == []  # collected once
