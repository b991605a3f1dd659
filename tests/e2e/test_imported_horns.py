"""Whole horns exported one by one (SGTIN, no lot): the importing registry registers them with the
mass and product type the notice states, so its plant can process them and its trace of the
product reaches back to the harvest in the exporting country."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import httpx

from kiik.epcis.adapters.reader import validate_event
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.identifiers import canonical_key
from kiik.partners.services.delivery import deliver_outbox
from kiik.partners.services.imports import RecordArrival, record_arrival
from kiik.permits.services.application import ApplyForPermit, apply_for_permit
from kiik.permits.services.decisions import IssuePermit, issue_permit
from kiik.permits.services.endorsement import EndorseExport, endorse_export
from tests.support.documents import capture
from tests.support.partner import linked_registries
from tests.support.season import ok, open_register, small_season
from tests.support.world import make_world

POWDER = "urn:epc:class:lgtin:6900002.000002.PWD-CN-1"


def test_imported_horns_keep_their_mass_and_the_importers_plant_makes_powder_of_them(tmp_path: Path) -> None:
    with linked_registries(tmp_path) as link:
        kz, cn, customs, plant = link.kz, link.cn, link.china["cn-customs"], link.china["cn-plant"]
        world = make_world(kz)
        open_register(kz, world, cap=100.0)
        horns = small_season(kz, world, lot_count=1).trader_horns  # two whole horns
        keys = [canonical_key(h) for h in horns]
        application = ApplyForPermit(horns, "Tongrentang Import Co.", "CN", "Beijing")
        applied = apply_for_permit(kz.uow(), world["trader"].principal, application)
        permit = issue_permit(kz.uow(), world["ministry"].principal, IssuePermit(applied.id))
        number = str(permit.number)
        endorsement = EndorseExport(number, horns)
        customs_kz = world["customs"].principal
        endorse_export(kz.uow(), customs_kz, endorsement, validate_event, custody_rules=True, yields={})
        assert deliver_outbox(kz.uow, link.client, force=True).delivered
        with kz.uow() as uow:
            exported = uow.items.load(keys)

        # China: the horns are registered with the exporter's masses and product type.
        with cn.uow() as uow:
            registered = uow.items.load(keys)
        for key in keys:
            assert registered[key].mass_kg == exported[key].mass_kg is not None
            assert registered[key].product_type == exported[key].product_type == "whole_horn"

        # Customs receives them, hands them to the plant, which grinds them into powder.
        record_arrival(cn.uow(), customs.principal, RecordArrival(number, horns))
        at = datetime.now(UTC)
        shipped = build.shipping(horns, at, customs.sgln, customs.pgln, plant.pgln)
        ok(capture(cn, customs.principal, [shipped]))
        ok(capture(cn, plant.principal, [build.receiving(horns, at + timedelta(milliseconds=1), plant.sgln)]))
        total = sum(exported[k].mass_kg or 0.0 for k in keys)
        made = build.transformation(
            horns, [(POWDER, round(total * 0.8, 3))], at + timedelta(milliseconds=2), plant.sgln, "powder"
        )
        ok(capture(cn, plant.principal, [made]))

        # The importer's trace of its powder reaches back through the notice to the harvest.
        trace = httpx.get(
            f"{link.cn_url}/api/items/{quote(POWDER, safe='')}/trace",
            headers={"Authorization": f"Bearer {plant.token}"},
        ).json()
        assert trace["verdict"]["origin_traced"]
        assert trace["verdict"]["species"] == ["Saiga tatarica"]
        assert sorted(s["key"] for s in trace["lineage"]["sources"]) == sorted(keys)
        for source in trace["lineage"]["sources"]:
            assert source["origin"]["ilmd"]["kiik:harvestAuthorisation"]
            assert source["origin"]["reported_by"]["country"] == "KZ"
