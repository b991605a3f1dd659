"""An argali trophy from its hunting permit to its CITES export permit, and liquorice collected by
mass from an area, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kiik.errors import NotFound
from kiik.trade.domain.errors import TradeError, TradeRefused
from kiik.trade.services.takings import IssueTakePermit, Take, issue_take_permit, take, take_permits
from tests.support.exports import export_to
from tests.support.world import make_world

TROPHY = "urn:epc:id:sgtin:4870005.000077.{}"
ROOT = "urn:epc:class:lgtin:4870005.000088.{}"


def rules(error: TradeRefused) -> list[str]:
    return [p.rule for p in error.problems]


def when(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 9, tzinfo=UTC)


def test_an_argali_trophy_from_hunting_permit_to_export(registry) -> None:  # type: ignore[no-untyped-def]
    from kiik.species.services.register import seed_register

    world = make_world(registry)
    seed_register(registry.uow())
    ministry, outfitter = world["ministry"].principal, world["trader"].principal
    yields = registry.settings.yields
    permit = IssueTakePermit(
        "HUNT-2026-0042", "hunting", "Ovis ammon", "Karatau hunting ground",
        date(2026, 9, 1), date(2026, 12, 31), "trader", 1,
    )  # fmt: skip
    with pytest.raises(TradeError, match="taken under a hunting permit, not a collection one"):
        issue_take_permit(
            registry.uow(), ministry, IssueTakePermit(**{**permit.__dict__, "kind": "collection"})
        )
    issue_take_permit(registry.uow(), ministry, permit)
    with pytest.raises(TradeRefused) as refused:  # before the permit (and the season) opens
        take(registry.uow(), outfitter, Take("HUNT-2026-0042", TROPHY.format(1), when(8, 20), 14.0), yields)
    assert rules(refused.value) == ["species.out_of_season", "trade.outside_permit_dates"]
    with pytest.raises(TradeRefused) as refused:  # the permit is the outfitter's
        take(
            registry.uow(),
            world["plant"].principal,
            Take("HUNT-2026-0042", TROPHY.format(1), when(10, 2)),
            yields,
        )
    assert rules(refused.value) == ["trade.not_permit_holder"]
    trophy = take(
        registry.uow(), outfitter, Take("HUNT-2026-0042", TROPHY.format(1), when(10, 2), 14.0), yields
    )
    with pytest.raises(TradeRefused) as refused:  # one ram per permit
        take(registry.uow(), outfitter, Take("HUNT-2026-0042", TROPHY.format(2), when(10, 3), 12.0), yields)
    assert rules(refused.value) == ["trade.permit_exhausted"]
    number = export_to(registry, world, [trophy], "DE")
    [listed] = take_permits(registry.uow(), world["inspector"].principal)
    assert listed["taken"] == [{"code": trophy, "amount": 1.0, "on": "2026-10-02"}]
    from kiik.inspection.trace import trace_item

    trace = trace_item(registry.uow(), world["inspector"].principal, trophy)
    assert [(e.biz_step, e.disposition) for e in (trace.history[0], trace.history[-1])] == [
        ("commissioning", "active"),
        ("departing", "urn:kiik:disp:exported"),
    ]
    assert number == "KZ/2026/000001"  # the CITES export permit it left under, endorsed by customs


def test_liquorice_collected_by_mass_within_its_permit(registry) -> None:  # type: ignore[no-untyped-def]
    from kiik.species.services.register import seed_register

    world = make_world(registry)
    seed_register(registry.uow())
    collector, yields = world["harvester"].principal, registry.settings.yields
    issue_take_permit(
        registry.uow(),
        world["ministry"].principal,
        IssueTakePermit(
            "COLL-2026-0007", "collection", "Glycyrrhiza glabra", "Syr Darya floodplain, plot 12",
            date(2026, 4, 1), date(2026, 10, 31), "harvester", 5000.0,
        ),
    )  # fmt: skip
    first = take(
        registry.uow(), collector, Take("COLL-2026-0007", ROOT.format("R1"), when(6, 1), 3200.0), yields
    )
    with pytest.raises(TradeRefused) as refused:
        take(registry.uow(), collector, Take("COLL-2026-0007", ROOT.format("R2"), when(6, 8), 2000.0), yields)
    assert rules(refused.value) == ["trade.permit_exhausted"] and "3200 are taken already" in str(
        refused.value
    )
    take(registry.uow(), collector, Take("COLL-2026-0007", ROOT.format("R3"), when(6, 9), 1800.0), yields)
    with pytest.raises(TradeError, match="by its mass"):
        take(registry.uow(), collector, Take("COLL-2026-0007", ROOT.format("R4"), when(6, 10)), yields)
    with pytest.raises(NotFound):
        take(registry.uow(), collector, Take("COLL-1999", ROOT.format("R5"), when(6, 10), 1.0), yields)
    [permit] = take_permits(registry.uow(), collector)
    assert [(t["code"], t["amount"]) for t in permit["taken"]] == [
        (first, 3200.0),
        ("https://id.gs1.org/01/04870005000888/10/R3", 1800.0),
    ]
