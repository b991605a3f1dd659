"""EPCIS events for processing and stock: derivative lots, repacks and splits, stock counts, write-offs.

Every builder returns one event dict (JSON-LD form) for `event_builders.document` and the capture
path, which checks it like any other event. Masses are in kilograms; lots are LGTIN classes
(`urn:epc:class:lgtin:...`, see `lot_code`) measured in KGM.

- `processing`: horns (used whole) and/or parts of lots in, lots of a derivative out. Output product
  type other than the inputs' is processing, bounded by that product type's yield.
- `repack`: part or all of one lot into one or more new lots of the same product type (a split, or a
  new label replacing the old one). Yield 1.0: the new lots together weigh at most what was taken.
  When all of the lot is taken, its code is closed for good.
- `stock_taking`: a complete count of a site (whatever is registered there and not scanned is
  reported missing); `cycle_count`: a partial count (only what it scans is checked).
- `write_off`: items destroyed; `declare_lost`: items that cannot be found, decommissioned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from kiik.epcis.domain.event_builders import KIIK_CONTEXT, stock_count, transformation
from kiik.epcis.domain.vocabulary import KIIK_PREFIX

STOCK_TAKING = "stock_taking"
CYCLE_COUNTING = "cycle_counting"
COUNT_STEPS = (STOCK_TAKING, CYCLE_COUNTING)


def lot_code(company_prefix: str, item_reference: str, lot: str) -> str:
    """An LGTIN class as an EPC URN: company prefix and item reference (13 digits together), a lot."""
    return f"urn:epc:class:lgtin:{company_prefix}.{item_reference}.{lot}"


def _kg(lines: Sequence[tuple[str, float]]) -> list[dict[str, Any]]:
    return [{"epcClass": key, "quantity": kg, "uom": "KGM"} for key, kg in lines]


def processing(
    horns: Sequence[str],
    outputs: Sequence[tuple[str, float]],
    moment: datetime,
    site: str | None,
    product_type: str,
    lots_used: Sequence[tuple[str, float]] = (),
) -> dict[str, Any]:
    """Horns (whole) and kg taken from lots in; lots of `product_type` out, each with its kg."""
    return transformation(horns, outputs, moment, site, product_type, input_quantities=lots_used)


def repack(
    lot: str,
    new_lots: Sequence[tuple[str, float]],
    moment: datetime,
    site: str | None,
    product_type: str,
    used_kg: float | None = None,
) -> dict[str, Any]:
    """Take `used_kg` of a lot (all of it when None) into new lots of the same product type."""
    event = transformation([], new_lots, moment, site, product_type)
    line: dict[str, Any] = {"epcClass": lot}
    if used_kg is not None:
        line.update(quantity=used_kg, uom="KGM")
    event["inputQuantityList"] = [line]
    event["bizStep"] = "repackaging"
    return event


def _count(
    step: str,
    epcs: Sequence[str],
    moment: datetime,
    site: str,
    lots: Sequence[tuple[str, float]],
    masses: Mapping[str, float] | None,
) -> dict[str, Any]:
    event = {**stock_count(epcs, moment, site), "bizStep": step}
    if lots:
        event["quantityList"] = _kg(lots)
    if masses:
        event[f"{KIIK_PREFIX}:measuredMasses"] = [
            {f"{KIIK_PREFIX}:epc": epc, f"{KIIK_PREFIX}:massKg": kg} for epc, kg in masses.items()
        ]
        event["@context"] = [dict(KIIK_CONTEXT)]
    return event


def stock_taking(
    epcs: Sequence[str],
    moment: datetime,
    site: str,
    lots: Sequence[tuple[str, float]] = (),
    masses: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """A complete count of `site`: the items scanned, lots with their weighed kg, and (optionally)
    the weighed kg of scanned items. Anything registered at the site and not listed is missing."""
    return _count(STOCK_TAKING, epcs, moment, site, lots, masses)


def cycle_count(
    epcs: Sequence[str],
    moment: datetime,
    site: str,
    lots: Sequence[tuple[str, float]] = (),
    masses: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """A partial count at `site` (a shelf, a sample): only what it lists is checked."""
    return _count(CYCLE_COUNTING, epcs, moment, site, lots, masses)


def write_off(
    epcs: Sequence[str], moment: datetime, site: str, lots: Sequence[tuple[str, float]] = ()
) -> dict[str, Any]:
    """Items (and whole lots) destroyed by their holder."""
    event = {**stock_count(epcs, moment, site), "bizStep": "destroying", "disposition": "destroyed"}
    if lots:
        event["quantityList"] = _kg(lots)
    return event


def declare_lost(
    epcs: Sequence[str], moment: datetime, site: str, lots: Sequence[tuple[str, float]] = ()
) -> dict[str, Any]:
    """Items their holder cannot find: decommissioned, so their codes cannot move again."""
    event = {**stock_count(epcs, moment, site), "action": "DELETE", "bizStep": "decommissioning"}
    event["disposition"] = "unknown"
    if lots:
        event["quantityList"] = _kg(lots)
    return event
