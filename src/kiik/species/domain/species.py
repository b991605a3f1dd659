"""The species register: taxa and the dated rules that apply to them.

Rules are data the ministry edits, not code. A rule applies to one taxon over a date range and
names the custody operations it forbids (see `rules.operation_of`). Two kinds exist:

- `total_ban`: no commissioning, transport, processing, sale or export at all (Testudo
  horsfieldii, 2026 to 2040); seizures, inspections and destruction by authorities stay allowed;
- `export_under_quota`: commercial export of wild specimens only under a CITES export permit
  within an open quota (Saiga tatarica); the export itself is checked by the permit rules;
- `season`: an open season (argali hunting, liquorice collection): a species with season rules may
  be taken (commissioned) only on a day inside one of them; outside, taking is refused.

A refusal names the rule, its legal basis and, when the rule carries a penalty provision, the
estimated penalty range for the date of the event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kiik.custody.domain.state import Violation
from kiik.species.domain.penalties import PenaltyEstimate, PenaltyProvision, UnknownMci, estimate


class RuleKind(StrEnum):
    TOTAL_BAN = "total_ban"
    EXPORT_UNDER_QUOTA = "export_under_quota"
    SEASON = "season"


# The custody operations each kind forbids unless the rule lists its own.
DEFAULT_OPERATIONS: dict[RuleKind, tuple[str, ...]] = {
    RuleKind.TOTAL_BAN: ("commission", "ship", "receive", "transform", "pack", "trade", "export"),
    RuleKind.EXPORT_UNDER_QUOTA: ("export",),
    RuleKind.SEASON: ("commission",),
}

OPERATION_WORDS = {
    "commission": "commissioning (taking or registering specimens)",
    "ship": "transport (shipping)",
    "receive": "transport (receiving)",
    "transform": "processing",
    "pack": "packing",
    "trade": "sale",
    "export": "export",
    "destroy": "destruction",
    "decommission": "decommissioning",
}

APPENDICES = ("I", "II", "III", "N", "")


class RegisterError(ValueError):
    """A register edit that cannot be made as asked; the message says what to change."""


@dataclass(frozen=True)
class Taxon:
    scientific_name: str
    name_kk: str = ""
    name_ru: str = ""
    name_en: str = ""
    cites_appendix: str = ""
    national_status: str = ""

    def __post_init__(self) -> None:
        if len(self.scientific_name.split()) < 2:
            raise RegisterError(
                f"{self.scientific_name!r} is not a binomial: give genus and species, e.g. 'Saiga tatarica'"
            )
        if self.cites_appendix not in APPENDICES:
            raise RegisterError(
                f"CITES appendix {self.cites_appendix!r} is unknown: use I, II, III or N (not listed)"
            )


@dataclass(frozen=True)
class SpeciesRule:
    scientific_name: str
    kind: RuleKind
    title: str
    valid_from: date
    valid_until: date | None
    legal_basis: str
    operations: tuple[str, ...] = ()
    penalty: PenaltyProvision | None = None
    id: int | None = None
    withdrawn: bool = False

    def __post_init__(self) -> None:
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise RegisterError(
                f"rule {self.title!r} ends ({self.valid_until}) before it starts ({self.valid_from})"
            )
        if not self.legal_basis.strip():
            raise RegisterError(f"rule {self.title!r} needs its legal basis")
        unknown = [op for op in self.operations if op not in OPERATION_WORDS]
        if unknown:
            raise RegisterError(f"unknown operations {', '.join(unknown)}: use {', '.join(OPERATION_WORDS)}")

    @property
    def forbidden(self) -> tuple[str, ...]:
        return self.operations or DEFAULT_OPERATIONS[self.kind]

    def in_force(self, day: date) -> bool:
        if self.withdrawn or day < self.valid_from:
            return False
        return self.valid_until is None or day <= self.valid_until

    @property
    def period(self) -> str:
        until = self.valid_until.isoformat() if self.valid_until else "further notice"
        return f"{self.valid_from.isoformat()} to {until}"

    def penalty_on(self, day: date) -> PenaltyEstimate | None:
        if self.penalty is None:
            return None
        try:
            return estimate(self.penalty, day)
        except UnknownMci:
            return None


def rules_for(rules: Iterable[SpeciesRule], species: str | None, day: date) -> list[SpeciesRule]:
    """The rules in force for a species on a day."""
    if not species:
        return []
    return [r for r in rules if r.scientific_name == species and r.in_force(day)]


def banned_operation(
    rules: Iterable[SpeciesRule], species: str | None, operation: str, day: date, key: str | None
) -> list[Violation]:
    """The violations of a total ban by one operation on one item of `species` on `day`."""
    violations = []
    for rule in rules_for(rules, species, day):
        if rule.kind is not RuleKind.TOTAL_BAN or operation not in rule.forbidden:
            continue
        violations.append(Violation("species.banned", ban_message(rule, operation, day, key), key))
    return violations


def ban_message(rule: SpeciesRule, operation: str, day: date, key: str | None) -> str:
    what = OPERATION_WORDS.get(operation, operation)
    item = f" of {key}" if key else ""
    message = (
        f"{what}{item} is forbidden: {rule.scientific_name} is under the rule '{rule.title}' "
        f"({rule.period}); legal basis: {rule.legal_basis}"
    )
    penalty = rule.penalty_on(day)
    if penalty is not None:
        message += f". A violation is a criminal offence under {penalty.describe()}"
    return message + ". Do not record this event; report the specimens to the inspectorate"


def out_of_season(
    rules: Iterable[SpeciesRule], species: str | None, day: date, key: str | None
) -> list[Violation]:
    """Taking a species that has open seasons on a day outside all of them (one violation)."""
    seasons = [r for r in rules if r.scientific_name == species and r.kind is RuleKind.SEASON]
    seasons = [r for r in seasons if not r.withdrawn]
    if not seasons or any(r.in_force(day) for r in seasons):
        return []
    periods = "; ".join(f"'{r.title}' ({r.period})" for r in seasons)
    item = f" of {key}" if key else ""
    return [
        Violation(
            "species.out_of_season",
            f"taking{item} on {day.isoformat()} is outside every open season of {species}: {periods}. "
            "Record the taking on a day inside a season, or ask the ministry for the season's rule",
            key,
        )
    ]


def unlisted(species: str, listed: Iterable[str], key: str | None) -> Violation:
    item = f"{key} names" if key else "the event names"
    return Violation(
        "species.unlisted",
        f"{item} the species {species!r}, which is not in the species register: only listed species "
        "may be taken or traded. Check the scientific name (genus and species) or ask the ministry to "
        f"add the taxon (listed: {', '.join(sorted(listed))})",
        key,
    )
