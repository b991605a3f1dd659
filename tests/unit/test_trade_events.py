"""The events trade builds are valid EPCIS 2.0 (the capture's reader finds no problem in them)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from kiik.epcis.adapters.capture_source import open_capture_document
from kiik.epcis.domain import event_builders as build
from kiik.trade.domain import events

LOT = "https://id.gs1.org/01/04870004000308/10/L1"
BATCH = "https://id.gs1.org/01/04870002000201/10/D1"
SITE = "urn:epc:id:sgln:4870004.00000.0"
WHEN = datetime(2025, 8, 6, 10, tzinfo=UTC)


def test_every_trade_event_is_valid_epcis() -> None:
    built = [
        events.carcass_batch(BATCH, 150.0, WHEN, SITE, {"species": "Saiga tatarica", "carcasses": 10}),
        events.lot_shipped(
            BATCH, WHEN, SITE, "urn:epc:id:pgln:4870002.00000", "urn:epc:id:pgln:4870004.00000", SITE
        ),
        events.lot_received(BATCH, WHEN, SITE),
        events.processed([(BATCH, 150.0)], [(LOT, 75.0)], WHEN, SITE, "meat_cuts", "VET-1"),
        events.packs_sold(LOT, 12, WHEN, SITE),
        events.recall(LOT, WHEN, SITE, "Listeria"),
        events.derivative_sale(
            "s1",
            ["https://id.gs1.org/01/04870002000096/21/1"],
            [(LOT, 0.5)],
            WHEN,
            SITE,
            "pharmacy",
            "Apteka No. 1, Almaty",
            250000.0,
        ),
    ]
    reader = open_capture_document(json.dumps(build.document(built)).encode())
    read = list(reader.events())
    assert len(read) == len(built)
    assert [e.problems for e in read] == [[] for _ in built]
    assert reader.document_problems() == []


def test_packs_sold_are_counted_without_a_unit_or_in_pieces_never_in_kilograms() -> None:
    from kiik.epcis.domain.event_facts import QuantityLine

    lines = [QuantityLine(LOT, 3, None), QuantityLine(LOT, 2, "H87"), QuantityLine(BATCH, 1.5, "KGM")]
    assert events.sold_packs(lines) == {LOT: 5}
