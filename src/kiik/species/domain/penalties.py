"""Penalty estimates: a criminal provision's fine range in MCI, and in tenge for the year of the offence.

Kazakhstan sets fines in monthly calculation indices (MCI, МРП); the value of one MCI in tenge is
fixed by the budget law each year. The table below holds the value that applies to fines, from
the reference file kz_mci.csv (its 2022 row of 3,180 KZT from 1 April applies to benefits only and
is left out). For a date after the last known value the newest is used, and the estimate says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kiik.errors import N_, Figure, Wording, worded

# (effective from, tenge per MCI for fines)
MCI_FOR_FINES: tuple[tuple[date, int], ...] = (
    (date(2020, 1, 1), 2651),
    (date(2020, 4, 1), 2778),
    (date(2021, 1, 1), 2917),
    (date(2022, 1, 1), 3063),
    (date(2023, 1, 1), 3450),
    (date(2024, 1, 1), 3692),
    (date(2025, 1, 1), 3932),
    (date(2026, 1, 1), 4325),
)


# A penalty: the provision, its fine (a range or an upper bound, at the MCI of the offence's year or,
# past the table, at the newest) and the other sanctions when there are any.
PENALTY = N_("%(article)s: %(fine)s")
PENALTY_AND_MORE = N_("%(article)s: %(fine)s; %(other)s")
FINE_RANGE = N_(
    "a fine of %(min_mci)s to %(max_mci)s MCI (%(min_kzt)s to %(max_kzt)s KZT at the %(year)s MCI of "
    "%(mci)s KZT)"
)
FINE_UP_TO = N_("a fine of up to %(max_mci)s MCI (up to %(max_kzt)s KZT at the %(year)s MCI of %(mci)s KZT)")
FINE_RANGE_NEWEST = N_(
    "a fine of %(min_mci)s to %(max_mci)s MCI (%(min_kzt)s to %(max_kzt)s KZT at the %(year)s MCI of "
    "%(mci)s KZT; no MCI for %(offence_year)s is on record, so the newest is used)"
)
FINE_UP_TO_NEWEST = N_(
    "a fine of up to %(max_mci)s MCI (up to %(max_kzt)s KZT at the %(year)s MCI of %(mci)s KZT; no MCI "
    "for %(offence_year)s is on record, so the newest is used)"
)


class UnknownMci(LookupError):
    """No MCI value is on record for the date asked."""


@dataclass(frozen=True)
class PenaltyProvision:
    """What the law threatens for breaking a rule: a fine range in MCI and the other sanctions."""

    article: str
    max_fine_mci: int
    min_fine_mci: int = 0
    other_sanctions: str = ""


@dataclass(frozen=True)
class MciValue:
    tenge: int
    effective_from: date
    current: bool  # False when the date is past the newest value on record


@dataclass(frozen=True)
class PenaltyEstimate:
    article: str
    offence_date: date
    min_mci: int
    max_mci: int
    mci: MciValue
    other_sanctions: str

    @property
    def min_kzt(self) -> int:
        return self.min_mci * self.mci.tenge

    @property
    def max_kzt(self) -> int:
        return self.max_mci * self.mci.tenge

    def describe(self) -> Wording:
        """The provision and its fine in MCI and tenge (a Wording: a page writes the figures as its
        language does, and translates the article and the other sanctions its catalogs hold)."""
        newest = not self.mci.current
        if self.min_mci:
            template = FINE_RANGE_NEWEST if newest else FINE_RANGE
        else:
            template = FINE_UP_TO_NEWEST if newest else FINE_UP_TO
        fine = template.filled(
            min_mci=Figure(self.min_mci),
            max_mci=Figure(self.max_mci),
            min_kzt=Figure(self.min_kzt),
            max_kzt=Figure(self.max_kzt),
            year=self.mci.effective_from.year,
            mci=Figure(self.mci.tenge),
            offence_year=self.offence_date.year,
        )
        if self.other_sanctions:
            return PENALTY_AND_MORE.filled(
                article=worded(self.article), fine=fine, other=worded(self.other_sanctions)
            )
        return PENALTY.filled(article=worded(self.article), fine=fine)

    def to_json(self) -> dict[str, object]:
        return {
            "article": self.article,
            "offence_date": self.offence_date.isoformat(),
            "fine_mci": {"min": self.min_mci, "max": self.max_mci},
            "fine_kzt": {"min": self.min_kzt, "max": self.max_kzt},
            "mci_kzt": self.mci.tenge,
            "mci_effective_from": self.mci.effective_from.isoformat(),
            "mci_on_record_for_year": self.mci.current,
            "other_sanctions": self.other_sanctions,
            "summary": self.describe(),
        }


def mci_on(day: date, table: tuple[tuple[date, int], ...] = MCI_FOR_FINES) -> MciValue:
    """The MCI that applies to a fine for an offence on `day`."""
    earlier = [(start, tenge) for start, tenge in table if start <= day]
    if not earlier:
        raise UnknownMci(f"no MCI value is on record for {day.isoformat()}; the table starts {table[0][0]}")
    start, tenge = earlier[-1]
    newest_year = table[-1][0].year
    return MciValue(tenge, start, current=day.year <= newest_year)


def estimate(provision: PenaltyProvision, offence_date: date) -> PenaltyEstimate:
    return PenaltyEstimate(
        article=provision.article,
        offence_date=offence_date,
        min_mci=provision.min_fine_mci,
        max_mci=provision.max_fine_mci,
        mci=mci_on(offence_date),
        other_sanctions=provision.other_sanctions,
    )
