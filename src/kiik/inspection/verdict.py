"""What an inspector scanning a code needs first: a verdict, with every reason to doubt the item.

`inspect_item` is the inspector's page (`GET /items/{code}` when logged in): the item's trace
(state, history, lineage) with the flags that make it suspect and the harvest sites it came from.
`public_check` is what anybody scanning a product label sees (the same page, not logged in): legal
origin yes or no, the species and the product, and nothing about who holds it or where (see
docs/inspector-page.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiik.custody.services.queries import ReadUnitOfWork
from kiik.directory.domain.permissions import OrgKind, Principal, Role
from kiik.errors import N_, NotFound
from kiik.inspection.flag import Flag, reader_of
from kiik.inspection.flags import flags_of
from kiik.inspection.harvest_sites import HarvestSite, harvest_sites
from kiik.inspection.trace import Trace, trace_item

# The reader behind `public_check`: it sees everything, and the answer keeps almost nothing of it.
PUBLIC_READER = Principal(0, "public", "Public label check", OrgKind.MINISTRY, Role.VIEWER)


@dataclass
class Inspection:
    trace: Trace
    flags: list[Flag]
    sites: list[HarvestSite]
    animals: int
    populations: dict[str, float] = field(default_factory=dict)  # population -> share of mass (0..1)

    @property
    def legal(self) -> bool:
        """Traced to its harvest and in circulation: nothing makes the item itself suspect (a
        warning, such as an open stock discrepancy or a lot near its yield limit, asks for a look)."""
        return all(f.severity != "bad" for f in self.flags)

    @property
    def severity(self) -> str:
        """ok, warn (worth a look) or bad (the item should not be where it was found)."""
        if any(f.severity == "bad" for f in self.flags):
            return "bad"
        return "warn" if self.flags else "ok"

    @property
    def headline(self) -> str:
        if self.severity == "bad":
            return N_("Flagged: %(title)s", title=next(f.title for f in self.flags if f.severity == "bad"))
        if self.flags:
            return N_("Legal, but check: %(title)s", title=self.flags[0].title)
        return N_("Legal: registered, origin traced to its harvest")

    def to_json(self) -> dict[str, Any]:
        return {
            "legal": self.legal,
            "severity": self.severity,
            "headline": self.headline,
            "flags": [f.to_json() for f in self.flags],
            "animals": self.animals,
            "populations": self.populations,
            "harvestSites": [s.to_json() for s in self.sites],
            "trace": self.trace.to_json(),
        }


def inspect_item(
    uow: ReadUnitOfWork, principal: Principal, code: str, yields: dict[str, float]
) -> Inspection:
    """The inspector's verdict on a code: NotFound when unknown (or not visible to the principal)."""
    trace = trace_item(uow, principal, code)
    sites = harvest_sites(trace.lineage.sources)
    with uow:
        flags = flags_of(uow, trace, sites, yields, reader_of(principal))
    animals = {s.animal_id for s in sites if s.animal_id}
    return Inspection(trace, flags, sites, trace.verdict.animals or len(animals), _shares(sites))


def _shares(sites: list[HarvestSite]) -> dict[str, float]:
    """Share of the item's source mass per population (sources of unknown mass count as none)."""
    masses: dict[str, float] = {}
    for site in sites:
        if site.population and site.mass_kg:
            masses[site.population] = masses.get(site.population, 0.0) + site.mass_kg
    total = sum(masses.values())
    return {k: v / total for k, v in sorted(masses.items())} if total else {}


@dataclass(frozen=True)
class PublicVerdict:
    """All that an anonymous visitor learns about a code: no holder, no site, no history."""

    code: str
    known: bool
    legal_origin: bool
    species: list[str]
    product_type: str | None
    message: str

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "known": self.known,
            "legalOrigin": self.legal_origin,
            "species": self.species,
            "productType": self.product_type,
            "message": self.message,
        }


def public_check(uow: ReadUnitOfWork, code: str, yields: dict[str, float]) -> PublicVerdict:
    """Whether a scanned product has a legal origin. Raises InvalidIdentifier for a malformed code."""
    try:
        inspection = inspect_item(uow, PUBLIC_READER, code, yields)
    except NotFound:
        return PublicVerdict(
            code,
            False,
            False,
            [],
            None,
            N_(
                "This code is not in the registry: the product's legal origin cannot be confirmed. "
                "Do not buy it, and report where you found it to the Forestry and Wildlife Inspectorate."
            ),
        )
    item = inspection.trace.item
    # Only doubts about the item itself count here: an open stock discrepancy is the holder's
    # paperwork, not a reason to call a sold product illegal.
    doubts = [f for f in inspection.flags if f.severity == "bad"]
    legal = not doubts
    if legal:
        message = N_(
            "Legal origin: this product is registered and traces back to animals harvested under "
            "an authorisation of the Republic of Kazakhstan."
        )
    else:
        message = N_(
            "Not confirmed: this code is registered but is not valid for a product on sale "
            "(%(reason)s). Do not buy it, and report where you found it to the "
            "Forestry and Wildlife Inspectorate.",
            reason=doubts[0].public_reason,
        )
    return PublicVerdict(
        inspection.trace.item.key,
        True,
        legal,
        inspection.trace.verdict.species,
        item.product_type,
        message,
    )
