"""The species rules, applied to every captured event (an `EventRule`, see custody/services/event_rules.py).

An event is refused when it does, to an item of a species under a total ban in force on the day
of the event, an operation the ban forbids. A commissioning (taking) is refused, too, when its
species is not in the register (once the register lists any), when the species has open seasons
and the day is outside all of them, or when its product type is not one the species trades as.

The species of an item is the one the projection holds (harvest ILMD `kiik:species`; lots inherit
their inputs'); a commissioning's is in its ILMD; items commissioned earlier in the same document
are remembered here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kiik.custody.domain.check import object_keys
from kiik.custody.domain.rules import operation_of
from kiik.custody.domain.state import Violation
from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Principal
from kiik.epcis.domain.event_facts import EventFacts
from kiik.species.domain.products import TradedProduct, product_not_traded
from kiik.species.domain.species import RuleKind, SpeciesRule, banned_operation, out_of_season, unlisted


def named_keys(facts: EventFacts) -> list[str]:
    keys = [key for key, _ in object_keys(facts)]
    keys += list(facts.inputs) + [q.key for q in facts.input_quantities]
    keys += list(facts.children) + [q.key for q in facts.child_quantities]
    if facts.parent:
        keys.append(facts.parent)
    return list(dict.fromkeys(keys))


class SpeciesRules:
    """Loads the register's rules once per capture; remembers species seen in the document."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.cites: Any = uow.cites  # type: ignore[attr-defined]
        self._rules: list[SpeciesRule] | None = None
        self._stored_banned: bool | None = None
        self._listed: set[str] | None = None
        self._products: list[TradedProduct] | None = None
        self.species_of: dict[str, str] = {}

    def listed(self) -> set[str]:
        if self._listed is None:
            self._listed = {t.scientific_name for t in self.cites.species.taxa()}
        return self._listed

    def products(self) -> list[TradedProduct]:
        if self._products is None:
            self._products = list(self.cites.species.products())
        return self._products

    def taking(self, facts: EventFacts, species: str, key: str | None) -> list[Violation]:
        """What is wrong with taking (commissioning) specimens of `species`, beyond its bans."""
        listed = self.listed()
        if listed and species not in listed:
            return [unlisted(species, listed, key)]
        violations = out_of_season(self.rules, species, facts.event_time.date(), key)
        product_type = facts.ilmd_value("productType")
        if isinstance(product_type, str):
            violations += product_not_traded(self.products(), species, product_type, key)
        return violations

    @property
    def rules(self) -> list[SpeciesRule]:
        if self._rules is None:
            self._rules = list(self.cites.species.rules())
        return self._rules

    def stored_items_may_be_banned(self) -> bool:
        """Whether any stored item is of a species under a total ban (asked once per capture).

        When none is, only items commissioned earlier in this document can be of a banned species,
        so events of other documents need no look-up of their items' species."""
        if self._stored_banned is None:
            banned = sorted({r.scientific_name for r in self.rules if r.kind is RuleKind.TOTAL_BAN})
            self._stored_banned = bool(self.cites.species.any_item_of(banned))
        return self._stored_banned

    def species(self, keys: Iterable[str]) -> dict[str, str]:
        wanted = [k for k in keys if k not in self.species_of]
        if wanted:
            for key, state in self.uow.items.load(wanted).items():
                if state.species:
                    self.species_of[key] = state.species
        return {k: self.species_of[k] for k in keys if k in self.species_of}

    def check(self, facts: EventFacts, event: Mapping[str, Any], principal: Principal) -> list[Violation]:
        if not self.rules or facts.declares_error:
            return []
        operation = operation_of(facts)
        day = facts.event_time.date()
        found: dict[str, str] = {}
        taking: list[Violation] = []
        if operation == "commission":
            species = facts.ilmd_value("species")
            if isinstance(species, str) and species:
                found = {key: species for key, _ in object_keys(facts)}
                self.species_of.update(found)
                first = next(iter(found), None)
                taking = self.taking(facts, species, first if len(found) == 1 else None)
        elif self.stored_items_may_be_banned():
            found = self.species(named_keys(facts))
        else:
            found = {k: self.species_of[k] for k in named_keys(facts) if k in self.species_of}
        if operation == "transform":
            inherited = sorted(set(found.values()))
            if len(inherited) == 1:
                self.species_of.update({k: inherited[0] for k in facts.outputs})
                self.species_of.update({q.key: inherited[0] for q in facts.output_quantities})
        violations: list[Violation] = list(taking)
        for key, species in found.items():
            violations += banned_operation(self.rules, species, operation, day, key)
        return violations
