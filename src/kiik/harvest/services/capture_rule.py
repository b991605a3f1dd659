"""The harvest rule at capture: every harvest commissioning falls inside its authorisation.

The rule reads each authorisation once per capture, and the animals already counted under it: all
of them at once while they are few; under an authorisation with many, only the rows of the animals
and horns the first events name (with the number of animals counted, an index-only count), so that
a single event late in a season does not read the season's horns, and every row once a document
has named many animals. It counts this document's horns in memory and writes them to the `harvested_horns`
projection after each written batch, in the capture's transaction (see
`kiik.custody.services.event_rules`).
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

# Under an authorisation with fewer animals than this, a capture reads every row at once (one query
# of at most a few thousand rows); above it, it reads only the rows its events name, for the first
# LOOK_UPS_BEFORE_LOADING_ALL animals, then every row (a large document under a large authorisation).
READ_ALL_BELOW = 2_000
LOOK_UPS_BEFORE_LOADING_ALL = 8


class HarvestRule:
    def __init__(self, uow: UnitOfWork) -> None:
        self.store = harvest_store(uow)
        self.authorisations: dict[str, HarvestAuthorisation | None] = {}
        self.tallies: dict[int, AuthorisationTally] = {}
        # Per authorisation: the animals and horns whose stored rows were read; those read in full.
        self.looked_up: dict[int, tuple[set[str], set[str]]] = {}
        self.complete: set[int] = set()
        self.pending: list[HarvestedHorn] = []
        self.replaced: set[str] = set()

    def check(self, facts: EventFacts, event: Mapping[str, Any], principal: Principal) -> list[Violation]:
        claim = harvest_claim(facts)
        if claim is None:
            return []
        authorisation = self._authorisation(claim.number)
        tally = self._tally(authorisation, claim)
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

    def _tally(
        self, authorisation: HarvestAuthorisation | None, claim: HarvestClaim
    ) -> AuthorisationTally | None:
        if authorisation is None or authorisation.id is None:
            return None
        key = authorisation.id
        tally = self.tallies.get(key)
        if tally is None:
            tally = self.tallies[key] = AuthorisationTally(animal_count=self.store.lock_and_count(key))
            self.looked_up[key] = (set(), set())
            if tally.animal_count < READ_ALL_BELOW:  # few rows: reading them all is the cheapest
                full = self.tallies[key] = AuthorisationTally(self.store.tally(key))
                full.inside = tally.inside
                self.complete.add(key)
                return full
        if key in self.complete:
            return tally
        animals, horns = self.looked_up[key]
        if len(animals) >= LOOK_UPS_BEFORE_LOADING_ALL:
            # Many events under this authorisation: read every row once, then replay this capture's
            # counting on top (its horns not yet written are in the tally, not in the table).
            full = AuthorisationTally(self.store.tally(key))
            full.inside = tally.inside
            for horn in self.pending:
                if horn.authorisation_id == key:
                    full.record(horn.horn_key, horn.animal_id, horn.sex)
            self.tallies[key] = full
            self.complete.add(key)
            return full
        wanted_animals = [] if claim.animal_id is None or claim.animal_id in animals else [claim.animal_id]
        wanted_horns = [horn for horn in claim.horns if horn not in horns]
        if wanted_animals or wanted_horns:
            tally.load(self.store.tally_rows(key, wanted_animals, wanted_horns))
            animals.update(wanted_animals)
            horns.update(wanted_horns)
        return tally


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
