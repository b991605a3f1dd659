"""Every reason to doubt an item, gathered from its custody, its harvest and its mass, the gravest
first (see `flag.Flag`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kiik.custody.services.queries import ReadUnitOfWork
from kiik.inspection.flag import Flag, Reader
from kiik.inspection.harvest_sites import HarvestSite, harvest_flags
from kiik.inspection.mass_flags import stock_flags, yield_flags
from kiik.inspection.status_flags import origin_flags, status_flags
from kiik.inspection.trace import Trace


def flags_of(
    uow: ReadUnitOfWork,
    trace: Trace,
    sites: Sequence[HarvestSite],
    yields: Mapping[str, float],
    reader: Reader = Reader.INSPECTOR,
) -> list[Flag]:
    """Every flag of a traced item as `reader` reads it, the gravest first (inside an entered unit
    of work)."""
    organisations = {o.code: o for o in uow.directory.organisations()}
    flags = status_flags(trace, organisations)
    flags += origin_flags(trace)
    flags += harvest_flags(uow, sites)
    flags += yield_flags(uow, trace, yields)
    flags += stock_flags(uow, trace.item.key)
    return sorted((f.read_by(reader) for f in flags), key=lambda f: f.severity != "bad")
