"""An item as people ask about it: its current state, its history, its lineage, and a verdict.

Every function here takes a code in any spelling (EPC URN, Digital Link, element string,
microchip number), reads with the principal's scope, and answers "no item ... visible to you"
alike for an unknown item and for another organisation's: the answer never tells them apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiik.custody.services.lineage import Lineage, LineageNode, Party, local_names, trace_lineage
from kiik.custody.services.queries import ReadUnitOfWork, epcis_time
from kiik.directory.domain.permissions import Permission, Principal
from kiik.directory.services.scope import ReadScope, restrict
from kiik.epcis.domain.identifiers import InvalidIdentifier, parse_identifier
from kiik.epcis.services.identifier_terms import item_key
from kiik.errors import NotFound
from kiik.partners.services.products import add_partner_products
from kiik.partners.services.provenance import add_partner_provenance


@dataclass(frozen=True)
class ItemView:
    key: str
    kind: str
    is_class: bool
    status: str
    holder: Party | None
    site: str | None
    site_name: str | None
    parent: str | None
    contents: list[str]
    quantity: float | None
    uom: str | None
    mass_kg: float | None
    product_type: str | None
    destination: str | None
    last_event_time: str | None
    event_count: int

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "kind": self.kind,
            "is_class": self.is_class,
            "status": self.status,
            "holder": self.holder.to_json() if self.holder else None,
            "site": {"sgln": self.site, "name": self.site_name} if self.site else None,
            "parent": self.parent,
            "contents": self.contents,
            "quantity": self.quantity,
            "uom": self.uom,
            "mass_kg": self.mass_kg,
            "product_type": self.product_type,
            "in_transit_to": self.destination,
            "last_event_time": self.last_event_time,
            "event_count": self.event_count,
        }


@dataclass(frozen=True)
class HistoryEntry:
    event_time: datetime
    record_time: datetime
    event_type: str
    action: str | None
    biz_step: str | None
    disposition: str | None
    recorded_by: Party | None
    event_id: str
    hash_id: str
    roles: tuple[str, ...]
    erroneous: bool
    declares_error: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "event_time": epcis_time(self.event_time),
            "record_time": epcis_time(self.record_time),
            "type": self.event_type,
            "action": self.action,
            "biz_step": self.biz_step,
            "disposition": self.disposition,
            "recorded_by": self.recorded_by.to_json() if self.recorded_by else None,
            "event_id": self.event_id,
            "hash_id": self.hash_id,
            "roles": list(self.roles),
            "erroneous": self.erroneous,
            "declares_error": self.declares_error,
        }


@dataclass(frozen=True)
class Verdict:
    status: str
    origin_traced: bool
    sources: int
    animals: int
    species: list[str]
    untraced: list[str]
    summary: str

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "origin_traced": self.origin_traced,
            "sources": self.sources,
            "animals": self.animals,
            "species": self.species,
            "untraced_sources": self.untraced,
            "summary": self.summary,
        }


@dataclass(frozen=True)
class Trace:
    item: ItemView
    verdict: Verdict
    history: list[HistoryEntry]
    lineage: Lineage

    def to_json(self) -> dict[str, Any]:
        return {
            "item": self.item.to_json(),
            "verdict": self.verdict.to_json(),
            "history": [h.to_json() for h in self.history],
            "lineage": self.lineage.to_json(),
        }


def _parties(uow: ReadUnitOfWork) -> dict[int, Party]:
    return {o.id: Party(o.code, o.name) for o in uow.directory.organisations()}


def _kind(key: str, is_class: bool) -> str:
    try:
        return parse_identifier(key).kind
    except InvalidIdentifier:
        return "class" if is_class else "item"


def _visible(uow: ReadUnitOfWork, scope: ReadScope, code: str) -> tuple[str, Any]:
    key = item_key(code)
    record = uow.lineage.item(key, visible_to=scope.visible_to)
    if record is None:
        raise NotFound(f"no item {code} visible to you: check the code, or ask its holder or the ministry")
    return key, record


def _view(uow: ReadUnitOfWork, scope: ReadScope, key: str, record: Any) -> ItemView:
    holder = Party(record.holder_code, record.holder_name) if record.holder_code else None
    return ItemView(
        key=key,
        kind=_kind(key, record.is_class),
        is_class=record.is_class,
        status=record.status,
        holder=holder,
        site=record.site,
        site_name=record.site_name,
        parent=record.parent,
        contents=uow.lineage.contents(key, visible_to=scope.visible_to),
        quantity=record.quantity,
        uom=record.uom,
        mass_kg=record.mass_kg,
        product_type=record.product_type,
        destination=record.destination_code,
        last_event_time=record.last_event_time,
        event_count=uow.queries.count_naming(key),
    )


def _history(uow: ReadUnitOfWork, key: str) -> list[HistoryEntry]:
    return [
        HistoryEntry(
            event_time=h.event_time,
            record_time=h.record_time,
            event_type=h.event_type,
            action=h.action,
            biz_step=h.biz_step,
            disposition=h.disposition,
            recorded_by=Party(h.org_code, h.org_name) if h.org_code else None,
            event_id=h.event_id,
            hash_id=h.hash_id,
            roles=h.roles,
            erroneous=h.erroneous,
            declares_error=h.declares_error,
        )
        for h in uow.queries.history(key)
    ]


def end_read(uow: Any) -> None:
    """End a read with COMMIT rather than the unit of work's closing ROLLBACK (there is nothing to
    undo): psycopg drops its prepared statements on every ROLLBACK, and on PostgreSQL the lineage
    statements cost more to plan than to run."""
    commit = getattr(uow, "commit", None)
    if commit is not None:
        commit()


def item_state(uow: ReadUnitOfWork, principal: Principal, code: str) -> ItemView:
    """GET /api/items/{code}: what the registry holds about an item now."""
    scope = restrict(principal, Permission.ITEMS_READ)
    with uow:
        key, record = _visible(uow, scope, code)
        view = _view(uow, scope, key, record)
        end_read(uow)
    return view


def item_history(uow: ReadUnitOfWork, principal: Principal, code: str) -> list[HistoryEntry]:
    """Every event naming the item, in the order they happened, erroneous ones flagged."""
    scope = restrict(principal, Permission.ITEMS_READ)
    with uow:
        key, _ = _visible(uow, scope, code)
        history = _history(uow, key)
        end_read(uow)
    return history


def item_lineage(uow: ReadUnitOfWork, principal: Principal, code: str) -> Lineage:
    """Back to the source items (with their harvest ILMD) and forward to every product."""
    scope = restrict(principal, Permission.ITEMS_READ)
    with uow:
        key, _ = _visible(uow, scope, code)
        lineage = trace_lineage(uow.lineage, key, scope=scope, parties=_parties(uow))
        add_partner_provenance(uow, lineage)
        add_partner_products(uow, lineage)
        end_read(uow)
    return lineage


def trace_item(uow: ReadUnitOfWork, principal: Principal, code: str) -> Trace:
    """GET /api/items/{code}/trace and `kiik trace`: state, verdict, history and lineage at once;
    an imported item is followed back through its export notice's events to harvest, an exported
    one forward to the products the importing registry reported making of it."""
    scope = restrict(principal, Permission.ITEMS_READ)
    with uow:
        key, record = _visible(uow, scope, code)
        parties = _parties(uow)
        view = _view(uow, scope, key, record)
        history = _history(uow, key)
        lineage = trace_lineage(uow.lineage, key, scope=scope, parties=parties)
        add_partner_provenance(uow, lineage)
        add_partner_products(uow, lineage)
        end_read(uow)
    return Trace(view, verdict_of(view, lineage), history, lineage)


def verdict_of(item: ItemView, lineage: Lineage) -> Verdict:
    """What a person scanning the code needs first: its status and whether its origin is on record."""
    untraced = [n.key for n in lineage.sources if n.origin is None]
    origins = [local_names(n.origin.ilmd) for n in lineage.sources if n.origin is not None]
    animals = {str(o["animalID"]) for o in origins if o.get("animalID") is not None}
    species = sorted({str(o["species"]) for o in origins if o.get("species")})
    holder = f", held by {item.holder.name}" if item.holder else ""
    traced = not untraced and not lineage.truncated
    count = len(lineage.sources)
    if traced:
        what = f"{count} source item{'s' if count != 1 else ''}"
        if animals:
            what += f" from {len(animals)} animal{'s' if len(animals) != 1 else ''}"
        if species:
            what += f" ({', '.join(species)})"
        origin = f"origin on record: {what}"
    elif lineage.truncated:
        origin = "lineage too long to follow in full; origin not confirmed"
    else:
        origin = f"origin NOT on record for {len(untraced)} of {count} source items"
    return Verdict(
        item.status, traced, count, len(animals), species, untraced, f"{item.status}{holder}: {origin}"
    )


def source_rows(sources: list[LineageNode]) -> list[dict[str, Any]]:
    """Source items flattened with their ILMD by local names (for tables)."""
    return [
        {"key": n.key, "mass_kg": n.mass_kg, **(local_names(n.origin.ilmd) if n.origin else {})}
        for n in sources
    ]
