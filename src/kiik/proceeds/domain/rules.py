"""The ministry's rules for proceeds: what each legal sale, export and cull owes, and where it goes.

A fee rule applies to one kind of charge (a sale, an export, a cull), to a species and product type
or to any, over dates, like the species rules; its basis is tenge per kilogram, tenge per item (an
animal, a marked item) or a share of the agreed price. The most specific rule in force on the day
applies (species and product, then species, then any); among equals the latest to start.

An allocation rule splits what comes in between protection of the populations, their habitat and
research, by shares that add up to one, over dates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from kiik.errors import N_


class ProceedsError(ValueError):
    """A rule, correction or report that cannot be made as asked; the message says what to change
    (a `Wording` where a page shows it), `field` which of the rule's fields it is about, if one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Charge(StrEnum):
    SALE = "sale"
    EXPORT = "export"
    CULL = "cull"


class Basis(StrEnum):
    PER_KG = "per_kg"
    PER_ITEM = "per_item"
    SHARE_OF_PRICE = "share_of_price"


PURPOSES = ("protection", "habitat", "research")


def _dates(title: str, valid_from: date, valid_until: date | None) -> None:
    if valid_until is not None and valid_until < valid_from:
        raise ProceedsError(
            N_(
                "rule '%(title)s' ends (%(until)s) before it starts (%(start)s)",
                title=title,
                until=valid_until,
                start=valid_from,
            ),
            "valid_until",
        )


def _in_force(valid_from: date, valid_until: date | None, day: date) -> bool:
    return valid_from <= day and (valid_until is None or day <= valid_until)


@dataclass(frozen=True)
class FeeRule:
    title: str
    charge: Charge
    basis: Basis
    rate: float
    valid_from: date
    legal_basis: str
    valid_until: date | None = None
    species: str | None = None
    product_type: str | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        _dates(self.title, self.valid_from, self.valid_until)
        if not self.legal_basis.strip():
            raise ProceedsError(
                N_("fee rule '%(title)s' needs its legal basis", title=self.title), "legal_basis"
            )
        if self.basis is Basis.SHARE_OF_PRICE and not 0 < self.rate <= 1:
            raise ProceedsError(
                N_(
                    "a share of the price is more than 0 and at most 1 (0.05 is 5 %%), not %(rate)s",
                    rate=self.rate,
                ),
                "rate",
            )
        if self.basis is not Basis.SHARE_OF_PRICE and not 0 < self.rate <= 1e9:
            raise ProceedsError(
                N_("a fee of %(rate)s tenge per unit is not a fee: give more than 0", rate=self.rate), "rate"
            )
        if self.basis is Basis.SHARE_OF_PRICE and self.charge is Charge.CULL:
            raise ProceedsError(
                N_("a cull has no price: charge it per animal (per_item) or per kilogram (per_kg)"), "basis"
            )

    def in_force(self, day: date) -> bool:
        return _in_force(self.valid_from, self.valid_until, day)

    def matches(self, charge: Charge, species: str | None, product_type: str | None) -> bool:
        return (
            self.charge is charge
            and self.species in (None, species)
            and self.product_type in (None, product_type)
        )

    @property
    def specificity(self) -> int:
        return (self.species is not None) * 2 + (self.product_type is not None)


@dataclass(frozen=True)
class Chargeable:
    """What an event owes on: its kind, species and product, kilograms, items, price, payer, day."""

    charge: Charge
    day: date
    payer: str
    population: str
    species: str | None = None
    product_type: str | None = None
    kg: float = 0.0
    items: int = 0
    price_kzt: float | None = None
    source: str = ""


def fee_rule_for(rules: Iterable[FeeRule], what: Chargeable) -> FeeRule | None:
    found = [
        r for r in rules if r.in_force(what.day) and r.matches(what.charge, what.species, what.product_type)
    ]
    if not found:
        return None
    return max(found, key=lambda r: (r.specificity, r.valid_from, r.id or 0))


def fee_tiyn(rule: FeeRule, what: Chargeable) -> int:
    """The fee in tiyn (1 tenge = 100 tiyn), rounded to the tiyn."""
    if rule.basis is Basis.PER_KG:
        amount = rule.rate * what.kg
    elif rule.basis is Basis.PER_ITEM:
        amount = rule.rate * what.items
    else:
        amount = rule.rate * (what.price_kzt or 0.0)
    return round(amount * 100)


@dataclass(frozen=True)
class AllocationRule:
    title: str
    valid_from: date
    legal_basis: str
    shares: Mapping[str, float] = field(default_factory=dict)
    valid_until: date | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        _dates(self.title, self.valid_from, self.valid_until)
        unknown = sorted(set(self.shares) - set(PURPOSES))
        if unknown:
            raise ProceedsError(
                N_(
                    "unknown purposes %(unknown)s: use %(known)s",
                    unknown=", ".join(unknown),
                    known=", ".join(PURPOSES),
                ),
                "shares",
            )
        if any(share < 0 for share in self.shares.values()):
            raise ProceedsError(N_("a share cannot be negative"), "shares")
        if abs(sum(self.shares.values()) - 1.0) > 1e-9:
            raise ProceedsError(
                N_(
                    "the shares of '%(title)s' add up to %(sum)s: they must add up to 1",
                    title=self.title,
                    sum=f"{sum(self.shares.values()):g}",
                ),
                "shares",
            )
        if not self.legal_basis.strip():
            raise ProceedsError(
                N_("allocation rule '%(title)s' needs its legal basis", title=self.title), "legal_basis"
            )

    def in_force(self, day: date) -> bool:
        return _in_force(self.valid_from, self.valid_until, day)


def allocation_rule_for(rules: Iterable[AllocationRule], day: date) -> AllocationRule | None:
    found = [r for r in rules if r.in_force(day)]
    return max(found, key=lambda r: (r.valid_from, r.id or 0)) if found else None


def split(amount: int, shares: Mapping[str, float]) -> dict[str, int]:
    """`amount` tiyn split by shares into whole tiyn that add up to it exactly (largest remainders)."""
    exact = {purpose: amount * shares.get(purpose, 0.0) for purpose in PURPOSES}
    parts = {purpose: int(value) for purpose, value in exact.items()}
    left = amount - sum(parts.values())
    for purpose in sorted(PURPOSES, key=lambda p: (-(exact[p] - parts[p]), PURPOSES.index(p)))[:left]:
        parts[purpose] += 1
    return {purpose: part for purpose, part in parts.items() if part}
