"""The reasons to doubt an item, each a flag with a plain sentence: what is wrong and what to do.

A flag is `bad` when the item should not be where an inspector finds it (seized, destroyed,
exported, consumed, declared lost, origin not traceable, harvested outside its authorisation) and
`warn` when it is lawful but deserves a look (in transit, an open stock discrepancy, a lot whose
mass is close to its yield limit).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from kiik.domain.geo import GeoError, Point, read_point
from kiik.domain.harvest import HarvestError, authorisation_number, is_saiga
from kiik.domain.permissions import SEES_EVERYTHING
from kiik.domain.vocabulary import mass_in_kg
from kiik.services.harvest_ports import harvest_store
from kiik.services.lineage import LineageNode, local_names
from kiik.services.ports import UnitOfWork
from kiik.services.queries import ReadUnitOfWork
from kiik.services.trace import HistoryEntry, Trace

# A lot whose output is at least this share of what its yield allows is worth a look.
NEAR_YIELD_LIMIT = 0.98
# A business step as the noun a sentence needs ("its last event: a shipment").
STEP_NOUNS = {
    "commissioning": "registration of the harvest",
    "shipping": "a shipment",
    "receiving": "a receipt",
    "stock_taking": "a stock count",
    "cycle_counting": "a stock count",
    "packing": "packing",
}
# How many offending sources a harvest flag names before it counts the rest.
NAMED_SOURCES = 3


@dataclass(frozen=True)
class Flag:
    code: str
    severity: str  # bad or warn
    title: str  # a short phrase for the verdict line
    detail: str  # what it means and what to do
    public_reason: str = "its registered status does not allow it to be sold"

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "severity": self.severity, "title": self.title, "detail": self.detail}


@dataclass(frozen=True)
class HarvestSite:
    """A source item's harvest, from its commissioning ILMD."""

    key: str
    point: Point | None
    population: str | None
    species: str | None
    animal_id: str | None
    harvest_date: str | None
    authorisation: str | None
    mass_kg: float | None
    share: float | None  # of the inspected item's source mass, 0..1
    recorded_by: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "latitude": self.point.latitude if self.point else None,
            "longitude": self.point.longitude if self.point else None,
            "population": self.population,
            "species": self.species,
            "animalID": self.animal_id,
            "harvestDate": self.harvest_date,
            "authorisation": self.authorisation,
            "massKg": self.mass_kg,
            "share": self.share,
        }


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _point(value: Any) -> Point | None:
    try:
        return read_point(value) if value is not None else None
    except GeoError:
        return None


def harvest_sites(sources: Sequence[LineageNode]) -> list[HarvestSite]:
    """The harvest of every source item that has one on record, with its share of the source mass
    (the lineage's own share when it gives one, else the source's mass over all sources' mass)."""
    total = sum(n.mass_kg or 0.0 for n in sources if n.origin is not None)
    sites = []
    for node in sources:
        if node.origin is None:
            continue
        origin = local_names(node.origin.ilmd)
        share = getattr(node, "share", None)
        if not isinstance(share, int | float):
            share = (node.mass_kg / total) if node.mass_kg and total else None
        sites.append(
            HarvestSite(
                key=node.key,
                point=_point(origin.get("harvestPoint")),
                population=_text(origin.get("population")),
                species=_text(origin.get("species")),
                animal_id=_text(origin.get("animalID")),
                harvest_date=_text(origin.get("harvestDate")),
                authorisation=_text(origin.get("harvestAuthorisation")),
                mass_kg=node.mass_kg,
                share=share,
                recorded_by=node.origin.recorded_by.name if node.origin.recorded_by else None,
            )
        )
    return sites


def flags_of(
    uow: ReadUnitOfWork, trace: Trace, sites: Sequence[HarvestSite], yields: Mapping[str, float]
) -> list[Flag]:
    """Every flag of a traced item, the gravest first (inside an entered unit of work)."""
    organisations = {o.code: o for o in uow.directory.organisations()}
    flags = _status_flags(trace, organisations)
    flags += _origin_flags(trace)
    flags += _harvest_flags(uow, sites)
    flags += _yield_flags(uow, trace, yields)
    flags += _stock_flags(uow, trace.item.key)
    return sorted(flags, key=lambda f: f.severity != "bad")


def _step(entry: HistoryEntry) -> str:
    """The business step's word, whatever its spelling (CBV URI, bare word, kiik URN)."""
    value = entry.biz_step or ""
    return value.rsplit(":", 1)[-1].rsplit("-", 1)[-1].rsplit("/", 1)[-1]


def _valid(history: Iterable[HistoryEntry]) -> list[HistoryEntry]:
    return [h for h in history if not h.erroneous and not h.declares_error]


