"""Enforcement's store as the unit of work holds it (`uow.enforcement`): the seizures' tables and
what follows a seizure, on one connection."""

from __future__ import annotations

from kiik.enforcement.adapters.casework_store import CaseworkStore
from kiik.enforcement.adapters.seizure_store import SeizureStore


class EnforcementStore(SeizureStore, CaseworkStore):
    """Both stores over the same connection (each keeps it as `connection`)."""
