"""Capture: a document of EPCIS events is stored whole or not at all.

Events stream in; each is checked (schema problems found by the reader, then the custody rules
against the state left by the events before it) and written in batches inside one transaction.
When any event fails, the transaction is rolled back and every failing event is reported.
"""

from __future__ import annotations

import gc
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from kiik.custody.domain.mass_bounds import MassBounds
from kiik.custody.domain.rules import CustodyPolicy, apply_event, operation_of
from kiik.custody.domain.state import Actor, Ledger
from kiik.custody.services.collections import no_automatic_collections
from kiik.custody.services.corrections import declare_errors
from kiik.custody.services.event_rules import rules_for
from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.directory.services.directory_view import DirectoryView
from kiik.epcis.domain.event_facts import EventFacts, read_event
from kiik.epcis.domain.event_hash import event_hash_id
from kiik.epcis.services.records import MAX_STORED_TEXT, WrittenEvent, new_event, shown, too_long

# States kept in memory for a document that is already rejected (and so is not being written).
MAX_UNWRITTEN_STATES = 200_000
# A batch is written once it holds `batch_size` events or names this many items, whichever comes
# first: a document of a few large shipments is then written (and read ahead) piece by piece too.
BATCH_IDENTIFIERS = 5000


class ProblemLike(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


class DocumentEventLike(Protocol):
    @property
    def index(self) -> int: ...
    @property
    def event(self) -> dict[str, Any]: ...
    @property
    def problems(self) -> Sequence[ProblemLike]: ...


@dataclass
class CaptureOutcome:
    capture_id: str
    event_count: int = 0
    stored: int = 0
    duplicates: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    unreported_errors: int = 0

    @property
    def succeeded(self) -> bool:
        return not self.errors and not self.unreported_errors

    def summary(self) -> str:
        if self.succeeded:
            return (
                f"captured {self.event_count} events: {self.stored} stored, "
                f"{self.duplicates} already recorded"
            )
        failing = len({e.get("eventIndex") for e in self.errors}) + self.unreported_errors
        return f"rejected: {failing} of {self.event_count} events break a rule; nothing was stored"


@dataclass
class _Pending:
    source: DocumentEventLike
    facts: EventFacts
    hash_id: str
    body_json: str | None = None

    @property
    def index(self) -> int:
        return self.source.index

    @property
    def event(self) -> dict[str, Any]:
        return self.source.event


class _EventOf(Mapping[str, Any]):
    """The event of a pending one, as a mapping that asks for the event only when a rule reads it:
    an event read ahead comes encoded, and most rules decide from its facts alone. It also knows
    the event's Event Hash ID (`hash_id`), for a rule that names an event without an eventID."""

    __slots__ = ("_pending",)

    def __init__(self, pending: _Pending) -> None:
        self._pending = pending

    @property
    def hash_id(self) -> str:
        return self._pending.hash_id

    def __getitem__(self, key: str) -> Any:
        return self._pending.event[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._pending.event)

    def __len__(self) -> int:
        return len(self._pending.event)


class _Capture:
    def __init__(
        self,
        uow: UnitOfWork,
        principal: Principal,
        policy: CustodyPolicy,
        outcome: CaptureOutcome,
        max_errors: int,
    ) -> None:
        self.uow, self.principal, self.policy, self.outcome = uow, principal, policy, outcome
        self.actor = Actor(principal.org_id, principal.org_kind.value)
        self.ledger = Ledger(uow.items.load, uow.items.children, uow.items.children_of_many)
        self.rules = rules_for(uow) if policy.enforce else []
        self.max_errors = max_errors
        self.record_time = datetime.now(UTC)

    def error(
        self, index: int | None, event: dict[str, Any] | None, rule: str, message: str, **extra: Any
    ) -> None:
        if len(self.outcome.errors) >= self.max_errors:
            self.outcome.unreported_errors += 1
            return
        entry: dict[str, Any] = {
            "eventIndex": index,
            "eventID": (event or {}).get("eventID"),
            "rule": rule,
            "message": message,
        }
        entry.update({k: v for k, v in extra.items() if v is not None})
        self.outcome.errors.append(entry)

    @property
    def failed(self) -> bool:
        return not self.outcome.succeeded

    def flush(self, batch: list[_Pending]) -> None:
        if not batch:
            return
        plain = {p.hash_id for p in batch if not p.facts.declares_error}
        declared = {p.hash_id for p in batch if p.facts.declares_error}
        known = self.uow.events.existing_hashes(plain) | {
            "decl:" + h for h in self.uow.events.existing_hashes(declared, declares_error=True)
        }
        # The states of the items each event moves, read in one go. An observation (a stock count,
        # an inspection) moves nothing: its items are left to the rules that read them, if any.
        self.ledger.preload(
            key for p in batch if operation_of(p.facts) != "observe" for _, key in p.facts.identifier_pairs
        )
        to_write: list[_Pending] = []
        for item in batch:
            marker = ("decl:" if item.facts.declares_error else "") + item.hash_id
            if marker in known:
                self.outcome.duplicates += 1
                continue
            known.add(marker)
            if item.facts.declares_error:
                self.write(to_write)
                to_write = []
                self.declare(item)
                continue
            violations = apply_event(item.facts, self.actor, self.ledger, self.policy)
            event = _EventOf(item)
            for rule in self.rules:
                violations += rule.check(item.facts, event, self.principal)
            for violation in violations:
                self.error(
                    item.index, item.event, violation.rule, violation.message, identifier=violation.identifier
                )
            to_write.append(item)
        self.write(to_write)

    def write(self, batch: list[_Pending]) -> None:
        if self.failed and len(self.ledger) > MAX_UNWRITTEN_STATES:
            # A rejected document is still checked to the end, but memory stays bounded: later
            # events are then checked against the stored state rather than this document's own.
            self.ledger.forget()
        if self.failed or not batch:
            return
        rows = [
            new_event(
                None if p.body_json is not None else p.event,
                p.facts,
                p.hash_id,
                self.principal.org_id,
                self.outcome.capture_id,
                self.record_time,
            )
            for p in batch
        ]
        pks = self.uow.events.add(rows, bodies_json=[p.body_json for p in batch])
        self.uow.items.save(self.ledger.changed_states(), self.ledger.new_keys(), self.ledger.loaded())
        self.ledger.forget()
        self.outcome.stored += len(rows)
        stored = [WrittenEvent(pk, row, p.facts) for pk, row, p in zip(pks, rows, batch, strict=True)]
        for rule in self.rules:
            # Optional: a rule writes the projection of the events it checked, batch by batch.
            written = getattr(rule, "written", None)
            if written is not None:
                written(stored)

    def declare(self, item: _Pending) -> None:
        violations = declare_errors(
            self.uow,
            item.event,
            item.facts,
            item.hash_id,
            self.principal,
            self.policy,
            capture_id=self.outcome.capture_id,
            record_time=self.record_time,
            write=not self.failed,
        )
        for violation in violations:
            self.error(
                item.index, item.event, violation.rule, violation.message, identifier=violation.identifier
            )
        if not violations and not self.failed:
            self.outcome.stored += 1
        self.ledger.forget()


def capture_events(
    uow: UnitOfWork,
    principal: Principal,
    events: Iterable[DocumentEventLike],
    *,
    custody_rules: bool,
    yields: dict[str, float],
    batch_size: int = 2000,
    max_errors: int = 1000,
    capture_id: str | None = None,
    document_problems: Any = None,
    max_events: int | None = None,
) -> CaptureOutcome:
    """Capture every event or none. `document_problems`, when given, is called after the events
    are read and returns problems of the document as a whole (its header, its syntax)."""
    require(principal, Permission.EVENTS_CAPTURE)
    with uow:
        outcome = capture_within(
            uow,
            principal,
            events,
            custody_rules=custody_rules,
            yields=yields,
            batch_size=batch_size,
            max_errors=max_errors,
            capture_id=capture_id,
            document_problems=document_problems,
            max_events=max_events,
        )
        if outcome.succeeded:
            uow.commit()
        else:
            uow.rollback()
    return outcome


def capture_within(
    uow: UnitOfWork,
    principal: Principal,
    events: Iterable[DocumentEventLike],
    *,
    custody_rules: bool,
    yields: dict[str, float],
    batch_size: int = 2000,
    max_errors: int = 1000,
    capture_id: str | None = None,
    document_problems: Any = None,
    max_events: int | None = None,
) -> CaptureOutcome:
    """`capture_events` inside a unit of work that the caller has entered and will end: nothing is
    committed here. The caller commits only when the outcome succeeded (and rolls back otherwise),
    so that a use case can write its own records in the same transaction as the events."""
    require(principal, Permission.EVENTS_CAPTURE)
    with no_automatic_collections():
        return _capture(
            uow,
            principal,
            events,
            custody_rules,
            yields,
            batch_size,
            max_errors,
            capture_id,
            document_problems,
            max_events,
        )


def _capture(
    uow: UnitOfWork,
    principal: Principal,
    events: Iterable[DocumentEventLike],
    custody_rules: bool,
    yields: dict[str, float],
    batch_size: int,
    max_errors: int,
    capture_id: str | None,
    document_problems: Any,
    max_events: int | None = None,
) -> CaptureOutcome:
    outcome = CaptureOutcome(capture_id=capture_id or new_capture_id())
    # The plausible masses the ministry set (custody's stock store keeps them), read once a capture.
    stores: Any = uow
    bounds = MassBounds(stores.stock.mass_bounds() if custody_rules else ())
    policy = CustodyPolicy(
        directory=DirectoryView(uow), yields=yields, enforce=custody_rules, mass_bounds=bounds
    )
    run = _Capture(uow, principal, policy, outcome, max_errors)
    batch: list[_Pending] = []
    weight = 0
    for document_event in events:
        outcome.event_count += 1
        if max_events is not None and outcome.event_count > max_events:
            run.error(
                None,
                None,
                "capture.too_many_events",
                f"the document holds more than {max_events} events, the most one capture takes "
                "(GS1-EPCIS-Capture-Limit): split it into several documents",
            )
            break
        if document_event.problems:
            for problem in document_event.problems:
                details = problem.to_dict()
                run.error(
                    document_event.index,
                    document_event.event,
                    details.get("rule", "schema"),
                    details.get("message", ""),
                    path=details.get("path"),
                )
            continue
        # A document read ahead by a worker process comes with facts, hash and encoded body.
        facts = getattr(document_event, "facts", None)
        hash_id = getattr(document_event, "hash_id", None)
        if facts is None or hash_id is None:
            event = document_event.event
            try:
                facts = read_event(event)
                hash_id = event_hash_id(event)
            except (KeyError, ValueError, TypeError) as exc:
                run.error(document_event.index, event, "event.unreadable", f"the event cannot be read: {exc}")
                continue
        oversized = too_long(facts)
        if oversized:
            for name, value in oversized:
                run.error(
                    document_event.index,
                    document_event.event,
                    "event.value_too_long",
                    f"{name} has {len(value)} characters; at most {MAX_STORED_TEXT} are stored: shorten it "
                    f"({shown(value)})",
                )
            continue
        body_json = getattr(document_event, "body_json", None)
        batch.append(_Pending(document_event, facts, hash_id, body_json))
        weight += len(facts.identifier_pairs)
        if len(batch) >= batch_size or weight >= BATCH_IDENTIFIERS:
            run.flush(batch)
            batch = []
            weight = 0
            gc.collect(1)  # what the batch left behind, among the young objects (see .collections)
    run.flush(batch)
    for problem in document_problems() if document_problems else []:
        details = problem.to_dict()
        run.error(
            None,
            None,
            details.get("rule", "document"),
            details.get("message", ""),
            path=details.get("path"),
        )
    if not outcome.succeeded:
        outcome.stored = 0
    return outcome


def new_capture_id() -> str:
    return uuid.uuid4().hex
