"""Seizures imported from CSV whole or not at all, and exported in the same format."""

from __future__ import annotations

import pytest

from kiik.bootstrap.registry import Registry
from kiik.enforcement.domain.errors import SeizureRowsInvalid
from kiik.enforcement.domain.seizure_csv import read_seizures
from kiik.enforcement.services.seizures import export_seizures, import_seizures, list_seizures, show_seizure
from tests.support.enforcement import NEVER_ISSUED, enforcement_world

WEST = "West Kazakhstan,50.1,51.2,KZ,KG?,CN?,road,2,KZ;KG"
HEADER = (
    "reference,seized_on,agency,detection_method,species,term,quantity,unit,codes,region,latitude,longitude,"
    "origin,transit,destination,transport_mode,offenders,offender_nationalities\n"
)


def test_a_file_with_one_bad_row_records_nothing_and_names_the_row(registry: Registry) -> None:
    ew = enforcement_world(registry)
    customs = ew.world["customs"].principal
    text = HEADER + (
        f"S-1,2026-10-01,Customs,x-ray,Saiga tatarica,HOR,2,NAR,{NEVER_ISSUED},{WEST}\n"
        "S-2,2026-10-02,Customs,x-ray,Saiga tatarica,HOR,1,NAR,not-a-code,,,,,,,,,\n"
        "S-3,2026-10-02,Customs,x-ray,Saiga tatarica,WIDGET,1,NAR,,,,,,,,,,\n"
    )
    with pytest.raises(SeizureRowsInvalid) as refused:
        import_seizures(registry.uow(), customs, text)
    problems = refused.value.problems
    assert any(
        p.startswith("rows 3 (S-2): specimens[1].codes: 'not-a-code' is not a well-formed code")
        for p in problems
    )
    assert any(p.startswith("rows 4 (S-3): specimens[1].term: 'WIDGET'") for p in problems)
    assert len(problems) == 2
    assert list_seizures(registry.uow(), customs) == []


def test_imported_seizures_are_matched_and_export_gives_the_same_file_back(registry: Registry) -> None:
    ew = enforcement_world(registry)
    customs = ew.world["customs"].principal
    leaked = ew.season.trader_horns[0]
    text = HEADER + (
        f"S-1,2026-10-01,Customs,x-ray,Saiga tatarica,HOR,3,NAR,{leaked} {NEVER_ISSUED},{WEST}\n"
        f"S-1,2026-10-01,Customs,x-ray,Saiga tatarica,POW,1.5,KGM,,{WEST}\n"
        "S-2,2026-10-02,Border service,patrol,Testudo horsfieldii,LIV,12,NAR,,Almaty,,,KZ,,KZ,on foot,1,KZ\n"
    )
    assert import_seizures(registry.uow(), customs, text) == {"seizures": 2, "specimenLines": 3}
    shown = show_seizure(registry.uow(), customs, "S-1")
    assert shown["verdicts"] == {"leak": 1, "forgery": 1, "unmarked": 1}
    assert shown["route"] == "KZ → KG? → CN?" and shown["offenderNationalities"] == ["KZ", "KG"]
    exported = "".join(export_seizures(registry.uow(), customs))
    again, problems = read_seizures(exported)
    original, _ = read_seizures(text)
    assert problems == []

    def canonical(found: list) -> dict:  # type: ignore[type-arg]
        return {
            s.reference: (
                s.route,
                s.species,
                [(x.term, x.quantity, x.unit, len(x.codes)) for x in s.specimens],
            )
            for s, _ in found
        }

    assert canonical(again) == canonical(original)
    with pytest.raises(SeizureRowsInvalid, match="recorded already"):
        import_seizures(registry.uow(), customs, text)
