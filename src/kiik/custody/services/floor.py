"""The floor's daily work, as warehouse and plant staff do it on the pages: check scanned codes at
once, ship or receive them (here), and process horns into lots with the yield checked before sending
(`floor_processing`).

Each use case builds the EPCIS event the API and `kiik demo` would (`event_builders`) and records it
through the same capture (`capture_within`, by `record_event`), so the custody rules decide exactly
as they do for a document posted to `/epcis/capture`. The page's idempotency key becomes the event's
eventID: an event with that eventID already recorded by the organisation is answered as recorded
before, so a resend after a lost connection records the work once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kiik.custody.domain.state import FROZEN, ItemState, Status
from kiik.custody.services.capture import CaptureOutcome, capture_within
from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.identifiers import InvalidIdentifier
from kiik.errors import N_

# Reads a code as typed or scanned (any spelling, GS1 element strings): the entry point hands in
# `kiik.epcis.adapters.barcodes.parse_scanned`; it returns an identifier with `.canonical`, `.is_class`.
CodeReader = Callable[[str], Any]
# Checks an event against the EPCIS schema (the entry point hands in the reader's `validate_event`).
EventValidator = Callable[[dict[str, Any]], Sequence[Any]]

PURPOSES = ("ship", "receive", "process", "look")


class FloorError(ValueError):
    """A request the floor pages cannot act on (no codes, an unknown party, a bad key); says why."""

    def __init__(self, message: str, field_name: str | None = None) -> None:
        super().__init__(message)
        self.field_name = field_name


@dataclass(frozen=True)
class CodeCheck:
    """One scanned code and what kiik says of it for the work at hand.

    `verdict`: ok, unreadable, repeated (already in the list), unknown (not registered), elsewhere
    (held by another organisation), not_movable (held here but in transit, consumed, seized...),
    not_coming (receive: not in transit to this organisation), here_already (receive: held here)."""

    typed: str
    key: str | None
    verdict: str
    detail: str = ""
    state: ItemState | None = None

    @property
    def ok(self) -> bool:
        return self.verdict == "ok"


def check_codes(
    uow: UnitOfWork, principal: Principal, typed: Sequence[str], purpose: str, read_code: CodeReader
) -> list[CodeCheck]:
    """Each code's verdict for `purpose` (ship, receive, process, look), in the order typed."""
    require(principal, Permission.ITEMS_READ)
    if purpose not in PURPOSES:
        raise FloorError(
            N_(
                "purpose %(purpose)s is none of %(purposes)s",
                purpose=repr(purpose),
                purposes=", ".join(PURPOSES),
            )
        )
    keys: list[str | None] = []
    problems: dict[int, str] = {}
    for n, text in enumerate(typed):
        try:
            keys.append(str(read_code(text).canonical))
        except InvalidIdentifier as exc:
            keys.append(None)
            problems[n] = exc.args[0]  # a Wording: the page translates it
    with uow:
        states = uow.items.load([k for k in keys if k is not None])
        uow.commit()  # a read
    seen: set[str] = set()
    checks = []
    for n, (text, key) in enumerate(zip(typed, keys, strict=True)):
        if key is None:
            checks.append(CodeCheck(text, None, "unreadable", problems[n]))
            continue
        if key in seen:
            checks.append(CodeCheck(text, key, "repeated"))
            continue
        seen.add(key)
        checks.append(_verdict(text, key, states.get(key), principal, purpose))
    return checks


def _verdict(text: str, key: str, state: ItemState | None, principal: Principal, purpose: str) -> CodeCheck:
    if state is None:
        return CodeCheck(text, key, "unknown")
    mine = state.holder == principal.org_id
    # Another organisation's item: only the authorities (who see everything) learn its state.
    shown = state if mine or principal.sees_everything else None
    if purpose == "look":
        if shown is None:
            return CodeCheck(text, key, "elsewhere")
        return CodeCheck(text, key, "ok", state.status.value, state)
    if purpose == "receive":
        if state.status is Status.IN_TRANSIT and state.destination == principal.org_id:
            return CodeCheck(text, key, "ok", "", state)
        if mine and state.status is Status.ACTIVE:
            return CodeCheck(text, key, "here_already", "", state)
        return CodeCheck(text, key, "not_coming", state.status.value if shown else "", shown)
    if not mine:
        return CodeCheck(text, key, "elsewhere", "", shown)
    if state.status in FROZEN:
        return CodeCheck(text, key, "not_movable", state.status.value, state)
    return CodeCheck(text, key, "ok", "", state)


def event_id_of(idempotency_key: str) -> str:
    """The eventID a page's work is recorded under: its key, which must be a UUID."""
    try:
        return f"urn:uuid:{uuid.UUID(idempotency_key.strip())}"
    except ValueError as exc:
        raise FloorError(N_("the page's key is not a UUID: reload the page and send again"), "key") from exc


@dataclass
class FloorOutcome:
    """What recording the work did: recorded, recorded before (a resend), or refused with errors."""

    status: str  # recorded, replayed, refused
    event_id: str
    codes: list[str] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    capture: CaptureOutcome | None = None


@dataclass(frozen=True)
class Movement:
    """Ship `codes` to another organisation (and its site), or receive them at one's own site."""

    kind: str  # ship or receive
    codes: Sequence[str]
    idempotency_key: str
    party: str | None = None  # ship: the receiving organisation's code
    site: str | None = None  # ship: the destination site; receive: one's own site (default: the first)


