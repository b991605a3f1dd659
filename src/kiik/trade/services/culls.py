"""Cull operations: the ministry registers one; its team delivers carcasses to a plant in batches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.errors import NotFound
from kiik.trade.domain import events
from kiik.trade.domain.culls import CullOperation
from kiik.trade.domain.errors import TradeError
from kiik.trade.domain.meat import lot_key
from kiik.trade.services.ports import organisation, record, site_of, trade_store


@dataclass(frozen=True)
class RegisterCull:
    number: str
    population: str
    area: str
    starts: Any
    ends: Any
    authorisation: str
    animals_allowed: int
    team: str  # the code of the organisation that takes the animals


def register_cull(uow: UnitOfWork, principal: Principal, command: RegisterCull) -> CullOperation:
    require(principal, Permission.CULLS_MANAGE)
    with uow:
        team = organisation(uow, command.team)
        operation = CullOperation(
            command.number,
            command.population,
            command.area,
            command.starts,
            command.ends,
            command.authorisation,
            command.animals_allowed,
            team.id,
        )
        store = trade_store(uow)
        if store.cull(operation.number) is not None:
            raise TradeError(f"cull operation {operation.number} is registered already: give a new number")
        store.add_cull(operation)
        saved = store.cull(operation.number)
        uow.commit()
    assert saved is not None
    return saved


def list_culls(uow: UnitOfWork, principal: Principal) -> list[dict[str, Any]]:
    """Every cull operation with its mass balance from carcasses to packs."""
    require(principal, Permission.TRADE_READ)
    with uow:
        store = trade_store(uow)
        return [cull_json(op, store.cull_balance(op.id or 0)) for op in store.culls()]


def cull_json(operation: CullOperation, balance: dict[str, Any]) -> dict[str, Any]:
    return {
        "number": operation.number,
        "population": operation.population,
        "area": operation.area,
        "starts": operation.starts.isoformat(),
        "ends": operation.ends.isoformat(),
        "authorisation": operation.authorisation,
        "animalsAllowed": operation.animals_allowed,
        "balance": balance,
    }


@dataclass(frozen=True)
class DeliverCarcasses:
    cull: str
    gtin: str  # the team's GTIN for a saiga carcass
    batch: str
    carcasses: int
    mass_kg: float
    plant: str  # the code of the processing plant
    at: datetime


def deliver_carcasses(
    uow: UnitOfWork, principal: Principal, command: DeliverCarcasses, yields: dict[str, float]
) -> str:
    """The team commissions a batch of carcasses under its cull and ships it to the plant (its code back)."""
    require(principal, Permission.EVENTS_CAPTURE)
    key = lot_key(command.gtin, command.batch)
    with uow:
        operation = trade_store(uow).cull(command.cull)
        if operation is None:
            raise NotFound(f"no cull operation {command.cull}: `kiik trade culls` lists them")
        plant = organisation(uow, command.plant)
        if plant.kind != "processor" or not plant.pgln:
            raise TradeError(f"{command.plant} is no processing plant with a GLN: carcasses go to a plant")
        site = site_of(uow, principal)
        ilmd = {
            "species": "Saiga tatarica",
            "population": operation.population,
            "cullOperation": operation.number,
            "carcasses": command.carcasses,
            "productType": "carcass",
        }
        source = uow.directory.organisation(principal.org_code)
        plant_sites = uow.directory.sites(plant.id)
        recorded = [
            events.carcass_batch(key, command.mass_kg, command.at, site, ilmd),
            events.lot_shipped(
                key,
                command.at,
                site,
                source.pgln if source else None,
                plant.pgln,
                plant_sites[0].sgln if plant_sites else None,
            ),
        ]
        record(uow, principal, recorded, f"the delivery of {key}", yields)
        uow.commit()
    return key
