"""Delivering the outbox: every message until the partner acknowledged it, at least once; or,
for a partner that collects its messages (`add_partner(..., collects=True)`), none: they wait in
the outbox until they are collected (`collect_outbox`, `kiik partner outbox --collect`).

A message that fails (partner down, or an answer other than 200/201) is tried again later, after
a backoff that doubles with each attempt up to `MAX_BACKOFF`. Each message's outcome is recorded
in its own transaction, so one partner being down never holds back another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from kiik.db.unit_of_work import UnitOfWork
from kiik.errors import NotFound
from kiik.partners.services.registries import PartnerClient

FIRST_BACKOFF = timedelta(seconds=1)
MAX_BACKOFF = timedelta(minutes=10)


@dataclass
class DeliveryReport:
    delivered: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"delivered": self.delivered, "failed": self.failed}


def backoff(attempts: int) -> timedelta:
    seconds = FIRST_BACKOFF.total_seconds() * 2 ** min(max(attempts - 1, 0), 20)
    return timedelta(seconds=min(seconds, MAX_BACKOFF.total_seconds()))


def deliver_outbox(
    uow_factory: Callable[[], UnitOfWork], client: PartnerClient, *, force: bool = False
) -> DeliveryReport:
    """Deliver what is due (everything undelivered with `force`); the ids delivered and failed."""
    report = DeliveryReport()
    now = datetime.now(UTC).replace(tzinfo=None)
    with uow_factory() as uow:
        store: Any = uow.partners  # type: ignore[attr-defined]
        due = store.due(datetime.max if force else now, limit=1000)
        urls = {p.id: p.base_url for p in store.all()}
    for message in due:
        try:
            client.deliver(urls[message.partner_id], message.message)
        except Exception as exc:  # the partner's answer or silence is recorded and tried again
            with uow_factory() as uow:
                uow.partners.failed(message.id, str(exc), now + backoff(message.attempts + 1))  # type: ignore[attr-defined]
                uow.commit()
            report.failed[message.message_id] = str(exc)
            continue
        with uow_factory() as uow:
            uow.partners.delivered(message.id)  # type: ignore[attr-defined]
            uow.commit()
        report.delivered.append(message.message_id)
    return report


def collect_outbox(uow_factory: Callable[[], UnitOfWork], country: str, *, collect: bool) -> list[str]:
    """The signed messages kept for a partner (undelivered, oldest first); with `collect`, handed
    over: marked delivered in the same transaction, so each is collected once."""
    with uow_factory() as uow:
        store: Any = uow.partners  # type: ignore[attr-defined]
        partner = store.by_country(country.strip().upper())
        if partner is None:
            raise NotFound(f"no partner {country}: see `kiik partner list`")
        kept = [m for m in store.outbox() if m.partner_id == partner.id and m.delivered_at is None]
        if collect:
            for message in kept:
                store.delivered(message.id)
            uow.commit()
    return [m.message for m in kept]
