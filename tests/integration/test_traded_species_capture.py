"""The other traded species at capture: unlisted, banned, out of season, unlisted products are refused."""

from __future__ import annotations

from datetime import UTC, datetime

from kiik.epcis.domain import event_builders as build
from kiik.species.domain.products import TradedProduct
from kiik.species.services.register import read_register, save_product, seed_register
from tests.support.documents import capture, rules_of
from tests.support.world import make_world

CODE = "urn:epc:id:sgtin:4870002.000009.{}"
NO_PERMIT = "trade.take_permit_required"


def taking(n: int, when: datetime, site: str, species: str, product: str | None = None) -> dict:
    ilmd = {"species": species, "productType": product} if product else {"species": species}
    return build.commissioning([CODE.format(n)], when, site, ilmd=ilmd)


def test_the_register_lists_nine_species_with_their_products(registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    assert seed_register(registry.uow()).taxa == 9
    register = read_register(registry.uow(), world["trader"].principal).to_json()
    argali = next(t for t in register["taxa"] if t["scientific_name"] == "Ovis ammon")
    assert argali["products"] == [
        {"product_type": "hunting_trophy", "unit": "H87", "description": "horns and skull of one ram"}
    ]
    assert {r["kind"] for r in argali["rules"]} == {"season"}


def test_unlisted_banned_out_of_season_or_untraded_products_are_refused(registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    seed_register(registry.uow())
    team = world["harvester"]
    october, may = datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC)
    cases = [
        (taking(1, october, team.sgln, "Ursus arctos"), ["species.unlisted"]),
        (taking(2, october, team.sgln, "Panthera uncia"), ["species.banned"]),
        (taking(3, october, team.sgln, "Falco cherrug", "live_bird"), ["species.banned"]),
        # An argali is also taken only under its hunting permit (kiik.trade's rule).
        (taking(4, may, team.sgln, "Ovis ammon", "hunting_trophy"), ["species.out_of_season", NO_PERMIT]),
        (taking(5, october, team.sgln, "Moschus moschiferus", "root"), ["species.product_not_traded"]),
    ]  # fmt: skip
    for event, expected in cases:
        outcome = capture(registry, team.principal, [event])
        assert rules_of(outcome) == expected and outcome.stored == 0, (expected, outcome.errors)
    musk = taking(6, october, team.sgln, "Moschus moschiferus", "musk_pod")
    assert capture(registry, team.principal, [musk]).succeeded


def test_the_ministry_adds_a_product_type_and_it_is_then_accepted(registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    seed_register(registry.uow())
    team = world["harvester"]
    july = datetime(2026, 7, 1, tzinfo=UTC)
    event = taking(7, july, team.sgln, "Moschus moschiferus", "musk_grains")
    assert rules_of(capture(registry, team.principal, [event])) == ["species.product_not_traded"]
    grains = TradedProduct("Moschus moschiferus", "musk_grains", "GRM")
    save_product(registry.uow(), world["ministry"].principal, grains)
    assert capture(registry, team.principal, [event]).succeeded
