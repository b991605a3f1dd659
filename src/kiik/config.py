"""Deployment settings, read from the environment (`KIIK_*`) with command-line overrides."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import TypeVar

from kiik.custody.domain.rules import DEFAULT_YIELDS
from kiik.directory.domain.people import SessionLifetime

DEFAULT_DATABASE_URL = "sqlite:///./kiik.db"
T = TypeVar("T", int, float)


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() not in ("0", "off", "false", "no")


def _number(env: Mapping[str, str], name: str, default: T, kind: Callable[[str], T]) -> T:
    text = env.get(name)
    if text is None or not text.strip():
        return default
    try:
        value = kind(text.strip())
    except ValueError:
        raise ValueError(f"{name}={text!r} is not a number: give it as for example {default}") from None
    if value < 0:  # type: ignore[operator]
        raise ValueError(f"{name}={text!r} cannot be negative")
    return value


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    # A streaming replica of a PostgreSQL primary that the EPCIS queries read from (docs/operations.md).
    read_database_url: str | None = None
    # Off turns kiik into a plain EPCIS 2.0 repository: events are stored without custody rules.
    custody_rules: bool = True
    yields: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_YIELDS))
    # Events checked and written per batch while capturing; bounds memory on large documents.
    capture_batch_size: int = 2000
    # The most problems one capture job reports; the rest are counted.
    max_reported_errors: int = 1000
    max_document_bytes: int = 1024 * 1024 * 1024
    # The most events one capture document may hold (GS1-EPCIS-Capture-Limit); larger ones are refused.
    max_events_per_document: int = 1_000_000
    # The largest body of any other request (JSON commands of the API, forms of the pages).
    max_request_bytes: int = 1024 * 1024
    # Requests per minute from one client address: logins and unknown tokens (guessing), and the
    # public pages and answers that need no token (a scanned label, a permit's QR code, the log).
    login_attempts_per_minute: int = 30
    public_requests_per_minute: int = 300
    # A person's session ends after this long without a request, and this long after logging in.
    session_idle_minutes: int = 120
    session_hours: int = 12
    # Where the private halves of the signing keys are kept (None: beside a SQLite file, else under
    # ~/.kiik/keys; see kiik.ledger.adapters.key_files).
    key_dir: str | None = None
    # The partner exchange (docs/partners.md): this registry's country, its public base URL, how
    # often `kiik serve` delivers the outbox (0 = never; `kiik partner deliver` then), the largest
    # partner message accepted, and how long after an export a confirmation is overdue.
    country: str = "KZ"
    public_url: str = "http://127.0.0.1:8000"
    partner_delivery_seconds: float = 5.0
    max_partner_message_bytes: int = 64 * 1024 * 1024
    confirmation_due_days: int = 30
    # Reconciliation (docs/partners.md): a mass difference counts when it exceeds the larger of an
    # absolute bound (a scale's resolution on a horn) and a share of what left (drying, calibration).
    reconcile_tolerance_kg: float = 0.005
    reconcile_tolerance_percent: float = 0.5
    # Query subscriptions (docs/epcis-binding.md): where webhooks may go (host names and IP networks,
    # nothing allowed by default) and how often `kiik serve` delivers (0 turns it off).
    webhook_allow: tuple[str, ...] = ()
    subscription_delivery_seconds: float = 1.0

    @property
    def session_lifetime(self) -> SessionLifetime:
        return SessionLifetime(
            timedelta(minutes=self.session_idle_minutes), timedelta(hours=self.session_hours)
        )

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        env = os.environ
        yields = dict(DEFAULT_YIELDS)
        if env.get("KIIK_YIELDS"):
            yields.update({str(k): float(v) for k, v in json.loads(env["KIIK_YIELDS"]).items()})
        settings = cls(
            database_url=env.get("KIIK_DATABASE_URL") or DEFAULT_DATABASE_URL,
            read_database_url=env.get("KIIK_READ_DATABASE_URL") or None,
            custody_rules=_flag(env.get("KIIK_CUSTODY_RULES"), True),
            yields=yields,
            country=(env.get("KIIK_COUNTRY") or "KZ").upper(),
            public_url=env.get("KIIK_PUBLIC_URL") or "http://127.0.0.1:8000",
            partner_delivery_seconds=float(env.get("KIIK_PARTNER_DELIVERY_SECONDS") or 5.0),
            confirmation_due_days=_number(env, "KIIK_CONFIRMATION_DUE_DAYS", 30, int),
            reconcile_tolerance_kg=_number(env, "KIIK_RECONCILE_TOLERANCE_KG", 0.005, float),
            reconcile_tolerance_percent=_number(env, "KIIK_RECONCILE_TOLERANCE_PERCENT", 0.5, float),
            max_events_per_document=_number(env, "KIIK_MAX_EVENTS_PER_DOCUMENT", 1_000_000, int),
            max_request_bytes=_number(env, "KIIK_MAX_REQUEST_BYTES", 1024 * 1024, int),
            login_attempts_per_minute=_number(env, "KIIK_LOGIN_ATTEMPTS_PER_MINUTE", 30, int),
            public_requests_per_minute=_number(env, "KIIK_PUBLIC_REQUESTS_PER_MINUTE", 300, int),
            session_idle_minutes=_number(env, "KIIK_SESSION_IDLE_MINUTES", 120, int),
            session_hours=_number(env, "KIIK_SESSION_HOURS", 12, int),
            key_dir=env.get("KIIK_KEY_DIR") or None,
            webhook_allow=tuple(
                e.strip() for e in (env.get("KIIK_WEBHOOK_ALLOW") or "").split(",") if e.strip()
            ),
            subscription_delivery_seconds=_number(env, "KIIK_SUBSCRIPTION_DELIVERY_SECONDS", 1.0, float),
        )
        given = {k: v for k, v in overrides.items() if v is not None}
        return replace(settings, **given)  # type: ignore[arg-type]