def record_event(
    uow: UnitOfWork,
    principal: Principal,
    event: dict[str, Any],
    codes: list[str],
    validate: EventValidator,
    yields: dict[str, float],
    custody_rules: bool,
) -> FloorOutcome:
    """Capture one event of the floor, once per eventID of the organisation (a resend is replayed)."""
    event_id = str(event["eventID"])
    # Sent on its own (not inside a document), the event carries the EPCIS context itself.
    event["@context"] = [build.EPCIS_CONTEXT, *event.get("@context", [])]
    with uow:
        earlier = [e for e in uow.events.by_event_id(event_id) if e.org_id == principal.org_id]
        if earlier:
            uow.commit()
            return FloorOutcome("replayed", event_id, codes)
        outcome = capture_within(
            uow,
            principal,
            [_Single(event, validate(event))],
            custody_rules=custody_rules,
            yields=yields,
        )
        if not outcome.succeeded:
            uow.rollback()
            return FloorOutcome("refused", event_id, codes, list(outcome.errors), outcome)
        uow.commit()
    return FloorOutcome("recorded", event_id, codes, capture=outcome)


@dataclass
class _Single:
    event: dict[str, Any]
    problems: Sequence[Any]
    index: int = 0


def own_site(uow: UnitOfWork, principal: Principal, site: str | None) -> str:
    """The principal's site where the work is done: the one named (it must be theirs), else the first."""
    sites = [s.sgln for s in uow.directory.sites(principal.org_id)]
    if not sites:
        raise FloorError(
            N_("%(org)s has no site: ask the ministry to add one", org=principal.org_code), "site"
        )
    if site and site not in sites:
        raise FloorError(
            N_(
                "%(site)s is not a site of %(org)s: choose one of the list", site=site, org=principal.org_code
            ),
            "site",
        )
    return site or sites[0]


def scanned_keys(codes: Sequence[str], read_code: CodeReader) -> list[str]:
    """The registry keys of the codes scanned, each once, in order; FloorError names one unreadable."""
    if not codes:
        raise FloorError(N_("scan or type at least one code"), "codes")
    keys = []
    for code in codes:
        try:
            keys.append(str(read_code(code).canonical))
        except InvalidIdentifier as exc:
            raise FloorError(N_("%(code)s: %(reason)s", code=code, reason=exc.args[0]), "codes") from exc
    return list(dict.fromkeys(keys))


def record_movement(
    uow: UnitOfWork,
    principal: Principal,
    command: Movement,
    read_code: CodeReader,
    validate: EventValidator,
    *,
    custody_rules: bool,
    yields: dict[str, float],
    now: datetime | None = None,
) -> FloorOutcome:
    """Ship or receive scanned codes as one EPCIS ObjectEvent (bizStep shipping or receiving)."""
    require(principal, Permission.EVENTS_CAPTURE)
    if command.kind not in ("ship", "receive"):
        raise FloorError(N_("%(kind)s is neither ship nor receive", kind=repr(command.kind)), "kind")
    event_id = event_id_of(command.idempotency_key)
    keys = scanned_keys(command.codes, read_code)
    moment = now or datetime.now(UTC)
    with uow:
        if command.kind == "ship":
            here = own_site(uow, principal, None)
            to = uow.directory.organisation(command.party or "")
            if to is None or not command.party:
                raise FloorError(N_("choose the organisation the codes go to"), "party")
            if to.id == principal.org_id:
                raise FloorError(N_("codes are shipped to another organisation, not to one's own"), "party")
            to_sites = [s.sgln for s in uow.directory.sites(to.id)]
            if command.site and command.site not in to_sites:
                raise FloorError(
                    N_(
                        "%(site)s is not a site of %(org)s: choose one of its sites",
                        site=command.site,
                        org=to.name,
                    ),
                    "site",
                )
            destination_site = command.site or (to_sites[0] if to_sites else None)
            party = to.pgln or f"urn:kiik:org:{to.code}"
            mine = uow.directory.organisation(principal.org_id)
            source = mine.pgln if mine is not None else None
            event = build.shipping(keys, moment, here, source, party, destination_site)
        else:
            here = own_site(uow, principal, command.site)
            event = build.receiving(keys, moment, here)
        lots = _lots(uow.items.load(keys))
        uow.commit()
    if lots:
        # A lot (a class, counted in kg) moves whole, as a quantity line; items stay in the epcList.
        event["epcList"] = [k for k in keys if k not in lots]
        event["quantityList"] = list(lots.values())
        if not event["epcList"]:
            del event["epcList"]
    event["eventID"] = event_id
    return record_event(uow, principal, event, keys, validate, yields, custody_rules)


def _lots(states: dict[str, ItemState]) -> dict[str, dict[str, Any]]:
    """The quantity line of each lot among `states`: all that is left of it, in its own unit."""
    lines: dict[str, dict[str, Any]] = {}
    for key, state in states.items():
        if not state.is_class:
            continue
        line: dict[str, Any] = {"epcClass": key}
        if state.quantity is not None and state.uom:
            line.update(quantity=state.quantity, uom=state.uom)
        elif state.mass_kg is not None:
            line.update(quantity=state.mass_kg, uom="KGM")
        lines[key] = line
    return lines
