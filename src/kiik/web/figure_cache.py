"""Figures that cost a walk no running total can keep (an item's lineage back to its animals, the
fence passages' detections), kept per running application until the next capture.

The season's counts (items by status, stock by holder, harvest against plan, events) are not kept
here: they are running totals written in capture's own transaction (migration 0021), as cheap to
read after a capture as before it.

A figure is kept with a stamp, the newest event's key (`last_capture`, one look-up in an index):
any capture, correction included, changes it, so a page shows what was just captured. A figure is
also kept for `KEEP_SECONDS` at most, for what changes without an event (a plan, an organisation's
name, a region), and at most `MOST` figures are kept (the least recently counted go first).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from starlette.requests import Request

from kiik.custody.services.overview import last_capture
from kiik.directory.domain.permissions import Permission, Principal
from kiik.http.deps import get_registry

KEEP_SECONDS = 60.0
MOST = 128  # an item page of a 300-horn lot keeps about 1 MB: at most some 100 MB in all


class FigureCache:
    """Figures kept per (name, who) while their stamp is unchanged and for `keep_seconds` at most."""

    def __init__(self, keep_seconds: float = KEEP_SECONDS, most: int = MOST) -> None:
        self.keep_seconds = keep_seconds
        self.most = most
        self._kept: OrderedDict[tuple[str, Any], tuple[Any, float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, name: str, who: Any, stamp: Any, compute: Callable[[], Any]) -> Any:
        now = time.monotonic()
        with self._lock:
            kept = self._kept.get((name, who))
        if kept is not None and kept[0] == stamp and now - kept[1] < self.keep_seconds:
            return kept[2]
        value = compute()
        with self._lock:
            self._kept[(name, who)] = (stamp, now, value)
            self._kept.move_to_end((name, who))
            while len(self._kept) > self.most:
                self._kept.popitem(last=False)
        return value


def figure_cache(request: Request) -> FigureCache:
    """The application's cache (one per running application, made on first use)."""
    state = request.app.state
    if not hasattr(state, "kiik_figures"):
        state.kiik_figures = FigureCache()
    found: FigureCache = state.kiik_figures
    return found


def kept(request: Request, principal: Principal, name: str, compute: Callable[[], Any]) -> Any:
    """`compute()`, or what it gave for the same principal's organisation and role since the last
    capture. Figures of a principal who may not read items are not kept (no stamp to check)."""
    if not principal.may(Permission.ITEMS_READ):
        return compute()
    stamp = last_capture(get_registry(request).uow(), principal)
    return figure_cache(request).get(name, (principal.org_id, principal.role), stamp, compute)
