"""Deployment settings, read from the environment (`KIIK_*`) with command-line overrides."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace

from kiik.domain.custody_rules import DEFAULT_YIELDS

DEFAULT_DATABASE_URL = "sqlite:///./kiik.db"


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() not in ("0", "off", "false", "no")


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    # Off turns kiik into a plain EPCIS 2.0 repository: events are stored without custody rules.
    custody_rules: bool = True
    yields: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_YIELDS))
    # Events checked and written per batch while capturing; bounds memory on large documents.
    capture_batch_size: int = 2000
    # The most problems one capture job reports; the rest are counted.
    max_reported_errors: int = 1000
    max_document_bytes: int = 1024 * 1024 * 1024

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        env = os.environ
        yields = dict(DEFAULT_YIELDS)
        if env.get("KIIK_YIELDS"):
            yields.update({str(k): float(v) for k, v in json.loads(env["KIIK_YIELDS"]).items()})
        settings = cls(
            database_url=env.get("KIIK_DATABASE_URL") or DEFAULT_DATABASE_URL,
            custody_rules=_flag(env.get("KIIK_CUSTODY_RULES"), True),
            yields=yields,
        )
        given = {k: v for k, v in overrides.items() if v is not None}
        return replace(settings, **given)  # type: ignore[arg-type]
