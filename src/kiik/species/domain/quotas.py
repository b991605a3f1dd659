"""Export quotas in the sense of CITES Res. Conf. 14.7, and their yearly balances.

A quota names a species, optionally a trade term (none: every term, counted in the quota's unit),
a unit, a source, a purpose, optionally a destination, and a period: one calendar year or a
multi-year programme with the same cap each year (2026-2028 at 10,000 kg a year). Issuing a permit
reserves quantity in the year of issue; the export endorsement turns the reservation into use (of
what actually left); cancellation, replacement and expiry release it. Remaining = cap - reserved
- used, and no step may make it negative.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kiik.errors import N_

# Rounding of quantities compared with the cap, so that 0.1 + 0.2 kg never fails a 0.3 kg cap.
EPSILON = 1e-9


class QuotaError(ValueError):
    """A quota that cannot be set as asked."""


class QuotaExceeded(Exception):
    """A reservation larger than what remains of the quota."""


@dataclass(frozen=True)
class Quota:
    scientific_name: str
    term: str | None
    unit: str
    source: str
    purpose: str
    destination: str | None
    first_year: int
    last_year: int
    yearly_cap: float
    legal_basis: str
    id: int | None = None

    def __post_init__(self) -> None:
        if self.last_year < self.first_year:
            raise QuotaError(
                N_(
                    "the quota ends (%(last)s) before it starts (%(first)s)",
                    last=self.last_year,
                    first=self.first_year,
                )
            )
        if self.yearly_cap < 0:
            raise QuotaError(N_("a quota's yearly cap cannot be negative (0 means no export)"))

    def covers(
        self, species: str, term: str, unit: str, source: str, purpose: str, destination: str, year: int
    ) -> bool:
        return (
            self.scientific_name == species
            and (self.term is None or self.term == term)
            and self.unit == unit
            and self.source == source
            and self.purpose == purpose
            and (self.destination is None or self.destination == destination)
            and self.first_year <= year <= self.last_year
        )

    def describe(self) -> str:
        term = self.term or "all terms"
        where = f" to {self.destination}" if self.destination else ""
        years = (
            str(self.first_year)
            if self.first_year == self.last_year
            else f"{self.first_year}-{self.last_year}"
        )
        return (
            f"{self.scientific_name}, {term}, source {self.source}, purpose {self.purpose}{where}, "
            f"{years}: {self.yearly_cap:,.3f} {self.unit} a year"
        )


@dataclass(frozen=True)
class QuotaBalance:
    quota_id: int
    year: int
    cap: float
    reserved: float = 0.0
    used: float = 0.0

    @property
    def remaining(self) -> float:
        return round(self.cap - self.reserved - self.used, 9)

    def reserve(self, amount: float, unit: str = "KGM") -> QuotaBalance:
        if amount <= 0:
            raise QuotaError(N_("a reservation must be more than zero"))
        if amount > self.remaining + EPSILON:
            raise QuotaExceeded(
                N_(
                    "the %(year)s quota has %(left)s %(unit)s left (cap %(cap)s, reserved %(reserved)s, "
                    "used %(used)s); %(amount)s %(unit)s were asked for: apply for less, or wait for "
                    "reservations to be released",
                    year=self.year,
                    left=format(max(self.remaining, 0), ",.3f"),
                    unit=unit,
                    cap=format(self.cap, ",.3f"),
                    reserved=format(self.reserved, ",.3f"),
                    used=format(self.used, ",.3f"),
                    amount=format(amount, ",.3f"),
                )
            )
        return replace(self, reserved=self.reserved + amount)

    def use(self, reserved: float, actual: float) -> QuotaBalance:
        """The export took `actual` of a reservation of `reserved`; the rest goes back."""
        if actual > reserved + EPSILON:
            raise QuotaExceeded(
                f"{actual:,.3f} exported is more than the {reserved:,.3f} reserved by the permit"
            )
        return replace(self, reserved=max(self.reserved - reserved, 0.0), used=self.used + actual)

    def release(self, reserved: float) -> QuotaBalance:
        return replace(self, reserved=max(self.reserved - reserved, 0.0))

    def box_11a(self, unit: str = "kg") -> str:
        """Box 11a of the permit: quantity committed to date (this shipment included) / annual quota."""
        return f"{self.reserved + self.used:,.3f} / {self.cap:,.3f} {unit} ({self.year})"
