"""Receiving a partner's signed message: verified, then applied exactly once by its id.

A message delivered again (the sender retries until it hears back) is answered as already applied;
the same id with different content is refused as a replay. Applying a notice records it in the
inbox, where customs finds what to expect (`kiik partner inbox`, GET /api/partner/notices).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.ledger.services.signing_port import Verifier
from kiik.partners.domain.messages import MessageRefused, check_message
from kiik.partners.services.import_confirmation import apply_import_confirmation
from kiik.partners.services.imports import apply_export_notice
from kiik.partners.services.onward_processing import apply_onward_processing

MAX_AGE = timedelta(days=60)


@dataclass(frozen=True)
class Applied:
    message_id: str
    kind: str
    sender: str
    already: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.message_id,
            "type": self.kind,
            "from": self.sender,
            "status": "already applied" if self.already else "applied",
        }


def receive_message(uow: UnitOfWork, text: str, *, country: str, max_bytes: int, verify: Verifier) -> Applied:
    now = datetime.now(UTC).replace(tzinfo=None)
    with uow:
        store: Any = uow.partners  # type: ignore[attr-defined]

        def keys_of(sender: str) -> dict[str, str] | None:
            partner = store.by_country(sender) if len(sender) == 2 else None
            return None if partner is None else dict(partner.keys)

        document = check_message(
            text,
            recipient=country,
            max_bytes=max_bytes,
            keys_of=keys_of,
            verify=verify,
            now=now,
            max_age=MAX_AGE,
        )
        payload = document.payload
        message_id, kind, sender = str(payload["id"]), str(payload["type"]), str(payload["from"])
        earlier = store.received(message_id)
        if earlier is not None:
            if earlier.message.strip() != text.strip():
                raise MessageRefused(
                    "replayed",
                    f"message {message_id} was applied already with other content: "
                    "a new message needs a new id",
                )
            return Applied(message_id, kind, sender, already=True)
        partner = store.by_country(sender)
        permit = payload["body"].get("permit", {}).get("number") or payload["body"].get("permit_number")
        store.receive(message_id, partner.id, kind, permit, text.strip())
        apply_partner_message(uow, payload)
        uow.commit()
    return Applied(message_id, kind, sender, already=False)


APPLIERS: dict[str, Any] = {
    "export-notice": apply_export_notice,
    "import-confirmation": apply_import_confirmation,
    "onward-processing": apply_onward_processing,
}


def apply_also(kind: str, applier: Any) -> None:
    """What a message of `kind` does, for a capability above the exchange (enforcement's seizure
    alerts and answers); wired once by `kiik.bootstrap.unit_of_work`."""
    APPLIERS[kind] = applier


def apply_partner_message(uow: UnitOfWork, payload: dict[str, Any]) -> None:
    """What a message does here besides being kept, in the transaction that keeps it."""
    applier = APPLIERS.get(str(payload["type"]))
    if applier is not None:
        applier(uow, payload)


def received_messages(uow: UnitOfWork, principal: Principal, kind: str | None = None) -> list[dict[str, Any]]:
    """Messages applied from partners, newest last, with their payloads (signatures already checked)."""
    require(principal, Permission.PERMITS_VERIFY_DETAILS)
    from kiik.ledger.domain.signed_documents import read_signed

    with uow:
        rows = uow.partners.inbox(kind)  # type: ignore[attr-defined]
    return [
        {
            "id": r.message_id,
            "type": r.kind,
            "permit": r.permit_number,
            "received_at": r.received_at.isoformat() + "Z",
            "payload": read_signed(r.message).payload,
        }
        for r in rows
    ]
