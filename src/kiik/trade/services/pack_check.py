"""The public check of a meat pack from its label: anyone may scan it, no account needed."""

from __future__ import annotations

from datetime import date

from kiik.db.unit_of_work import UnitOfWork
from kiik.epcis.services.identifier_terms import item_key
from kiik.errors import NotFound
from kiik.trade.domain.packs import PackCheck, check_pack
from kiik.trade.services.ports import trade_store


def check_pack_code(uow: UnitOfWork, code: str, today: date) -> PackCheck:
    """The check of the lot a pack's code names (Digital Link, or its path `01/<gtin>/10/<batch>`,
    element string or EPC class URI)."""
    key = item_key("https://id.gs1.org/" + code.lstrip("/") if code.lstrip("/").startswith("01/") else code)
    with uow:
        lot = trade_store(uow).lot(key)
    if lot is None:
        raise NotFound(
            f"no meat lot {key} in the registry: a pack with this code has no recorded legal origin; "
            "check that the whole code was scanned, and report the pack to the inspectorate if it was"
        )
    return check_pack(lot, today)
