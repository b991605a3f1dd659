"""Builds the engine and the unit-of-work factory at start-up (never at import time)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from kiik.bootstrap.unit_of_work import SqlUnitOfWork
from kiik.config import Settings
from kiik.custody.adapters.job_leases import JobLeases
from kiik.db.engine import make_engine, normalise_url
from kiik.db.read_routing import ReadRouting
from kiik.ledger.adapters.key_files import KeyFiles


def key_directory(settings: Settings) -> Path:
    """Where this registry's private signing keys are kept (kiik.ledger.adapters.key_files)."""
    if settings.key_dir:
        return Path(settings.key_dir).expanduser()
    url = make_url(normalise_url(settings.database_url))
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).expanduser().resolve().with_name(Path(url.database).name + ".keys")
    name = f"{url.host or 'local'}-{url.port or 'default'}-{url.database or 'memory'}"
    return Path.home() / ".kiik" / "keys" / name


@dataclass
class Registry:
    """What a running kiik needs: its settings, engine and a way to open a unit of work."""

    settings: Settings
    engine: Engine

    @cached_property
    def key_files(self) -> KeyFiles:
        """The private halves of the registry's signing keys (kiik.ledger.adapters.key_files),
        worked out from the settings once, not at every unit of work."""
        return KeyFiles(key_directory(self.settings))

    @cached_property
    def job_leases(self) -> JobLeases:
        """Which capture jobs this process runs, as other processes can tell (custody.adapters.job_leases)."""
        return JobLeases(self.engine)

    @cached_property
    def reads(self) -> ReadRouting:
        """Where the event queries read: the replica of KIIK_READ_DATABASE_URL, else the primary."""
        url = self.settings.read_database_url
        return ReadRouting(self.engine, make_engine(url) if url else None)

    def read_uow(self, org_id: int | None) -> tuple[str, SqlUnitOfWork]:
        """A unit of work for reading only, on the replica when it holds the organisation's own writes."""
        source, engine = self.reads.engine_for(org_id)
        return source, SqlUnitOfWork(engine, self.key_files)

    @property
    def uow(self) -> Callable[[], SqlUnitOfWork]:
        files = self.key_files
        return lambda: SqlUnitOfWork(self.engine, files)


def build(settings: Settings) -> Registry:
    return Registry(settings=settings, engine=make_engine(settings.database_url))
