"""Flags from an item's custody: its status and its last events (seized, destroyed, exported,
consumed, lost, in transit), and an origin that cannot be traced.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kiik.directory.domain.permissions import SEES_EVERYTHING
from kiik.inspection.flag import Flag
from kiik.inspection.trace import HistoryEntry, Trace

# A business step as the noun a sentence needs ("its last event: a shipment").
STEP_NOUNS = {
    "commissioning": "registration of the harvest",
    "shipping": "a shipment",
    "receiving": "a receipt",
    "stock_taking": "a stock count",
    "cycle_counting": "a stock count",
    "packing": "packing",
}


def _step(entry: HistoryEntry) -> str:
    """The business step's word, whatever its spelling (CBV URI, bare word, kiik URN)."""
    value = entry.biz_step or ""
    return value.rsplit(":", 1)[-1].rsplit("-", 1)[-1].rsplit("/", 1)[-1]


def _valid(history: Iterable[HistoryEntry]) -> list[HistoryEntry]:
    return [h for h in history if not h.erroneous and not h.declares_error]


def _day(entry: HistoryEntry | None) -> str:
    return entry.event_time.date().isoformat() if entry is not None else "an unknown date"


def _by(entry: HistoryEntry | None) -> str:
    return f" by {entry.recorded_by.name}" if entry is not None and entry.recorded_by else ""


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
                f"destroyed on {_day(entry)}",
                f"The registry records this item as destroyed{_by(entry)} on {_day(entry)}: it should no "
                "longer exist. If you found it, seize it and record the seizure.",
                "it was recorded as destroyed",
            )
        ]
    if status == "exported":
        entry = _last(history, "departing", "shipping", disposition="exported")
        return [
            Flag(
                "exported",
                "bad",
                f"exported on {_day(entry)}",
                f"Customs recorded that this item left Kazakhstan on {_day(entry)}: it should be abroad. "
                "If you found it here, seize it and record the seizure.",
                "it was recorded as exported",
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
                f"declared lost on {_day(entry)}",
                f"This code was decommissioned{_by(entry)} on {_day(entry)} (declared lost): it cannot "
                "move again. If you found it, seize it and record the seizure.",
                "its code was withdrawn",
            )
        ]
    if status == "in_transit":
        entry = _last(history, "shipping", "departing")
        destination = organisations.get(item.destination or "")
        to = destination.name if destination is not None else (item.destination or "an unnamed destination")
        sender = item.holder.name if item.holder else "its holder"
        return [
            Flag(
                "in_transit",
                "warn",
                f"in transit to {to} since {_day(entry)}",
                f"Shipped by {sender} on {_day(entry)} to {to}, not yet received. It is lawful only on its "
                f"way to {to}: if you found it anywhere else, seize it and record the seizure.",
            )
        ]
    return []


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
        leak = (
            f" The code is in the registry: this item left legal stock. Its last legal holder was "
            f"{last.recorded_by.name} (its last event: {STEP_NOUNS.get(_step(last), _step(last))} "
            f"on {_day(last)}); that holder must "
            "explain how it left their custody."
        )
    else:
        leak = (
            " The code had no legal history in the registry before the seizure: it never had a legal origin."
        )
    return Flag(
        "seized",
        "bad",
        f"seized{_by(seizure)} on {_day(seizure)}",
        f"Seized{_by(seizure)} on {_day(seizure)}: it may not be moved, sold or processed.{leak}",
        "it was seized by the authorities",
    )


def _consumed(trace: Trace, history: list[HistoryEntry]) -> Flag:
    entry = _last(history, "commissioning", "repackaging", "transforming")
    products = trace.lineage.products
    into = (
        f" into {len(products)} product lot{'s' if len(products) != 1 else ''} (listed below)"
        if products
        else ""
    )
    return Flag(
        "consumed",
        "bad",
        f"used up by processing on {_day(entry)}",
        f"This code was closed on {_day(entry)} when the item was processed or repacked{into}. The "
        "products carry their own codes; an item still labelled with this code is not valid. If you "
        "found one on sale, seize it and record the seizure.",
        "its code was closed when the product was processed or relabelled",
    )


def origin_flags(trace: Trace) -> list[Flag]:
    verdict = trace.verdict
    if verdict.origin_traced:
        return []
    if trace.lineage.truncated:
        detail = "The lineage is too long to follow in full, so the origin is not confirmed."
    else:
        detail = (
            f"{len(verdict.untraced)} of {verdict.sources} source items have no harvest on record "
            f"(first: {verdict.untraced[0] if verdict.untraced else '?'}). Without a recorded harvest the "
            "item has no legal origin: hold it and ask the ministry."
        )
    return [Flag("origin_untraced", "bad", "origin not traceable", detail, "its origin is not on record")]
