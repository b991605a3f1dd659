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
from kiik.errors import N_, Wording, worded
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
    "commission": N_("commissioning (taking or registering specimens)"),
    "ship": N_("transport (shipping)"),
    "receive": N_("transport (receiving)"),
    "transform": N_("processing"),
    "pack": N_("packing"),
    "trade": N_("sale"),
    "export": N_("export"),
    "destroy": N_("destruction"),
    "decommission": N_("decommissioning"),
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
                N_(
                    "%(name)s is not a binomial: give genus and species, e.g. 'Saiga tatarica'",
                    name=repr(self.scientific_name),
                )
            )
        if self.cites_appendix not in APPENDICES:
            raise RegisterError(
                N_(
                    "CITES appendix %(appendix)s is unknown: use I, II, III or N (not listed)",
                    appendix=repr(self.cites_appendix),
                )
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
                N_(
                    "rule %(title)s ends (%(until)s) before it starts (%(since)s)",
                    title=repr(self.title),
                    until=self.valid_until,
                    since=self.valid_from,
                )
            )
        if not self.legal_basis.strip():
            raise RegisterError(N_("rule %(title)s needs its legal basis", title=repr(self.title)))
        unknown = [op for op in self.operations if op not in OPERATION_WORDS]
        if unknown:
            raise RegisterError(
                N_(
                    "unknown operations %(unknown)s: use %(known)s",
                    unknown=", ".join(unknown),
                    known=", ".join(OPERATION_WORDS),
                )
            )

    @property
    def forbidden(self) -> tuple[str, ...]:
        return self.operations or DEFAULT_OPERATIONS[self.kind]

    def in_force(self, day: date) -> bool:
        if self.withdrawn or day < self.valid_from:
            return False
        return self.valid_until is None or day <= self.valid_until

    @property
    def period(self) -> Wording:
        if self.valid_until is None:
            return N_("%(since)s to further notice", since=self.valid_from.isoformat())
        return N_(
            "%(since)s to %(until)s", since=self.valid_from.isoformat(), until=self.valid_until.isoformat()
        )

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


def ban_message(rule: SpeciesRule, operation: str, day: date, key: str | None) -> Wording:
    values: dict[str, object] = {
        "what": OPERATION_WORDS.get(operation, operation),
        "key": key,
        "species": rule.scientific_name,
        "rule": worded(rule.title),
        "period": rule.period,
        "basis": worded(rule.legal_basis),
    }
    penalty = rule.penalty_on(day)
    if penalty is None:
        template = BAN_OF_ITEM if key else BAN
    else:
        template = BAN_OF_ITEM_PUNISHED if key else BAN_PUNISHED
        values["penalty"] = penalty.describe()
    return Wording(template.template, values)


# What a total ban says (with or without an item, with or without the penalty it carries).
BAN_OF_ITEM = N_(
    "%(what)s of %(key)s is forbidden: %(species)s is under the rule '%(rule)s' (%(period)s); legal basis: "
    "%(basis)s. Do not record this event; report the specimens to the inspectorate"
)
BAN = N_(
    "%(what)s is forbidden: %(species)s is under the rule '%(rule)s' (%(period)s); legal basis: "
    "%(basis)s. Do not record this event; report the specimens to the inspectorate"
)
BAN_OF_ITEM_PUNISHED = N_(
    "%(what)s of %(key)s is forbidden: %(species)s is under the rule '%(rule)s' (%(period)s); legal basis: "
    "%(basis)s. A violation is a criminal offence under %(penalty)s. Do not record this event; report "
    "the specimens to the inspectorate"
)
BAN_PUNISHED = N_(
    "%(what)s is forbidden: %(species)s is under the rule '%(rule)s' (%(period)s); legal basis: "
    "%(basis)s. A violation is a criminal offence under %(penalty)s. Do not record this event; report "
    "the specimens to the inspectorate"
)


def out_of_season(
    rules: Iterable[SpeciesRule], species: str | None, day: date, key: str | None
) -> list[Violation]:
    """Taking a species that has open seasons on a day outside all of them (one violation)."""
    seasons = [r for r in rules if r.scientific_name == species and r.kind is RuleKind.SEASON]
    seasons = [r for r in seasons if not r.withdrawn]
    if not seasons or any(r.in_force(day) for r in seasons):
        return []
    periods = "; ".join(f"'{r.title}' ({r.period})" for r in seasons)
    values = {"key": key, "day": day.isoformat(), "species": species, "periods": periods}
    template = OUT_OF_SEASON_ITEM if key else OUT_OF_SEASON
    return [Violation("species.out_of_season", Wording(template.template, values), key)]


OUT_OF_SEASON_ITEM = N_(
    "taking of %(key)s on %(day)s is outside every open season of %(species)s: %(periods)s. Record the "
    "taking on a day inside a season, or ask the ministry for the season's rule"
)
OUT_OF_SEASON = N_(
    "taking on %(day)s is outside every open season of %(species)s: %(periods)s. Record the taking on a "
    "day inside a season, or ask the ministry for the season's rule"
)


def unlisted(species: str, listed: Iterable[str], key: str | None) -> Violation:
    values = {"key": key, "species": repr(species), "listed": ", ".join(sorted(listed))}
    template = UNLISTED_ITEM if key else UNLISTED
    return Violation("species.unlisted", Wording(template.template, values), key)


UNLISTED_ITEM = N_(
    "%(key)s names the species %(species)s, which is not in the species register: only listed species may "
    "be taken or traded. Check the scientific name (genus and species) or ask the ministry to add the "
    "taxon (listed: %(listed)s)"
)
UNLISTED = N_(
    "the event names the species %(species)s, which is not in the species register: only listed species "
    "may be taken or traded. Check the scientific name (genus and species) or ask the ministry to add the "
    "taxon (listed: %(listed)s)"
)
