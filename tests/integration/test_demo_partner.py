"""The demo's partners, on both databases: China's authority added once, read-only; a partner
registry's signed export notices received as `POST /api/partner/messages` receives them, so that
customs can record each arrival once; a notice whose signature fails is not applied."""

from __future__ import annotations

import pytest

from kiik.bootstrap.registry import Registry
from kiik.demo.partner import AUTHORITY, ensure_partner_authority, receive_export_notices
from kiik.directory.domain.permissions import OrgKind
from kiik.epcis.services.identifier_terms import item_key
from kiik.ledger.adapters.signing import verify_with
from kiik.partners.domain.messages import MessageRefused
from kiik.partners.services.imports import RecordArrival, record_arrival
from kiik.partners.services.inbox import received_messages
from kiik.permits.domain.lifecycle import PermitError
from tests.support.world import make_world


def test_the_partner_authority_is_added_once_and_names_its_country(registry: Registry) -> None:
    ensure_partner_authority(registry.uow)
    ensure_partner_authority(registry.uow)  # a demo loaded again keeps the one it has
    with registry.uow() as uow:
        found = [o for o in uow.directory.organisations() if o.kind == OrgKind.PARTNER_AUTHORITY.value]
    assert [(o.code, o.country) for o in found] == [(AUTHORITY[0], "CN")]


def test_customs_records_the_arrival_of_each_notice_once(registry: Registry) -> None:
    world = make_world(registry)
    notices = receive_export_notices(registry.uow, verify_with, "KZ", range(1, 3))
    assert [n.number[:3] for n in notices] == ["UZ/", "UZ/"] and notices[0].number != notices[1].number
    inbox = received_messages(registry.uow(), world["customs"].principal, "export-notice")
    assert sorted(m["permit"] for m in inbox) == sorted(n.number for n in notices)
    customs = world["customs"].principal
    first = notices[0]
    body = record_arrival(registry.uow(), customs, RecordArrival(first.number, first.codes))
    assert body["missing"] == [] and {line["item"] for line in body["items"]} == {
        item_key(code) for code in first.codes
    }
    with pytest.raises(PermitError, match="confirmed already"):
        record_arrival(registry.uow(), customs, RecordArrival(first.number, first.codes))


def test_a_notice_whose_signature_fails_is_not_applied(registry: Registry) -> None:
    world = make_world(registry)
    with pytest.raises(MessageRefused):
        receive_export_notices(registry.uow, lambda key, data, signature: False, "KZ", range(1, 2))
    assert received_messages(registry.uow(), world["customs"].principal, "export-notice") == []
