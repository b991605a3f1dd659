"""Consignments for reconciliation tests: an export endorsed in one registry, and the partner's
signed messages (a confirmation back to the exporter, a notice to the importer) made with a key
the test holds, so one database plays one side and the test plays the other."""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from kiik.bootstrap.registry import Registry
from kiik.epcis.adapters.reader import validate_event
from kiik.ledger.adapters.signing import verify_with
from kiik.partners.domain.import_events import IMPORT_CONFIRMATION, NotifiedItem, confirmation_body
from kiik.partners.domain.messages import EXPORT_NOTICE, make_message
from kiik.partners.services.inbox import Applied, receive_message
from kiik.partners.services.registries import add_partner
from kiik.permits.services.application import ApplyForPermit, apply_for_permit
from kiik.permits.services.decisions import IssuePermit, issue_permit
from kiik.permits.services.endorsement import EndorseExport, endorse_export
from tests.support.season import open_register, small_season
from tests.support.world import Member, make_world


@dataclass(frozen=True)
class PartnerKey:
    """The other registry's signing key, held by the test."""

    country: str
    private: Ed25519PrivateKey

    @classmethod
    def make(cls, country: str) -> PartnerKey:
        return cls(country, Ed25519PrivateKey.generate())

    @property
    def public(self) -> str:
        raw = self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    @property
    def key_id(self) -> str:
        return f"{self.country.lower()}-{hashlib.sha256(self.public.encode()).hexdigest()[:16]}"

    def register_with(self, registry: Registry) -> None:
        add_partner(
            registry.uow(), None, self.country, f"{self.country} registry", "http://partner.invalid",
            [(self.key_id, self.public)],
        )  # fmt: skip

    def message(self, kind: str, recipient: str, body: Mapping[str, Any]) -> str:
        return make_message(
            kind,
            f"urn:uuid:{uuid.uuid4()}",
            self.country,
            recipient,
            datetime.now(UTC).replace(tzinfo=None),
            body,
            self.key_id,
            self.private.sign,
        )


def deliver(registry: Registry, text: str, country: str) -> Applied:
    """The partner's message arriving at `registry` (what POST /api/partner/messages does)."""
    return receive_message(registry.uow(), text, country=country, max_bytes=10**8, verify=verify_with)


@dataclass(frozen=True)
class Export:
    number: str
    items: dict[str, float]  # item -> kg that left
    world: dict[str, Member]


def endorsed_export(registry: Registry, partner: PartnerKey | None, at: datetime | None = None) -> Export:
    """Two powder lots (1.8 kg each) and a whole horn exported to CN under one permit; with a
    partner registered first, the export notice is in the outbox."""
    world = make_world(registry)
    open_register(registry, world, cap=100.0)
    season = small_season(registry, world)
    if partner is not None:
        partner.register_with(registry)
    items = [*list(season.lots)[:2], season.trader_horns[0]]
    applied = apply_for_permit(
        registry.uow(),
        world["trader"].principal,
        ApplyForPermit(items, "Tongrentang Import Co.", "CN", "Beijing"),
    )
    permit = issue_permit(registry.uow(), world["ministry"].principal, IssuePermit(applied.id))
    endorse_export(
        registry.uow(),
        world["customs"].principal,
        EndorseExport(str(permit.number), items, at=at),
        validate_event,
        custody_rules=True,
        yields={},
    )
    with registry.uow() as uow:
        endorsed = uow.cites.permits.by_number(str(permit.number))
    left = {i.key: float(i.actual_quantity) for i in endorsed.items if i.actual_quantity is not None}
    return Export(str(permit.number), left, world)


def confirmation(
    number: str,
    notified: Mapping[str, float],
    received: Mapping[str, float | None],
    not_notified: Sequence[str] = (),
) -> dict[str, Any]:
    """The importing registry's confirmation body, as record_arrival makes it."""
    items = [NotifiedItem(k, kg) for k, kg in notified.items()]
    return confirmation_body(
        number,
        "urn:uuid:notice",
        items,
        received,
        not_notified,
        datetime.now(UTC).replace(tzinfo=None),
        "urn:uuid:e",
    )


def confirm(registry: Registry, partner: PartnerKey, body: Mapping[str, Any]) -> None:
    deliver(registry, partner.message(IMPORT_CONFIRMATION, "KZ", body), "KZ")


def notice_body(number: str, items: Mapping[str, float], endorsed_at: datetime) -> dict[str, Any]:
    """An export notice's body as the exporting registry sends it (events left out: none needed)."""
    return {
        "permit": {
            "number": number,
            "import_country": "CN",
            "endorsed_at": endorsed_at.replace(tzinfo=None).isoformat() + "Z",
            "lines": [
                {"item": key, "quantity": kg, "actual_quantity": kg, "term": "POW"}
                for key, kg in items.items()
            ],
        },
        "items": list(items),
        "events": [],
    }


def notify(registry: Registry, exporter: PartnerKey, body: Mapping[str, Any]) -> Applied:
    return deliver(registry, exporter.message(EXPORT_NOTICE, "CN", body), "CN")
