"""Builds the engine and the unit-of-work factory at start-up (never at import time)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine

from kiik.bootstrap.unit_of_work import SqlUnitOfWork
from kiik.config import Settings
from kiik.db.engine import make_engine


@dataclass
class Registry:
    """What a running kiik needs: its settings, engine and a way to open a unit of work."""

    settings: Settings
    engine: Engine

    @property
    def uow(self) -> Callable[[], SqlUnitOfWork]:
        return lambda: SqlUnitOfWork(self.engine)


def build(settings: Settings) -> Registry:
    return Registry(settings=settings, engine=make_engine(settings.database_url))
