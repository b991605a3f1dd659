"""A small demo season on both databases: built through capture, its irregularities flagged where
a person looks (the item page's flags, refused capture jobs), a powder lot traced to its animals."""

from __future__ import annotations

from kiik.bootstrap.registry import Registry
from kiik.custody.services.capture_jobs import job_document
from kiik.demo.cast import load_demo
from kiik.directory.domain.permissions import OrgKind, Principal, Role
from kiik.epcis.adapters.capture_source import open_capture_document
from kiik.inspection.verdict import inspect_item, public_check

# The flags each item irregularity of the season must raise on the inspector's page.
EXPECTED_FLAGS = {
    "near_yield_limit": {"near_yield_limit"},
    "seized_registered_code": {"seized"},
    "seized_unknown_code": {"seized", "origin_untraced"},
    "stock_not_found": {"stock_discrepancy"},
    "stock_mass_difference": {"stock_discrepancy"},
}
EXPECTED_REFUSALS = {
    "refused_mass_balance": "transformation.mass_balance",
    "refused_inputs_consumed": "item.not_movable",
    "refused_outside_area": "harvest.outside_area",
    "refused_registered_twice": "identifier.already_commissioned",
    "refused_not_shipped": "receiving.not_shipped",
}


def _inspector(registry: Registry) -> Principal:
    with registry.uow() as uow:
        org = uow.directory.organisation("kz-inspectorate")
    return Principal(org.id, org.code, org.name, OrgKind.INSPECTORATE, Role.VIEWER)


def test_a_small_season_is_built_through_capture_and_its_irregularities_are_flagged(
    registry: Registry,
) -> None:
    yields = registry.settings.yields
    result = load_demo(
        registry.uow, open_capture_document, custody_rules=True, yields=yields, horns=80, seed=11
    )
    season = result.season
    assert result.created and season is not None
    assert season.horns == 80 and sum(season.animals.values()) == 40
    assert season.animals["Ural"] > season.animals["Betpakdala"] > season.animals["Ustyurt"] >= 1
    assert season.teams == 6 and season.lots["powder"] >= 2 and season.events > 80
    inspector = _inspector(registry)
    kinds = {i.kind for i in season.irregularities}
    assert set(EXPECTED_FLAGS) | set(EXPECTED_REFUSALS) == kinds
    for irregularity in season.irregularities:
        if irregularity.code is not None:
            inspection = inspect_item(registry.uow(), inspector, irregularity.code, yields)
            flags = {f.code for f in inspection.flags}
            assert EXPECTED_FLAGS.get(irregularity.kind, set()) <= flags, (irregularity.kind, flags)
        else:
            assert irregularity.capture_id is not None
            job = job_document(registry.uow, inspector, irregularity.capture_id)
            rules = {e["rule"] for e in job["errors"]}
            assert job["running"] is False and job["success"] is False
            assert EXPECTED_REFUSALS[irregularity.kind] in rules, (irregularity.kind, rules)
    seized = next(i for i in season.irregularities if i.kind == "seized_registered_code")
    assert seized.code is not None
    detail = inspect_item(registry.uow(), inspector, seized.code, yields).flags[0].detail
    assert "last legal holder was Ural harvest team 1" in detail


def test_a_powder_lot_and_a_pharmacy_pack_trace_back_to_animals(registry: Registry) -> None:
    yields = registry.settings.yields
    season = load_demo(
        registry.uow, open_capture_document, custody_rules=True, yields=yields, horns=40, seed=5
    ).season
    assert season is not None and season.powder_lot and season.pharmacy_pack
    inspector = _inspector(registry)
    lot = inspect_item(registry.uow(), inspector, season.powder_lot, yields)
    assert lot.legal and lot.animals >= 1 and lot.sites
    assert all(s.animal_id and s.point and s.authorisation for s in lot.sites)
    assert abs(sum(s.share or 0.0 for s in lot.sites) - 1.0) < 1e-6
    assert lot.populations == {"Ural": 1.0}  # the Oral plant processes Ural horns
    pack = inspect_item(registry.uow(), inspector, season.pharmacy_pack, yields)
    assert pack.legal and {s.key for s in pack.sites} == {s.key for s in lot.sites}
    assert pack.trace.lineage.backward.inputs[0].key == lot.trace.item.key
    public = public_check(registry.uow(), season.pharmacy_pack, yields)
    assert public.known and public.legal_origin and public.product_type == "powder"
    assert public.species == ["Saiga tatarica"]
    assert set(public.to_json()) == {"code", "known", "legalOrigin", "species", "productType", "message"}
    seized = next(i.code for i in season.irregularities if i.kind == "seized_registered_code")
    assert seized is not None and not public_check(registry.uow(), seized, yields).legal_origin
    unknown = public_check(registry.uow(), "urn:epc:id:sgtin:4870002.000001.999999", yields)
    assert not unknown.known and not unknown.legal_origin
