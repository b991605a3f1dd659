"""Query subscriptions: kept, listed, removed, and the record of each delivery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from kiik.custody.adapters.tables import query_subscriptions
from kiik.directory.adapters.tables import api_tokens, organisations


@dataclass(frozen=True)
class Subscription:
    id: str
    query_name: str
    org_id: int
    role: str
    token_id: int | None
    dest: str
    signature_token: str | None
    stream: bool
    schedule: dict[str, Any] | None
    report_if_empty: bool
    initial_record_time: datetime | None
    created_at: datetime
    due_at: datetime
    after: tuple[datetime, int] | None
    attempts: int
    last_error: str | None
    last_delivered_at: datetime | None


@dataclass(frozen=True)
class Subscriber:
    """Who a subscription delivers to, as the directory knows them now (None: token revoked)."""

    org_code: str
    org_name: str
    org_kind: str
    org_country: str | None
    token_revoked: bool


def _subscription(row: Any) -> Subscription:
    after = (row.after_time, int(row.after_event)) if row.after_time is not None else None
    return Subscription(
        row.id,
        row.query_name,
        row.org_id,
        row.role,
        row.token_id,
        row.dest,
        row.signature_token,
        bool(row.stream),
        row.schedule,
        bool(row.report_if_empty),
        row.initial_record_time,
        row.created_at,
        row.due_at,
        after,
        row.attempts,
        row.last_error,
        row.last_delivered_at,
    )


class SubscriptionStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, **values: Any) -> None:
        self.connection.execute(insert(query_subscriptions).values(**values))

    def get(self, subscription_id: str) -> Subscription | None:
        query = select(query_subscriptions).where(query_subscriptions.c.id == subscription_id)
        row = self.connection.execute(query).first()
        return None if row is None else _subscription(row)

    def of_query(self, query_name: str, org_id: int | None) -> list[Subscription]:
        """A query's subscriptions (an organisation's, or every one when None), oldest first."""
        query = select(query_subscriptions).where(query_subscriptions.c.query_name == query_name)
        if org_id is not None:
            query = query.where(query_subscriptions.c.org_id == org_id)
        ordered = query.order_by(query_subscriptions.c.created_at, query_subscriptions.c.id)
        return [_subscription(r) for r in self.connection.execute(ordered)]

    def remove(self, subscription_id: str) -> None:
        self.connection.execute(
            delete(query_subscriptions).where(query_subscriptions.c.id == subscription_id)
        )

    def remove_of_query(self, query_name: str) -> None:
        self.connection.execute(
            delete(query_subscriptions).where(query_subscriptions.c.query_name == query_name)
        )

    def due(self, now: datetime, limit: int) -> list[Subscription]:
        query = (
            select(query_subscriptions)
            .where(query_subscriptions.c.due_at <= now)
            .order_by(query_subscriptions.c.due_at, query_subscriptions.c.id)
            .limit(limit)
        )
        return [_subscription(r) for r in self.connection.execute(query)]

    def subscriber(self, subscription: Subscription) -> Subscriber | None:
        query = (
            select(organisations, api_tokens.c.revoked_at)
            .select_from(organisations)
            .outerjoin(api_tokens, api_tokens.c.id == subscription.token_id)
            .where(organisations.c.id == subscription.org_id)
        )
        row = self.connection.execute(query).first()
        if row is None:
            return None
        revoked = subscription.token_id is not None and row.revoked_at is not None
        return Subscriber(row.code, row.name, row.kind, row.country, revoked)

    def delivered(
        self, subscription_id: str, after: tuple[datetime, int] | None, at: datetime, due: datetime
    ) -> None:
        values: dict[str, Any] = {"attempts": 0, "last_error": None, "last_delivered_at": at, "due_at": due}
        if after is not None:
            values |= {"after_time": after[0], "after_event": after[1]}
        self.connection.execute(
            update(query_subscriptions).where(query_subscriptions.c.id == subscription_id).values(**values)
        )

    def next_due(self, subscription_id: str, due: datetime) -> None:
        self.connection.execute(
            update(query_subscriptions).where(query_subscriptions.c.id == subscription_id).values(due_at=due)
        )

    def failed(self, subscription_id: str, error: str, attempts: int, due: datetime) -> None:
        self.connection.execute(
            update(query_subscriptions)
            .where(query_subscriptions.c.id == subscription_id)
            .values(attempts=attempts, last_error=error[:2000], due_at=due)
        )
