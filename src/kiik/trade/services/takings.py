"""Permits to take wild specimens and the takings under them: argali trophies, plants by mass."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.epcis.domain.event_builders import commissioning
from kiik.epcis.services.identifier_terms import item_key
from kiik.errors import NotFound
from kiik.trade.domain.errors import TradeError
from kiik.trade.domain.takings import TakeKind, TakePermit
from kiik.trade.services.ports import organisation, record, site_of, trade_store


@dataclass(frozen=True)
class IssueTakePermit:
    number: str
    kind: str
    species: str
    area: str
    starts: date
    ends: date
    holder: str  # the code of the outfitter's or collector's organisation
    limit: float


def issue_take_permit(uow: UnitOfWork, principal: Principal, command: IssueTakePermit) -> TakePermit:
    require(principal, Permission.CULLS_MANAGE)
    try:
        kind = TakeKind(command.kind)
    except ValueError:
        raise TradeError(f"unknown permit kind {command.kind!r}: use hunting or collection") from None
    with uow:
        holder = organisation(uow, command.holder)
        permit = TakePermit(
            command.number,
            kind,
            command.species,
            command.area,
            command.starts,
            command.ends,
            holder.id,
            command.limit,
        )
        store = trade_store(uow)
        if store.take_permit(permit.number) is not None:
            raise TradeError(f"permit {permit.number} is issued already: give a new number")
        permit_id = store.add_take_permit(permit)
        uow.commit()
    return TakePermit(**{**permit.__dict__, "id": permit_id})


def take_permits(uow: UnitOfWork, principal: Principal) -> list[dict[str, Any]]:
    """Every permit with what was taken under it."""
    require(principal, Permission.TRADE_READ)
    with uow:
        store = trade_store(uow)
        return [
            {
                "number": p.number,
                "kind": p.kind.value,
                "species": p.species,
                "area": p.area,
                "starts": p.starts.isoformat(),
                "ends": p.ends.isoformat(),
                "limit": p.limit,
                "unit": p.unit,
                "taken": [
                    {"code": key, "amount": amount, "on": day.isoformat()}
                    for key, amount, day in store.takings_of(p.id or 0)
                ],
            }
            for p in store.take_permits()
        ]


@dataclass(frozen=True)
class Take:
    permit: str
    code: str  # a trophy's code (SGTIN), or a collected lot's (LGTIN)
    at: datetime
    kg: float | None = None  # a collection's mass; a trophy's, if weighed


def take(uow: UnitOfWork, principal: Principal, command: Take, yields: dict[str, float]) -> str:
    """The permit's holder records a trophy or a collected lot (commissioning it); returns its code."""
    require(principal, Permission.EVENTS_CAPTURE)
    key = item_key(command.code)
    with uow:
        permit = trade_store(uow).take_permit(command.permit)
        if permit is None:
            raise NotFound(f"no permit {command.permit}: `kiik trade take-permits` lists them")
        product = "hunting_trophy" if permit.kind is TakeKind.HUNTING else _collected(permit.species)
        ilmd = {"species": permit.species, "productType": product, "takePermit": permit.number}
        if permit.kind is TakeKind.HUNTING:
            event = commissioning(
                [key], command.at, site_of(uow, principal), ilmd={**ilmd, "massKg": command.kg}
            )
        else:
            if not command.kg or command.kg <= 0:
                raise TradeError("a collection is recorded by its mass: give the kilograms collected")
            lot = [{"epcClass": key, "quantity": command.kg, "uom": "KGM"}]
            event = commissioning([], command.at, site_of(uow, principal), ilmd=ilmd, quantities=lot)
        record(uow, principal, [event], f"the taking of {key} under {permit.number}", yields)
        uow.commit()
    return key


def _collected(species: str) -> str:
    return {"Glycyrrhiza glabra": "root", "Juniperus seravschanica": "berries", "Rosa canina": "hips"}[
        species
    ]
