"""Signing a message for a partner registry into the outbox, inside the caller's transaction (the
outbox is delivered by partners/services/delivery.py)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from kiik.errors import NotFound
from kiik.partners.domain.messages import make_message


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def send_to_partner(
    uow: Any, kind: str, sender: str, country: str, permit_number: str | None, body: dict[str, Any]
) -> str:
    """Sign a message for a partner and put it in the outbox (inside the caller's transaction)."""
    partner = uow.partners.by_country(country)
    if partner is None:
        raise NotFound(
            f"no partner registry {country} is registered: the ministry adds it (`kiik partner add`)"
        )
    message_id = f"urn:uuid:{uuid.uuid4()}"
    key_id, _ = uow.keys.ensure()
    message = make_message(
        kind, message_id, sender, country, utcnow(), body, key_id, lambda data: uow.keys.sign(data)[1]
    )
    uow.partners.enqueue(message_id, partner.id, kind, permit_number, message)
    return message_id
