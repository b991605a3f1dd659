"""Stock counts at capture: an `EventRule` that records what each count found wrong, and closes the
discrepancies that later events resolve, in the capture's transaction.

A count is compared with the registry as stored before its document: a count that follows, in the
same document, an event that changes custody is refused (`stock_count.after_custody_events`), since
kiik would otherwise compare it with a state that the count never saw. Only the site's organisation
or an authority may count a site.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from kiik.custody.domain.rules import operation_of
from kiik.custody.domain.state import Violation
from kiik.custody.domain.stock_count import (
    Discrepancy,
    Kind,
    StockCount,
    changed_after,
    compare,
    is_count,
    read_count,
    resolution_by_count,
    resolution_by_event,
)
from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Principal
from kiik.directory.services.directory_view import DirectoryView
from kiik.epcis.domain.event_facts import EventFacts
from kiik.epcis.domain.event_hash import event_hash_id


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


class StockCounts:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.stock: Any = uow.stock  # type: ignore[attr-defined]
        self._open: dict[str, list[tuple[int, Kind]]] | None = None
        self._directory: DirectoryView | None = None
        self._tolerance: float | None = None
        self.custody_changed = False

    @property
    def open(self) -> dict[str, list[tuple[int, Kind]]]:
        if self._open is None:
            self._open = {}
            for pk, key, kind in self.stock.open_discrepancies():
                self._open.setdefault(key, []).append((pk, Kind(kind)))
        return self._open

    @property
    def directory(self) -> DirectoryView:
        if self._directory is None:
            self._directory = DirectoryView(self.uow)
        return self._directory

    @property
    def tolerance(self) -> float:
        if self._tolerance is None:
            self._tolerance = float(self.stock.mass_tolerance())
        return self._tolerance

    def check(self, facts: EventFacts, event: Mapping[str, Any], principal: Principal) -> list[Violation]:
        if facts.declares_error:
            return []
        if is_count(facts):
            return self._count(facts, event, principal)
        operation = operation_of(facts)
        if operation != "observe":
            self.custody_changed = True
        if self.open:
            self._resolve_by_event(facts, event, operation)
        return []

    def _resolve_by_event(self, facts: EventFacts, event: Mapping[str, Any], operation: str) -> None:
        named = {key for _, key in facts.identifier_pairs} & self.open.keys()
        closing = [
            (pk, reason)
            for key in sorted(named)
            for pk, kind in self.open[key]
            if (reason := resolution_by_event(kind, operation)) is not None
        ]
        self._close(closing, facts, event)

    def _close(self, closing: list[tuple[int, str]], facts: EventFacts, event: Mapping[str, Any]) -> None:
        if not closing:
            return
        event_id = _event_id(event)
        self.stock.resolve(closing, _naive(facts.event_time), event_id)
        closed = {pk for pk, _ in closing}
        for key in list(self.open):
            self.open[key] = [(pk, kind) for pk, kind in self.open[key] if pk not in closed]
            if not self.open[key]:
                del self.open[key]

    def _count(self, facts: EventFacts, event: Mapping[str, Any], principal: Principal) -> list[Violation]:
        problems = self._refusals(facts, principal)
        if problems:
            return problems
        count = read_count(facts, event)
        assert count.site is not None
        scanned = self.uow.items.load(count.keys)
        here = self.stock.active_at(count.site) if count.complete else []
        found = compare(count, scanned, here, self.tolerance, self.directory.org_name)
        closing = []
        for key in sorted(set(count.keys) & self.open.keys()):
            state = scanned.get(key)
            judged = state is not None and not changed_after(state, count.event_time)
            for pk, kind in self.open[key]:
                reason = resolution_by_count(kind, key, count, found)
                if reason is not None and (judged or kind is Kind.NOT_FOUND):
                    closing.append((pk, reason))
        self._close(closing, facts, event)
        self._record(found, count, facts, event, principal)
        return []

    def _refusals(self, facts: EventFacts, principal: Principal) -> list[Violation]:
        site = facts.biz_location
        if site is None:
            return [
                Violation(
                    "stock_count.site_required",
                    "a stock count must name the counted site in bizLocation (its SGLN)",
                )
            ]
        owner = self.directory.org_of_location(site)
        if owner is None:
            return [Violation("stock_count.unknown_site", f"{site} is no registered site: register it first")]
        if owner != principal.org_id and not principal.sees_everything:
            return [
                Violation(
                    "stock_count.not_site_owner",
                    f"{site} belongs to {self.directory.org_name(owner)}: only it or an authority "
                    "(ministry, customs, inspectorate) may count it",
                )
            ]
        if self.custody_changed:
            return [
                Violation(
                    "stock_count.after_custody_events",
                    "a stock count is compared with the registry as it stood before its document, but "
                    "this document changes custody before the count: capture the count in a document of "
                    "its own (or before those events)",
                )
            ]
        return []

    def _record(
        self,
        found: list[Discrepancy],
        count: StockCount,
        facts: EventFacts,
        event: Mapping[str, Any],
        principal: Principal,
    ) -> None:
        fresh = [d for d in found if d.kind not in {kind for _, kind in self.open.get(d.key, [])}]
        if not fresh:
            return
        count_id = _event_id(event)
        pks = self.stock.add_discrepancies(
            fresh,
            org_id=principal.org_id,
            site=count.site,
            count_event_id=count_id,
            counted_at=_naive(facts.event_time),
        )
        for pk, discrepancy in zip(pks, fresh, strict=True):
            self.open.setdefault(discrepancy.key, []).append((pk, discrepancy.kind))


def _event_id(event: Mapping[str, Any]) -> str:
    """The event's eventID, or else its Event Hash ID: the one capture worked out when it hands the
    event over with it (a count names every item in the store: hashing it again costs seconds)."""
    known = getattr(event, "hash_id", None)
    return str(event.get("eventID") or known or event_hash_id(dict(event)))
