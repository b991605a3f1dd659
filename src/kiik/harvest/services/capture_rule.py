"""The harvest rule at capture: every harvest commissioning falls inside its authorisation.

The rule reads each authorisation, and the animals already counted under it, once per capture;
it counts this document's horns in memory and writes them to the `harvested_horns` projection
after each written batch, in the capture's transaction (see `kiik.custody.services.event_rules`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kiik.custody.domain.state import Violation
from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Principal
from kiik.epcis.domain.event_facts import EventFacts
from kiik.epcis.domain.identifiers import MICROCHIP_URN
from kiik.epcis.services.records import WrittenEvent
from kiik.harvest.domain.authorisations import HarvestAuthorisation
from kiik.harvest.domain.rules import (
    AuthorisationTally,
    HarvestClaim,
    HarvestedHorn,
    accept,
    check_harvest,
    harvest_claim,
)
from kiik.harvest.services.ports import harvest_store


class HarvestRule:
    def __init__(self, uow: UnitOfWork) -> None:
        self.store = harvest_store(uow)
        self.authorisations: dict[str, HarvestAuthorisation | None] = {}
        self.tallies: dict[int, AuthorisationTally] = {}
        self.pending: list[HarvestedHorn] = []
        self.replaced: set[str] = set()

    def check(self, facts: EventFacts, event: Mapping[str, Any], principal: Principal) -> list[Violation]:
        claim = harvest_claim(facts)
        if claim is None:
            return []
        authorisation = self._authorisation(claim.number)
        tally = self._tally(authorisation)
        actor = f"{principal.org_name} ({principal.org_code})"
        violations = check_harvest(claim, authorisation, tally, principal.org_id, actor)
        if violations or authorisation is None or authorisation.id is None or tally is None:
            return violations
        self.replaced.update(accept(claim, tally))
        chip = _microchip(facts) if len(claim.horns) == 1 else None
        self.pending.extend(_counted(claim, authorisation.id, chip))
        return []

    def written(self, events: Sequence[WrittenEvent]) -> None:
        """Write the horns counted since the last batch (called by capture once a batch is written)."""
        if self.pending or self.replaced:
            self.store.record_horns(self.pending, sorted(self.replaced))
            self.pending, self.replaced = [], set()

    def _authorisation(self, number: str | None) -> HarvestAuthorisation | None:
        if number is None:
            return None
        if number not in self.authorisations:
            self.authorisations[number] = self.store.authorisation(number)
        return self.authorisations[number]

    def _tally(self, authorisation: HarvestAuthorisation | None) -> AuthorisationTally | None:
        if authorisation is None or authorisation.id is None:
            return None
        if authorisation.id not in self.tallies:
            self.tallies[authorisation.id] = AuthorisationTally(self.store.tally(authorisation.id))
        return self.tallies[authorisation.id]


def _microchip(facts: EventFacts) -> str | None:
    """The horn's microchip: its registry code, or the chip a DataMatrix-marked horn also carries."""
    if facts.epcs and facts.epcs[0].startswith(MICROCHIP_URN):
        return facts.epcs[0][len(MICROCHIP_URN) :]
    chip = facts.ilmd_value("microchip")
    if isinstance(chip, str) and len(chip.strip()) == 15 and chip.strip().isdigit():
        return chip.strip()
    return None  # no chip, or no ISO 11784 number: nothing to look a horn up by


def _counted(claim: HarvestClaim, authorisation_id: int, chip: str | None) -> list[HarvestedHorn]:
    assert claim.animal_id is not None
    return [HarvestedHorn(horn, authorisation_id, claim.animal_id, claim.sex, chip) for horn in claim.horns]
