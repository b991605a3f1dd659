"""What the species, quota and permit use cases need from the unit of work: the feature's stores."""

from __future__ import annotations

from typing import Any, Protocol

from kiik.db.unit_of_work import UnitOfWork


class CitesUnitOfWork(UnitOfWork, Protocol):
    """A unit of work with the feature's stores: `cites.species`, `cites.quotas`, `cites.permits`,
    the registry's signing keys (`keys`) and the lineage reader (`lineage`)."""

    cites: Any
    keys: Any
    lineage: Any
