"""The double-entry ledger of proceeds, in tiyn (hundredths of a tenge), whole numbers only.

Every entry's debits equal its credits, or it is not an entry. The accounts:

- `due:<payer>`: what an organisation owes for its sales, exports and culls (debited by a fee);
- `proceeds:<population>`: what came in for a population, until it is allocated;
- `fund:protection`, `fund:habitat`, `fund:research`: where it went.

A fee is one entry (due to proceeds), its allocation another (proceeds to the funds). Nothing is
edited or deleted: a correction reverses an entry (debits and credits swapped) and, when the fee
was wrong rather than owed at all, records the right one as a new entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any

from kiik.proceeds.domain.rules import PURPOSES, ProceedsError

UNATTRIBUTED = "not attributed to one population"


class EntryKind(StrEnum):
    FEE = "fee"
    ALLOCATION = "allocation"
    CORRECTION = "correction"


@dataclass(frozen=True)
class Line:
    account: str
    debit: int = 0
    credit: int = 0


@dataclass(frozen=True)
class Entry:
    kind: EntryKind
    day: date
    description: str
    population: str
    lines: tuple[Line, ...]
    payer: str | None = None
    source: str | None = None  # the event that owes the fee
    follows: int | None = None  # the fee an allocation allocates
    corrects: int | None = None  # the entry a correction reverses
    id: int | None = None

    def __post_init__(self) -> None:
        if any(line.debit < 0 or line.credit < 0 for line in self.lines):
            raise ProceedsError(
                f"entry {self.description!r}: amounts are never negative, swap the sides instead"
            )
        if self.debits != self.credits:
            raise ProceedsError(
                f"entry {self.description!r} does not balance: debits {self.debits} tiyn, "
                f"credits {self.credits} tiyn"
            )
        if self.debits == 0:
            raise ProceedsError(f"entry {self.description!r} moves no money")

    @property
    def debits(self) -> int:
        return sum(line.debit for line in self.lines)

    @property
    def credits(self) -> int:
        return sum(line.credit for line in self.lines)

    @property
    def amount(self) -> int:
        return self.debits


def fee_entry(day: date, payer: str, population: str, amount: int, description: str, source: str) -> Entry:
    lines = (Line(f"due:{payer}", debit=amount), Line(f"proceeds:{population}", credit=amount))
    return Entry(EntryKind.FEE, day, description, population, lines, payer=payer, source=source)


def allocation_entry(fee: Entry, parts: Mapping[str, int], description: str) -> Entry:
    lines = (
        Line(f"proceeds:{fee.population}", debit=sum(parts.values())),
        *(Line(f"fund:{purpose}", credit=amount) for purpose, amount in parts.items()),
    )
    return Entry(EntryKind.ALLOCATION, fee.day, description, fee.population, lines, follows=fee.id)


def reversal(entry: Entry, day: date, reason: str) -> Entry:
    """The entry that undoes `entry`: the same lines with debits and credits swapped."""
    if entry.id is None:
        raise ProceedsError("only a recorded entry can be reversed")
    swapped = tuple(Line(line.account, debit=line.credit, credit=line.debit) for line in entry.lines)
    return replace(
        entry,
        kind=EntryKind.CORRECTION,
        day=day,
        description=f"reverses entry {entry.id}: {reason}",
        lines=swapped,
        follows=None,
        corrects=entry.id,
        id=None,
    )


def trial_balance(entries: Iterable[Entry]) -> dict[str, int]:
    """Each account's balance (debits less credits); the balances of a sound ledger add up to 0."""
    balances: dict[str, int] = {}
    for entry in entries:
        for line in entry.lines:
            balances[line.account] = balances.get(line.account, 0) + line.debit - line.credit
    return balances


def report(entries: Iterable[Entry], year: int) -> dict[str, Any]:
    """What came in per population in `year` and where it was allocated, in tenge."""
    rows: dict[str, dict[str, int]] = {}
    kept = [e for e in entries if e.day.year == year]
    for entry in kept:
        row = rows.setdefault(entry.population, {"in": 0, **{p: 0 for p in PURPOSES}})
        for line in entry.lines:
            kind, _, name = line.account.partition(":")
            if kind == "due":
                row["in"] += line.debit - line.credit
            elif kind == "fund":
                row[name] += line.credit - line.debit
    populations: list[dict[str, Any]] = [
        {
            "population": population,
            "inKZT": row["in"] / 100,
            "allocatedKZT": {p: row[p] / 100 for p in PURPOSES},
            "unallocatedKZT": (row["in"] - sum(row[p] for p in PURPOSES)) / 100,
        }
        for population, row in sorted(rows.items())
    ]
    balances = trial_balance(kept)
    return {
        "year": year,
        "populations": populations,
        "inKZT": sum(p["inKZT"] for p in populations),
        "allocatedKZT": {p: sum(r["allocatedKZT"][p] for r in populations) for p in PURPOSES},
        "balanced": sum(balances.values()) == 0,
        "entries": len(kept),
    }
