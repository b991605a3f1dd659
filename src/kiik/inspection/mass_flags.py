"""Flags from mass: a lot close to the yield its product type allows, and the open stock-count
discrepancies of an item.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kiik.custody.domain.state import STATUS_WORDS
from kiik.custody.services.lineage import local_names
from kiik.custody.services.queries import ReadUnitOfWork
from kiik.epcis.domain.vocabulary import mass_in_kg
from kiik.errors import N_, Figure
from kiik.inspection.flag import Flag
from kiik.inspection.trace import Trace
from kiik.species.domain.products import product_name

# A lot whose output is at least this share of what its yield allows is worth a look.
NEAR_YIELD_LIMIT = 0.98


def yield_flags(uow: ReadUnitOfWork, trace: Trace, yields: Mapping[str, float]) -> list[Flag]:
    """A lot whose output mass comes within 2% of what its inputs allow: lawful, but the scales,
    or inputs left off the record, deserve a look."""
    node = trace.lineage.backward
    step = node.made_by
    if step is None:
        return []
    product = local_names(step.ilmd).get("productType")
    if not isinstance(product, str):
        return []
    limit = yields.get(product)
    if not limit or all(i.product_type == product for i in node.inputs):
        return []  # a repack or a split keeps the product: no yield to approach
    mass_in = sum(i.mass_kg or 0.0 for i in node.inputs)
    found = uow.queries.by_event_id(step.event_id, visible_to=None)
    mass_out = sum(_kg(line) for line in (found[0].body.get("outputQuantityList") or [])) if found else 0.0
    if mass_in <= 0 or mass_out <= 0 or mass_out < NEAR_YIELD_LIMIT * limit * mass_in:
        return []
    return [
        Flag(
            "near_yield_limit",
            "warn",
            N_(
                "%(product)s output at %(share)s of input mass, limit %(limit)s",
                product=product_name(product),
                share=format(mass_out / mass_in, ".1%"),
                limit=format(limit, ".0%"),
            ),
            N_(
                "The processing on %(day)s turned %(mass_in)s kg of input into "
                "%(mass_out)s kg of %(product)s: %(share)s of what the yield limit "
                "allows. That is possible but unusual: check the plant's scales and whether inputs were left "
                "off the record.",
                day=step.event_time.date().isoformat(),
                mass_in=Figure(mass_in, 3),
                mass_out=Figure(mass_out, 3),
                product=product_name(product),
                share=format(mass_out / (limit * mass_in), ".1%"),
            ),
        )
    ]


# What each kind of stock discrepancy means, as the title of a flag.
DISCREPANCY_TITLES = {
    "not_found": N_("not found at a stock count"),
    "registered_elsewhere": N_("found at a stock count where it is not registered"),
    "not_in_stock": N_("found at a stock count though no longer in stock"),
    "not_registered": N_("found at a stock count but not registered"),
    "mass_difference": N_("weighed at a stock count unlike its registered mass"),
}


def stock_flags(uow: ReadUnitOfWork, key: str) -> list[Flag]:
    """Open discrepancies that stock counts found on this item (each open until an event resolves it)."""
    stock = getattr(uow, "stock", None)
    if stock is None:
        return []
    found = stock.discrepancies(org_id=None, open_only=True, item_key=key, limit=20)
    return [
        Flag(
            "stock_discrepancy",
            "warn",
            N_(
                "open stock discrepancy: %(kind)s",
                kind=DISCREPANCY_TITLES.get(d.kind, d.kind.replace("_", " ")),
            ),
            N_(
                "The stock count of %(day)s at %(site)s: %(problem)s. It stays "
                "open until an event resolves it.",
                day=d.counted_at.date().isoformat(),
                site=d.site,
                problem=STOCK_PROBLEMS[d.kind].filled(
                    status=STATUS_WORDS.get(d.registered_status or "", d.registered_status or "?"),
                    site=d.registered_site or N_("no site"),
                    measured=_mass(d.measured_mass_kg),
                    registered=_mass(d.registered_mass_kg),
                )
                if d.kind in STOCK_PROBLEMS
                else d.message,
            ),
        )
        for d in found
    ]


# What the count found, said of the item (the stored message names it by its code, in English).
STOCK_PROBLEMS = {
    "not_found": N_(
        "it is registered here but was not found: find it (a later count), or record what became of it "
        "(shipped, destroyed, declared lost)"
    ),
    "registered_elsewhere": N_("it was found here but is registered as %(status)s at %(site)s"),
    "not_in_stock": N_(
        "it was found but the registry records it as %(status)s: it should not exist as stock; seize it"
    ),
    "not_registered": N_(
        "it was found but is not registered: register it, or seize it if it has no legal origin"
    ),
    "mass_difference": N_("it weighs %(measured)s kg but %(registered)s kg are registered"),
}


def _mass(kg: float | None) -> str:
    return format(kg, "g") if kg is not None else "?"


def _kg(line: Any) -> float:
    if not isinstance(line, Mapping):
        return 0.0
    quantity = line.get("quantity")
    if not isinstance(quantity, int | float) or isinstance(quantity, bool):
        return 0.0
    return mass_in_kg(float(quantity), line.get("uom")) or 0.0
