"""Tables of the partner exchange and the Merkle log, declared on the shared MetaData (see adapters/schema.py)."""

from __future__ import annotations

from kiik.adapters.tables import metadata  # noqa: F401  (tables of this feature are declared on it)
