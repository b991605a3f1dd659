"""Flags from an item's custody: its status and its last events (seized, destroyed, exported,
consumed, lost, in transit), and an origin that cannot be traced.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kiik.custody.domain.state import STATUS_WORDS
from kiik.directory.domain.permissions import SEES_EVERYTHING
from kiik.errors import N_, Wording
from kiik.inspection.flag import Flag
from kiik.inspection.trace import HistoryEntry, Trace

# A business step as the noun a sentence needs ("its last event: a shipment").
STEP_NOUNS = {
    "commissioning": N_("registration of the harvest"),
    "shipping": N_("a shipment"),
    "receiving": N_("a receipt"),
    "stock_taking": N_("a stock count"),
    "cycle_counting": N_("a stock count"),
    "packing": N_("packing"),
}


def _step(entry: HistoryEntry) -> str:
    """The business step's word, whatever its spelling (CBV URI, bare word, kiik URN)."""
    value = entry.biz_step or ""
    return value.rsplit(":", 1)[-1].rsplit("-", 1)[-1].rsplit("/", 1)[-1]


def _valid(history: Iterable[HistoryEntry]) -> list[HistoryEntry]:
    return [h for h in history if not h.erroneous and not h.declares_error]


def _day(entry: HistoryEntry | None) -> str:
    return entry.event_time.date().isoformat() if entry is not None else N_("an unknown date")


def _dated(by: Wording, alone: Wording, entry: HistoryEntry | None, **values: object) -> Wording:
    """The sentence naming who recorded the event (`by`) when it is known, else the one without."""
    if entry is not None and entry.recorded_by:
        return by.filled(by=entry.recorded_by.name, day=_day(entry), **values)
    return alone.filled(day=_day(entry), **values)


def _last(history: list[HistoryEntry], *words: str, disposition: str | None = None) -> HistoryEntry | None:
    for entry in reversed(history):
        if _step(entry) in words or (disposition and (entry.disposition or "").endswith(disposition)):
            return entry
    return None


def status_flags(trace: Trace, organisations: Mapping[str, Any]) -> list[Flag]:
    item, history = trace.item, _valid(trace.history)
    status = item.status
    if status == "seized":
        return [_seized(history, organisations)]
    if status == "destroyed":
        entry = _last(history, "destroying", disposition="destroyed")
        return [
            Flag(
                "destroyed",
                "bad",
                N_("destroyed on %(day)s", day=_day(entry)),
                _dated(DESTROYED_BY, DESTROYED, entry),
                N_("it was recorded as destroyed"),
            ).for_partner(HELD_ABROAD.filled(status=STATUS_WORDS["destroyed"], day=_day(entry)))
        ]
    if status == "exported":
        entry = _last(history, "departing", "shipping", disposition="exported")
        return [
            Flag(
                "exported",
                "bad",
                N_("exported on %(day)s", day=_day(entry)),
                N_(
                    "Customs recorded that this item left Kazakhstan on %(day)s: it should be abroad. "
                    "If you found it here, seize it and record the seizure.",
                    day=_day(entry),
                ),
                N_("it was recorded as exported"),
            ).for_partner(
                N_(
                    "Customs of Kazakhstan recorded that this item left the country on %(day)s. Check "
                    "that it arrives under a valid CITES export permit of Kazakhstan that lists it, and "
                    "record its arrival with your import permit. If there is no such permit, hold the item "
                    "and contact the CITES Management Authority of Kazakhstan.",
                    day=_day(entry),
                ),
                severity="warn",
                title=N_("exported from Kazakhstan on %(day)s", day=_day(entry)),
            )
        ]
    if status == "consumed":
        return [_consumed(trace, history)]
    if status == "decommissioned":
        entry = _last(history, "decommissioning")
        return [
            Flag(
                "decommissioned",
                "bad",
                N_("declared lost on %(day)s", day=_day(entry)),
                _dated(DECOMMISSIONED_BY, DECOMMISSIONED, entry),
                N_("its code was withdrawn"),
            ).for_partner(HELD_ABROAD.filled(status=STATUS_WORDS["decommissioned"], day=_day(entry)))
        ]
    if status == "in_transit":
        entry = _last(history, "shipping", "departing")
        destination = organisations.get(item.destination or "")
        unnamed = N_("an unnamed destination")
        to = destination.name if destination is not None else (item.destination or unnamed)
        sender = item.holder.name if item.holder else N_("its holder")
        return [
            Flag(
                "in_transit",
                "warn",
                N_("in transit to %(to)s since %(day)s", to=to, day=_day(entry)),
                N_(
                    "Shipped by %(sender)s on %(day)s to %(to)s, not yet received. It is lawful only on its "
                    "way to %(to)s: if you found it anywhere else, seize it and record the seizure.",
                    sender=sender,
                    day=_day(entry),
                    to=to,
                ),
            ).for_partner(
                N_(
                    "Shipped by %(sender)s on %(day)s to %(to)s, not yet received. If it reached your "
                    "country, check that it travels under a valid CITES export permit of Kazakhstan; if it "
                    "does not, hold it and contact the CITES Management Authority of Kazakhstan.",
                    sender=sender,
                    day=_day(entry),
                    to=to,
                )
            )
        ]
    return []


