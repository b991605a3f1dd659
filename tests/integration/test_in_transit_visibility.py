"""The named destination of a shipment sees the items in transit to it (to prepare the receipt and
check the consignment before it arrives), and the events naming them; nobody else does."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiik.bootstrap.registry import Registry
from kiik.custody.services.queries import query_events
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.identifiers import canonical_key
from kiik.errors import NotFound
from kiik.inspection.trace import item_history, item_state, trace_item
from tests.integration.test_event_query import HORNS, T0, capture, season


def test_the_destination_sees_what_is_in_transit_to_it_and_nobody_else_does(registry: Registry) -> None:
    world = season(registry).world
    warehouse, trader, plant = world["warehouse"], world["trader"], world["plant"]
    shipped = build.shipping(HORNS[2:], T0 + timedelta(days=20), warehouse.sgln, warehouse.pgln, trader.pgln)
    capture(registry, warehouse, [shipped])

    state = item_state(registry.uow(), trader.principal, HORNS[2])
    assert state.status == "in_transit" and state.destination == "trader"
    steps = [entry.biz_step for entry in item_history(registry.uow(), trader.principal, HORNS[2])]
    assert steps[-1] == "shipping" and steps[0] == "commissioning"
    trace = trace_item(registry.uow(), trader.principal, HORNS[3])
    assert trace.item.key == canonical_key(HORNS[3])
    named = query_events(registry.uow(), trader.principal, [("MATCH_anyEPC", HORNS[2])]).events
    assert len(named) == len(steps) and sum(e["bizStep"] == "shipping" for e in named) == 2

    # The plant is neither holder nor destination: the same answer as for an unknown code.
    with pytest.raises(NotFound, match=r"no item .* visible to you"):
        item_state(registry.uow(), plant.principal, HORNS[2])
    # It sees the events that also name horns it holds itself, not the shipment of HORNS[2:] alone.
    seen = query_events(registry.uow(), plant.principal, [("MATCH_anyEPC", HORNS[2])]).events
    assert len(seen) == 3 and sum(e["bizStep"] == "shipping" for e in seen) == 1

    # Once received, the trader sees it as its holder; the warehouse, which shipped it, no longer
    # sees its state (it still sees the events it recorded).
    capture(registry, trader, [build.receiving(HORNS[2:], T0 + timedelta(days=21), trader.sgln)])
    assert item_state(registry.uow(), trader.principal, HORNS[2]).status == "active"
    with pytest.raises(NotFound):
        item_state(registry.uow(), warehouse.principal, HORNS[2])
