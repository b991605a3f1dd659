"""Seizures recorded and matched against the registry: leaks, forgeries, foreign and unmarked goods."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kiik.bootstrap.registry import Registry
from kiik.directory.domain.permissions import NotAllowed
from kiik.enforcement.domain.errors import EnforcementError
from kiik.enforcement.domain.seizure import Specimen
from kiik.enforcement.services.seizures import record_seizure, show_seizure
from tests.support.enforcement import KYRGYZ_CODE, NEVER_ISSUED, TORTOISE, enforcement_world, horn_seizure


def test_a_seizure_matches_every_code_and_seizes_the_leaked_horn(registry: Registry) -> None:
    ew = enforcement_world(registry)
    customs = ew.world["customs"].principal
    leaked = ew.season.trader_horns[0]  # held by the trader
    consumed = ew.season.horns[0]  # ground into powder
    seizure = horn_seizure("KZ-2026-001", [leaked, consumed, NEVER_ISSUED, KYRGYZ_CODE], 10)
    shown = record_seizure(registry.uow(), customs, seizure)
    verdicts = {c["reason"]: c for c in shown["codes"]}
    assert shown["verdicts"] == {"leak": 1, "forgery": 2, "foreign": 1, "unmarked": 6}
    leak = verdicts["registered"]
    assert leak["verdict"] == "leak"
    assert leak["details"]["holder"] == "Saiga Export LLP"
    assert leak["holderRegion"] == "West Kazakhstan"
    assert leak["details"]["daysSinceLastEvent"] >= 0
    # the other whole horn of the same delivery is still with the trader
    assert leak["details"]["sameLotOrShipment"]["stillHeld"] == 1
    assert verdicts["no_longer_exists"]["verdict"] == "forgery"
    assert verdicts["never_issued"]["verdict"] == "forgery"
    assert verdicts["other_registry"]["details"] == {"country": "KG"}
    # custody shows the leaked horn seized by customs, the forged code recorded as seized evidence
    states = registry.uow()
    with states:
        found = states.items.load([leak["code"], verdicts["never_issued"]["code"]])
    assert {s.status.value for s in found.values()} == {"seized"}
    assert {s.holder for s in found.values()} == {ew.world["customs"].org_id}
    assert [a["holder"] for a in shown["alerts"]] == ["Saiga Export LLP"]


def test_a_code_issued_for_another_species_is_a_forgery(registry: Registry) -> None:
    ew = enforcement_world(registry)
    seizure = horn_seizure("KZ-2026-002", [ew.season.trader_horns[1]], 1, species=TORTOISE)
    seizure = replace(seizure, specimens=(Specimen("LIV", 1, "NAR", (ew.season.trader_horns[1],)),))
    shown = record_seizure(registry.uow(), ew.world["inspector"].principal, seizure)
    assert [(c["verdict"], c["reason"]) for c in shown["codes"]] == [("forgery", "other_species")]
    assert shown["alerts"] == []


def test_a_bad_seizure_names_each_problem_and_records_nothing(registry: Registry) -> None:
    ew = enforcement_world(registry)
    bad = horn_seizure("KZ-2026-003", ["not a code"], 1, species="Panthera leo", detection_method="guess")
    with pytest.raises(EnforcementError) as refused:
        record_seizure(registry.uow(), ew.world["customs"].principal, bad)
    text = str(refused.value)
    assert "'not a code' is not a well-formed code" in text
    assert "species: 'Panthera leo' is not in the species register" in text
    assert "detectionMethod: 'guess'" in text
    with pytest.raises(Exception, match="no seizure"):
        show_seizure(registry.uow(), ew.world["customs"].principal, "KZ-2026-003")


def test_a_seizure_reference_is_recorded_once(registry: Registry) -> None:
    ew = enforcement_world(registry)
    customs = ew.world["customs"].principal
    record_seizure(registry.uow(), customs, horn_seizure("KZ-2026-004", [], 3))
    with pytest.raises(EnforcementError, match="recorded already"):
        record_seizure(registry.uow(), customs, horn_seizure("KZ-2026-004", [], 3))


def test_only_enforcement_records_seizures(registry: Registry) -> None:
    ew = enforcement_world(registry)
    with pytest.raises(NotAllowed):
        record_seizure(registry.uow(), ew.world["trader"].principal, horn_seizure("KZ-2026-005", [], 1))
