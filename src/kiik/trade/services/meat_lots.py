"""Meat lots at the plant and on their way to the shop: processing, moves, packs sold, recalls."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from kiik.custody.services.capture import CaptureOutcome
from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import OrgKind, Permission, Principal, require
from kiik.epcis.services.identifier_terms import item_key
from kiik.errors import NotFound
from kiik.trade.domain import events
from kiik.trade.domain.errors import TradeError
from kiik.trade.domain.meat import LotPlan, ProcessingRun, check_run
from kiik.trade.domain.packs import MeatLot
from kiik.trade.services.ports import organisation, record, site_of, trade_store


@dataclass(frozen=True)
class Process:
    product_type: str
    gtin: str
    vet_certificate: str
    inputs: tuple[tuple[str, float], ...]  # carcass batch codes and the kg taken from each
    lots: tuple[LotPlan, ...]
    at: datetime


def process(uow: UnitOfWork, principal: Principal, command: Process, yields: dict[str, float]) -> list[str]:
    """A plant makes lots of one meat product from carcass batches it holds; returns the lots' codes."""
    return process_runs(uow, principal, [command], yields)[0]


def process_runs(
    uow: UnitOfWork, principal: Principal, commands: Sequence[Process], yields: dict[str, float]
) -> list[list[str]]:
    """A plant's runs (a shift's, a day's) recorded together: one transformation each, one capture,
    all or none. Returns each run's lots' codes."""
    require(principal, Permission.EVENTS_CAPTURE)
    if principal.org_kind is not OrgKind.PROCESSOR:
        raise TradeError("meat lots are made by a processing plant: act as the plant")
    runs = [_run(command) for command in commands]
    keys = [check_run(run) for run in runs]
    with uow:
        store = trade_store(uow)
        origins = store.carcass_origins({key for run in runs for key, _ in run.inputs})
        unknown = sorted({key for run in runs for key, _ in run.inputs if key not in origins})
        if unknown:
            raise TradeError(
                f"{', '.join(unknown)} is no carcass batch of a registered cull: meat is made from carcasses "
                "delivered under a cull operation"
            )
        site = site_of(uow, principal)
        made = [
            events.processed(
                run.inputs,
                [(key, lot.mass_kg) for key, lot in zip(lot_keys, run.lots, strict=True)],
                command.at,
                site,
                run.product_type,
                run.vet_certificate,
            )
            for run, lot_keys, command in zip(runs, keys, commands, strict=True)
        ]
        record(uow, principal, made, f"{len(runs)} processing runs", yields)
        for run, lot_keys in zip(runs, keys, strict=True):
            run_id = store.add_run(run, principal.org_id)
            store.add_lots(
                run_id, run.gtin, list(zip(lot_keys, run.lots, strict=True)), _origin(run, origins)
            )
        uow.commit()
    return keys


def _run(command: Process) -> ProcessingRun:
    inputs = tuple((item_key(code), kg) for code, kg in command.inputs)
    return ProcessingRun(
        command.product_type, command.gtin, command.at.date(), command.vet_certificate, inputs, command.lots
    )


def _origin(run: ProcessingRun, origins: Mapping[str, tuple[str, date, str]]) -> dict[str, object]:
    """Where a run's lots come from: the populations, days and culls of its carcass batches."""
    mine = [origins[key] for key, _ in run.inputs]
    days = [day for _, day, _ in mine]
    return {
        "population": ", ".join(sorted({population for population, _, _ in mine})),
        "cull_from": min(days),
        "cull_to": max(days),
        "culls": sorted({number for _, _, number in mine}),
    }


def _in_reach(uow: UnitOfWork, principal: Principal, key: str) -> None:
    """A lot (or carcass batch) is acted on by its holder, the organisation it is sent to, its plant or
    an authority (the rules then say what each may do); to anyone else it is as unknown as a code
    never registered."""
    require(principal, Permission.EVENTS_CAPTURE)
    if principal.sees_everything:
        return
    state = uow.items.load([key]).get(key)
    reach = {state.holder, state.destination} if state is not None else set()
    if principal.org_id in reach or trade_store(uow).plant_of(key) == principal.org_id:
        return
    raise NotFound(f"no lot {key} that you hold or are sent: check the code on the label")


def ship_lot(
    uow: UnitOfWork, principal: Principal, code: str, to: str, at: datetime, yields: dict[str, float]
) -> CaptureOutcome:
    """The holder sends a whole lot (or carcass batch) to a wholesaler, a trading network or a shop."""
    key = item_key(code)
    with uow:
        _in_reach(uow, principal, key)
        buyer = organisation(uow, to)
        if not buyer.pgln:
            raise TradeError(f"{to} has no GLN (PGLN): register it before it receives goods")
        source = uow.directory.organisation(principal.org_code)
        places = uow.directory.sites(buyer.id)
        event = events.lot_shipped(
            key,
            at,
            site_of(uow, principal),
            source.pgln if source else None,
            buyer.pgln,
            places[0].sgln if places else None,
        )
        outcome = record(uow, principal, [event], f"the shipment of {key} to {to}", yields)
        uow.commit()
    return outcome


def receive_lot(
    uow: UnitOfWork, principal: Principal, code: str, at: datetime, yields: dict[str, float]
) -> CaptureOutcome:
    key = item_key(code)
    with uow:
        _in_reach(uow, principal, key)
        event = events.lot_received(key, at, site_of(uow, principal))
        outcome = record(uow, principal, [event], f"the receipt of {key}", yields)
        uow.commit()
    return outcome


def sell_packs(
    uow: UnitOfWork, principal: Principal, code: str, packs: int, at: datetime, yields: dict[str, float]
) -> CaptureOutcome:
    """A shop records packs of a lot sold (a day's till total, say)."""
    key = item_key(code)
    if packs <= 0:
        raise TradeError("record more than 0 packs sold")
    with uow:
        _in_reach(uow, principal, key)
        event = events.packs_sold(key, packs, at, site_of(uow, principal))
        outcome = record(uow, principal, [event], f"the sale of {packs} packs of {key}", yields)
        uow.commit()
    return outcome


def recall_lot(
    uow: UnitOfWork, principal: Principal, code: str, reason: str, at: datetime, yields: dict[str, float]
) -> CaptureOutcome:
    """The plant or an authority recalls a lot: from then on none of its packs is legal to sell."""
    key = item_key(code)
    if not reason.strip():
        raise TradeError("a recall says why (e.g. the laboratory report that found the fault)")
    with uow:
        if trade_store(uow).lot(key) is None:
            raise NotFound(f"no meat lot {key}: check the code on the label")
        _in_reach(uow, principal, key)
        event = events.recall(key, at, site_of(uow, principal), reason)
        outcome = record(uow, principal, [event], f"the recall of {key}", yields)
        uow.commit()
    return outcome


def meat_lots(uow: UnitOfWork, principal: Principal, limit: int = 200, offset: int = 0) -> list[MeatLot]:
    require(principal, Permission.TRADE_READ)
    with uow:
        return trade_store(uow).lots(limit, offset)


def label_link(uow: UnitOfWork, principal: Principal, code: str, base_url: str) -> str:
    """What a pack's QR code carries: the lot's GS1 Digital Link on the registry's public host."""
    require(principal, Permission.TRADE_READ)
    key = item_key(code)
    with uow:
        lot = trade_store(uow).lot(key)
    if lot is None:
        raise NotFound(f"no meat lot {key}: `kiik trade lots` lists them")
    path = lot.key[lot.key.index("/01/") :]  # the canonical link's path, percent-encoded already
    return base_url.rstrip("/") + path