def _day(entry: HistoryEntry | None) -> str:
    return entry.event_time.date().isoformat() if entry is not None else "an unknown date"


def _by(entry: HistoryEntry | None) -> str:
    return f" by {entry.recorded_by.name}" if entry is not None and entry.recorded_by else ""


def _last(history: list[HistoryEntry], *words: str, disposition: str | None = None) -> HistoryEntry | None:
    for entry in reversed(history):
        if _step(entry) in words or (disposition and (entry.disposition or "").endswith(disposition)):
            return entry
    return None


def _status_flags(trace: Trace, organisations: Mapping[str, Any]) -> list[Flag]:
    item, history = trace.item, _valid(trace.history)
    status = item.status
    if status == "seized":
        return [_seized(history, organisations)]
    if status == "destroyed":
        entry = _last(history, "destroying", disposition="destroyed")
        return [
            Flag(
                "destroyed",
                "bad",
                f"destroyed on {_day(entry)}",
                f"The registry records this item as destroyed{_by(entry)} on {_day(entry)}: it should no "
                "longer exist. If you found it, seize it and record the seizure.",
                "it was recorded as destroyed",
            )
        ]
    if status == "exported":
        entry = _last(history, "departing", "shipping", disposition="exported")
        return [
            Flag(
                "exported",
                "bad",
                f"exported on {_day(entry)}",
                f"Customs recorded that this item left Kazakhstan on {_day(entry)}: it should be abroad. "
                "If you found it here, seize it and record the seizure.",
                "it was recorded as exported",
            )
        ]
    if status == "consumed":
        return [_consumed(trace, history)]
    if status == "decommissioned":
        entry = _last(history, "decommissioning")
        return [
            Flag(
                "decommissioned",
                "bad",
                f"declared lost on {_day(entry)}",
                f"This code was decommissioned{_by(entry)} on {_day(entry)} (declared lost): it cannot "
                "move again. If you found it, seize it and record the seizure.",
                "its code was withdrawn",
            )
        ]
    if status == "in_transit":
        entry = _last(history, "shipping", "departing")
        destination = organisations.get(item.destination or "")
        to = destination.name if destination is not None else (item.destination or "an unnamed destination")
        sender = item.holder.name if item.holder else "its holder"
        return [
            Flag(
                "in_transit",
                "warn",
                f"in transit to {to} since {_day(entry)}",
                f"Shipped by {sender} on {_day(entry)} to {to}, not yet received. It is lawful only on its "
                f"way to {to}: if you found it anywhere else, seize it and record the seizure.",
            )
        ]
    return []


def _seized(history: list[HistoryEntry], organisations: Mapping[str, Any]) -> Flag:
    seizure = _last(history, "seizing", disposition="seized")
    before = history[: history.index(seizure)] if seizure is not None else history
    lawful = [
        h
        for h in before
        if h.recorded_by is not None
        and getattr(organisations.get(h.recorded_by.code), "kind", None)
        not in {k.value for k in SEES_EVERYTHING}
    ]
    if lawful:
        last = lawful[-1]
        assert last.recorded_by is not None
        leak = (
            f" The code is in the registry: this item left legal stock. Its last legal holder was "
            f"{last.recorded_by.name} (its last event: {STEP_NOUNS.get(_step(last), _step(last))} "
            f"on {_day(last)}); that holder must "
            "explain how it left their custody."
        )
    else:
        leak = (
            " The code had no legal history in the registry before the seizure: it never had a legal origin."
        )
    return Flag(
        "seized",
        "bad",
        f"seized{_by(seizure)} on {_day(seizure)}",
        f"Seized{_by(seizure)} on {_day(seizure)}: it may not be moved, sold or processed.{leak}",
        "it was seized by the authorities",
    )


def _consumed(trace: Trace, history: list[HistoryEntry]) -> Flag:
    entry = _last(history, "commissioning", "repackaging", "transforming")
    products = trace.lineage.products
    into = (
        f" into {len(products)} product lot{'s' if len(products) != 1 else ''} (listed below)"
        if products
        else ""
    )
    return Flag(
        "consumed",
        "bad",
        f"used up by processing on {_day(entry)}",
        f"This code was closed on {_day(entry)} when the item was processed or repacked{into}. The "
        "products carry their own codes; an item still labelled with this code is not valid. If you "
        "found one on sale, seize it and record the seizure.",
        "its code was closed when the product was processed or relabelled",
    )