# What a partner country's authority reads of an item that may not move (seized, destroyed, lost,
# processed) instead of an inspector's "seize it".
HELD_ABROAD = N_(
    "The registry of Kazakhstan records this item as %(status)s on %(day)s: it may not be traded or "
    "exported. If it reached your country, hold it and contact the CITES Management Authority of "
    "Kazakhstan, quoting its code."
)
# The sentences that name who recorded the event, and those for an event of unknown author.
DESTROYED_BY = N_(
    "The registry records this item as destroyed by %(by)s on %(day)s: it should no "
    "longer exist. If you found it, seize it and record the seizure."
)
DESTROYED = N_(
    "The registry records this item as destroyed on %(day)s: it should no "
    "longer exist. If you found it, seize it and record the seizure."
)
DECOMMISSIONED_BY = N_(
    "This code was decommissioned by %(by)s on %(day)s (declared lost): it cannot "
    "move again. If you found it, seize it and record the seizure."
)
DECOMMISSIONED = N_(
    "This code was decommissioned on %(day)s (declared lost): it cannot "
    "move again. If you found it, seize it and record the seizure."
)
SEIZED_TITLE_BY = N_("seized by %(by)s on %(day)s")
SEIZED_TITLE = N_("seized on %(day)s")
SEIZED_BY = N_("Seized by %(by)s on %(day)s: it may not be moved, sold or processed. %(leak)s")
SEIZED = N_("Seized on %(day)s: it may not be moved, sold or processed. %(leak)s")
# What processing made of a consumed item: nothing listed, one product lot, several.
CONSUMED = N_(
    "This code was closed on %(day)s when the item was processed or repacked. The "
    "products carry their own codes; an item still labelled with this code is not valid. If you "
    "found one on sale, seize it and record the seizure."
)
CONSUMED_INTO_ONE = N_(
    "This code was closed on %(day)s when the item was processed or repacked into %(count)s product "
    "lot (listed below). The products carry their own codes; an item still labelled with this code is "
    "not valid. If you found one on sale, seize it and record the seizure."
)
CONSUMED_INTO = N_(
    "This code was closed on %(day)s when the item was processed or repacked into %(count)s product "
    "lots (listed below). The products carry their own codes; an item still labelled with this code is "
    "not valid. If you found one on sale, seize it and record the seizure."
)


def _seized(history: list[HistoryEntry], organisations: Mapping[str, Any]) -> Flag:
    seizure = _last(history, "seizing", disposition="seized")
    before = history[: history.index(seizure)] if seizure is not None else history
    lawful = [
        h
        for h in before
        if h.recorded_by is not None
        and getattr(organisations.get(h.recorded_by.code), "kind", None)
        not in {k.value for k in SEES_EVERYTHING}
    ]
    if lawful:
        last = lawful[-1]
        assert last.recorded_by is not None
        leak = N_(
            "The code is in the registry: this item left legal stock. Its last legal holder was "
            "%(holder)s (its last event: %(step)s on %(day)s); that holder must "
            "explain how it left their custody.",
            holder=last.recorded_by.name,
            step=STEP_NOUNS.get(_step(last), _step(last)),
            day=_day(last),
        )
    else:
        leak = N_(
            "The code had no legal history in the registry before the seizure: it never had a legal origin."
        )
    return Flag(
        "seized",
        "bad",
        _dated(SEIZED_TITLE_BY, SEIZED_TITLE, seizure),
        _dated(SEIZED_BY, SEIZED, seizure, leak=leak),
        N_("it was seized by the authorities"),
    ).for_partner(HELD_ABROAD.filled(status=STATUS_WORDS["seized"], day=_day(seizure)))


def _consumed(trace: Trace, history: list[HistoryEntry]) -> Flag:
    entry = _last(history, "commissioning", "repackaging", "transforming")
    products = trace.lineage.products
    detail = CONSUMED_INTO_ONE if len(products) == 1 else CONSUMED_INTO if products else CONSUMED
    return Flag(
        "consumed",
        "bad",
        N_("used up by processing on %(day)s", day=_day(entry)),
        detail.filled(day=_day(entry), count=len(products)),
        N_("its code was closed when the product was processed or relabelled"),
    ).for_partner(HELD_ABROAD.filled(status=STATUS_WORDS["consumed"], day=_day(entry)))


def origin_flags(trace: Trace) -> list[Flag]:
    verdict = trace.verdict
    if verdict.origin_traced:
        return []
    if trace.lineage.truncated:
        detail = N_("The lineage is too long to follow in full, so the origin is not confirmed.")
    else:
        detail = N_(
            "%(untraced)s of %(sources)s source items have no harvest on record "
            "(first: %(first)s). Without a recorded harvest the "
            "item has no legal origin: hold it and ask the ministry.",
            untraced=len(verdict.untraced),
            sources=verdict.sources,
            first=verdict.untraced[0] if verdict.untraced else "?",
        )
    return [
        Flag(
            "origin_untraced",
            "bad",
            N_("origin not traceable"),
            detail,
            N_("its origin is not on record"),
        )
    ]
