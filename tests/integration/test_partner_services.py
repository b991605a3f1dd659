"""The partner exchange's services on both databases: the exporter applying an import confirmation
and onward-processing reports, the importer applying a notice, recording the arrival and reporting
its processing, and the traces that follow items across the border from both sides.

Messages are kept and applied as `receive_message` does once their signature is checked (the
signature checks run over HTTP in tests/e2e/test_partner_exchange.py)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kiik.bootstrap.registry import Registry
from kiik.epcis.domain.identifiers import canonical_key
from kiik.inspection.trace import trace_item
from kiik.ledger.domain.signed_documents import read_signed
from kiik.partners.domain.messages import MessageRefused, make_message
from kiik.partners.services.imports import RecordArrival, record_arrival
from kiik.partners.services.inbox import apply_partner_message
from kiik.partners.services.registries import add_partner
from tests.e2e.test_partner_exchange import export_season, outbox
from tests.e2e.test_partner_loop import process
from tests.support.exports import export_to
from tests.support.partner import china_world, registry_at
from tests.support.season import horn, open_register, small_season
from tests.support.world import make_world

KEY = [("partner-key-1", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")]


def keep(registry: Registry, kind: str, sender: str, recipient: str, body: Mapping[str, Any], n: int) -> None:
    """Keep a partner's message in the inbox and apply it, in one transaction."""
    message_id = f"urn:uuid:00000000-0000-4000-8000-{n:012d}"
    now = datetime.now(UTC).replace(tzinfo=None)
    text = make_message(kind, message_id, sender, recipient, now, body, KEY[0][0], lambda _: b"\0" * 64)
    payload = read_signed(text).payload
    with registry.uow() as uow:
        partner = uow.partners.by_country(sender)
        number = body.get("permit_number") or body.get("permit", {}).get("number")
        uow.partners.receive(message_id, partner.id, kind, number, text)
        apply_partner_message(uow, payload)
        uow.commit()


def permit_status(registry: Registry, number: str) -> str:
    with registry.uow() as uow:
        return str(uow.cites.permits.by_number(number).status.value)


def test_the_exporter_closes_the_permit_and_follows_its_lot_into_the_partners_product(
    registry: Registry,
) -> None:
    world = make_world(registry)
    open_register(registry, world)
    season = small_season(registry, world)
    add_partner(registry.uow(), None, "CN", "China", "http://127.0.0.1:9", KEY)
    add_partner(registry.uow(), None, "JP", "Japan", "http://127.0.0.1:9", KEY)
    lots = list(season.lots)
    number = export_to(registry, world, lots[:2], "CN")
    [notice] = [m for m in outbox(registry) if m.kind == "export-notice"]
    assert notice.permit_number == number
    lot = canonical_key(lots[0])

    confirmation = {"permit_number": number, "items": [{"item": lot, "notified_kg": 1.8, "received_kg": 1.7}]}
    with pytest.raises(MessageRefused, match="only the importing country's registry"):
        keep(registry, "import-confirmation", "JP", "KZ", confirmation, 1)
    keep(registry, "import-confirmation", "CN", "KZ", {**confirmation, "missing": [lots[1]]}, 2)
    assert permit_status(registry, number) == "closed"
    with pytest.raises(MessageRefused, match="closed"):
        keep(registry, "import-confirmation", "CN", "KZ", confirmation, 3)

    extract = "urn:epc:class:lgtin:6900002.000001.EXT-1"
    made = {
        "type": "TransformationEvent",
        "eventTime": "2026-12-01T08:00:00.000Z",
        "eventTimeZoneOffset": "+08:00",
        "inputQuantityList": [{"epcClass": lots[0], "quantity": 1.7, "uom": "KGM"}],
        "outputQuantityList": [{"epcClass": extract, "quantity": 0.5, "uom": "KGM"}],
        "bizStep": "commissioning",
        "ilmd": {"kiik:productType": "extract"},
    }
    with pytest.raises(MessageRefused, match="no permit .* for export to JP"):
        keep(registry, "onward-processing", "JP", "KZ", {"permit_number": number, "events": [made]}, 4)
    unrelated = {**made, "inputQuantityList": [{"epcClass": lots[2], "quantity": 1.8, "uom": "KGM"}]}
    with pytest.raises(MessageRefused, match="uses none of the items"):
        keep(registry, "onward-processing", "CN", "KZ", {"permit_number": number, "events": [unrelated]}, 5)
    keep(registry, "onward-processing", "CN", "KZ", {"permit_number": number, "events": [made]}, 6)

    # The ministry's trace of a horn of the lot reaches the extract, marked as China's report.
    trace = trace_item(registry.uow(), world["ministry"].principal, horn(1))
    [(_, [lot_node])] = trace.lineage.forward.used_in
    [(step, [product])] = lot_node.used_in
    assert step.reported_by is not None and step.recorded_by is None
    assert (step.reported_by.country, step.reported_by.permit) == ("CN", number)
    assert step.reported_by.message_kind == "onward-processing"
    assert (product.key, product.mass_kg, product.product_type) == (canonical_key(extract), 0.5, "extract")
    assert product.reported_by == step.reported_by and product in trace.lineage.products
    # The other lot, on the same permit but not processed, has nothing grafted.
    other = trace_item(registry.uow(), world["ministry"].principal, horn(9))
    assert [s.reported_by for s, _ in other.lineage.forward.used_in[0][1][0].used_in] == []


def test_the_importer_records_the_arrival_reports_processing_and_traces_back_to_harvest(
    registry: Registry, tmp_path: Path
) -> None:
    kz = registry_at(tmp_path / "kz.db", "KZ")
    add_partner(kz.uow(), None, "CN", "China", "http://127.0.0.1:9", KEY)
    number = export_season(kz)
    [notice] = outbox(kz)
    kz.engine.dispose()
    payload = read_signed(notice.message).payload
    lots = payload["body"]["items"]

    china = china_world(registry)
    add_partner(registry.uow(), None, "KZ", "Kazakhstan", "http://127.0.0.1:9", KEY)
    keep(registry, "export-notice", "KZ", "CN", payload["body"], 7)
    arrival = record_arrival(
        registry.uow(),
        china["cn-customs"].principal,
        RecordArrival(number, [lots[0], lots[1]], {lots[0]: 1.75}),
    )
    assert arrival["items"][0] == {"item": lots[0], "notified_kg": 1.8, "received_kg": 1.75}
    extract = process(registry, china, lots[0])
    sent = {m.kind: m for m in outbox(registry)}
    assert set(sent) == {"import-confirmation", "onward-processing"}
    report = read_signed(sent["onward-processing"].message).payload
    assert (report["from"], report["to"], report["body"]["permit_number"]) == ("CN", "KZ", number)

    trace = trace_item(registry.uow(), china["cn-plant"].principal, extract)
    assert trace.verdict.origin_traced and trace.verdict.animals == 4
    assert {s.key for s in trace.lineage.sources} == {canonical_key(horn(n)) for n in range(1, 9)}
    assert all(
        s.origin and s.origin.reported_by and s.origin.fields["population"] == "Ural"
        for s in trace.lineage.sources
    )
    assert sum(s.share or 0 for s in trace.lineage.sources) == pytest.approx(1.0)
    assert trace.lineage.origins is not None and trace.lineage.origins.populations[0].population == "Ural"