def _origin_flags(trace: Trace) -> list[Flag]:
    verdict = trace.verdict
    if verdict.origin_traced:
        return []
    if trace.lineage.truncated:
        detail = "The lineage is too long to follow in full, so the origin is not confirmed."
    else:
        detail = (
            f"{len(verdict.untraced)} of {verdict.sources} source items have no harvest on record "
            f"(first: {verdict.untraced[0] if verdict.untraced else '?'}). Without a recorded harvest the "
            "item has no legal origin: hold it and ask the ministry."
        )
    return [Flag("origin_untraced", "bad", "origin not traceable", detail, "its origin is not on record")]


def _harvest_flags(uow: ReadUnitOfWork, sites: Sequence[HarvestSite]) -> list[Flag]:
    """Harvests that fall outside their authorisation (stored, for instance, while rules were off)."""
    store = harvest_store(cast(UnitOfWork, uow))
    cache: dict[str, Any] = {}
    problems: list[str] = []
    for site in sites:
        problem = _harvest_problem(site, store, cache)
        if problem:
            problems.append(f"{site.key}: {problem}")
    if not problems:
        return []
    named = "; ".join(problems[:NAMED_SOURCES])
    more = f"; and {len(problems) - NAMED_SOURCES} more" if len(problems) > NAMED_SOURCES else ""
    return [
        Flag(
            "harvest_irregular",
            "bad",
            f"harvest outside its authorisation ({len(problems)} of {len(sites)} sources)",
            f"{named}{more}. Horns taken outside an authorisation have no legal origin: hold the item "
            "and report it to the ministry.",
            "its harvest is not covered by an authorisation",
        )
    ]


def _harvest_problem(site: HarvestSite, store: Any, cache: dict[str, Any]) -> str | None:
    if site.authorisation is None:
        return "harvested without an authorisation" if is_saiga(site.species) else None
    try:
        number = authorisation_number(site.authorisation)
    except HarvestError:
        return f"{site.authorisation!r} is not an authorisation number"
    if number not in cache:
        cache[number] = store.authorisation(number)
    authorisation = cache[number]
    if authorisation is None:
        return f"authorisation {number} does not exist"
    if site.point is not None and not authorisation.area.contains(site.point):
        return f"taken at {site.point.text()}, outside the area of {number}"
    try:
        day = date.fromisoformat(site.harvest_date) if site.harvest_date else None
    except ValueError:
        day = None
    if day is not None and not authorisation.covers(day):
        return f"taken on {day.isoformat()}, outside the window of {number} ({authorisation.window})"
    if site.population and site.population.lower() != authorisation.population.value.lower():
        return (
            f"of the {site.population} population, but {number} covers the {authorisation.population.value}"
        )
    return None


def _yield_flags(uow: ReadUnitOfWork, trace: Trace, yields: Mapping[str, float]) -> list[Flag]:
    """A lot whose output mass comes within 2% of what its inputs allow: lawful, but the scales,
    or inputs left off the record, deserve a look."""
    node = trace.lineage.backward
    step = node.made_by
    if step is None:
        return []
    product = local_names(step.ilmd).get("productType")
    limit = yields.get(product) if isinstance(product, str) else None
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
            f"{product} output at {mass_out / mass_in:.1%} of input mass, limit {limit:.0%}",
            f"The processing on {step.event_time.date().isoformat()} turned {mass_in:.3f} kg of input into "
            f"{mass_out:.3f} kg of {product}: {mass_out / (limit * mass_in):.1%} of what the yield limit "
            "allows. That is possible but unusual: check the plant's scales and whether inputs were left "
            "off the record.",
        )
    ]


# What each kind of stock discrepancy means, as the title of a flag.
DISCREPANCY_TITLES = {
    "not_found": "not found at a stock count",
    "registered_elsewhere": "found at a stock count where it is not registered",
    "not_in_stock": "found at a stock count though no longer in stock",
    "not_registered": "found at a stock count but not registered",
    "mass_difference": "weighed at a stock count unlike its registered mass",
}


def _stock_flags(uow: ReadUnitOfWork, key: str) -> list[Flag]:
    """Open discrepancies that stock counts found on this item (each open until an event resolves it)."""
    stock = getattr(uow, "stock", None)
    if stock is None:
        return []
    found = stock.discrepancies(org_id=None, open_only=True, item_key=key, limit=20)
    return [
        Flag(
            "stock_discrepancy",
            "warn",
            f"open stock discrepancy: {DISCREPANCY_TITLES.get(d.kind, d.kind.replace('_', ' '))}",
            f"The stock count of {d.counted_at.date().isoformat()} at {d.site}: {d.message}. It stays "
            "open until an event resolves it.",
        )
        for d in found
    ]


def _kg(line: Any) -> float:
    if not isinstance(line, Mapping):
        return 0.0
    quantity = line.get("quantity")
    if not isinstance(quantity, int | float) or isinstance(quantity, bool):
        return 0.0
    return mass_in_kg(float(quantity), line.get("uom")) or 0.0
