"""Illegal-trade analytics over recorded seizures: counts by time, species, product, route and
detection method; the seizure points; the share of seized codes that were registered (leaks);
and the transaction and weight indices per country and year, adjusted for sampling bias.

The adjustment (docs/enforcement.md, "Sampling bias"): what is seen of illegal trade in a country
is its true trade thinned twice, by how often that country's trade is seized and how often its
seizures are reported. With `rate(c) = seizure rate × reporting rate` for country `c` (the
analyst's figures, e.g. from ETIS's law-enforcement and reporting ratios), each seizure implicating
`c` stands for `1 / rate(c)` seizures (inverse-probability weighting, as in a Horvitz–Thompson
estimator). The indices are then scaled so that their mean over all countries and years is 1: they
compare countries and years, not absolute volumes. Countries without a rate are left unadjusted
(rate 1) and the answer lists them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache

from kiik.enforcement.domain.cites_codes import weight_kg
from kiik.enforcement.domain.seizure import Route


@dataclass(frozen=True)
class SeizureFacts:
    """What analytics reads of one seizure."""

    reference: str
    seized_on: date
    species: str
    reporting_country: str
    detection_method: str
    route: Route
    specimens: tuple[tuple[str, float, str], ...]  # (term, quantity, unit)
    latitude: float | None = None
    longitude: float | None = None
    region: str | None = None

    @cached_property
    def kg(self) -> float:
        return sum(weight_kg(quantity, unit) or 0.0 for _, quantity, unit in self.specimens)

    @cached_property
    def countries(self) -> frozenset[str]:
        """Every country the seizure implicates: where it was seized and each of its trade chain."""
        return _route_countries(self.route) | {self.reporting_country}


# Seizures share few routes: each route's countries and text are worked out once.
@lru_cache(maxsize=4096)
def _route_countries(route: Route) -> frozenset[str]:
    return frozenset(c.country for _, c in route.countries())


@lru_cache(maxsize=4096)
def _route_text(route: Route) -> str:
    return route.describe()


@dataclass
class Index:
    country: str
    year: int
    seizures: int
    kg: float
    transaction_index: float = 0.0
    weight_index: float = 0.0
    rate: float = 1.0


@dataclass
class Indices:
    rows: list[Index] = field(default_factory=list)
    unadjusted: list[str] = field(default_factory=list)  # countries without a rate


@dataclass(frozen=True)
class SeizureGroup:
    """Seizures of one year, reporting country and route: how many, and their kilograms."""

    year: int
    reporting_country: str
    route: Route
    seizures: int
    kg: float

    @property
    def countries(self) -> frozenset[str]:
        return _route_countries(self.route) | {self.reporting_country}


def seizure_indices(seizures: Iterable[SeizureFacts], rates: Mapping[str, float]) -> Indices:
    groups = (SeizureGroup(s.seized_on.year, s.reporting_country, s.route, 1, s.kg) for s in seizures)
    return group_indices(groups, rates)


def group_indices(groups: Iterable[SeizureGroup], rates: Mapping[str, float]) -> Indices:
    """The transaction and weight indices per country and year (module docstring: the adjustment)."""
    counts: dict[tuple[str, int], int] = Counter()
    weights: dict[tuple[str, int], float] = defaultdict(float)
    for group in groups:
        for country in group.countries:
            counts[(country, group.year)] += group.seizures
            weights[(country, group.year)] += group.kg
    rows = [
        Index(country, year, n, weights[(country, year)], rate=rates.get(country, 1.0))
        for (country, year), n in sorted(counts.items())
    ]
    adjusted_n = [row.seizures / row.rate for row in rows]
    adjusted_kg = [row.kg / row.rate for row in rows]
    mean_n = sum(adjusted_n) / len(rows) if rows else 0.0
    mean_kg = sum(adjusted_kg) / len(rows) if rows else 0.0
    for row, n, kg in zip(rows, adjusted_n, adjusted_kg, strict=True):
        row.transaction_index = n / mean_n if mean_n else 0.0
        row.weight_index = kg / mean_kg if mean_kg else 0.0
    unadjusted = sorted({row.country for row in rows if row.country not in rates})
    return Indices(rows, unadjusted)


def listed(counts: Iterable[tuple[str, int]], name: str) -> list[dict[str, object]]:
    """Counts as a list, the largest first."""
    summed: Counter[str] = Counter()
    for key, n in counts:
        summed[key] += n
    return [{name: key, "seizures": n} for key, n in sorted(summed.items(), key=lambda kv: (-kv[1], kv[0]))]


def by_route(groups: Iterable[SeizureGroup]) -> list[dict[str, object]]:
    return listed(((_route_text(g.route), g.seizures) for g in groups), "route")


def leak_shares(code_counts: Iterable[Mapping[str, object]]) -> dict[str, object]:
    """The share of seized codes that were registered (leaks), overall, by holder kind and region."""
    total = 0
    leaks = 0
    by_kind: Counter[str] = Counter()
    by_region: Counter[str] = Counter()
    for row in code_counts:
        n = int(row["codes"])  # type: ignore[call-overload]
        total += n
        if row["verdict"] == "leak":
            leaks += n
            by_kind[str(row.get("holder_kind") or "unknown")] += n
            by_region[str(row.get("holder_region") or "no region set")] += n
    return {
        "seizedCodes": total,
        "leaks": leaks,
        "leakShare": leaks / total if total else 0.0,
        "byHolderKind": [
            {"holderKind": k, "leaks": n, "share": n / total} for k, n in sorted(by_kind.items())
        ],
        "byRegion": [{"region": k, "leaks": n, "share": n / total} for k, n in sorted(by_region.items())],
    }
