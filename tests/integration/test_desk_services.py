"""The services behind the desk's pages, on both databases: organisations listed with their sites,
people and regions; an organisation's code and name checked; a person disabled (log-in refused,
sessions ended) and enabled; the permit queue paged and filtered; an application's review."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from kiik.bootstrap.registry import Registry
from kiik.directory.domain.people import PersonError
from kiik.directory.domain.permissions import NotAllowed, Role
from kiik.directory.services.auth import DirectoryError, add_organisation
from kiik.directory.services.organisations import list_organisations
from kiik.directory.services.people import disable_person, enable_person, list_people
from kiik.directory.services.sessions import LogIn, LoginRefused, active_session, log_in
from kiik.enforcement.services.regions import organisation_regions, set_region
from kiik.permits.services.application import ApplyForPermit, apply_for_permit
from kiik.permits.services.desk import PAGE_SIZE, PermitFilter, permit_page, review_application
from tests.support.people import PASSWORD, person
from tests.support.season import open_register, small_season
from tests.support.world import make_world


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def test_organisations_with_sites_people_and_regions(registry: Registry) -> None:
    world = make_world(registry)
    person(registry, "trader", "exporter.one")
    person(registry, "trader", "exporter.two")
    admin = replace(world["ministry"].principal, role=Role.ADMIN)
    set_region(registry.uow(), admin, "trader", "Almaty")
    found = {o.code: o for o in list_organisations(registry.uow(), admin)}
    assert found["trader"].people == 2 and found["ministry"].people == 0
    assert found["trader"].sites == [("Saiga Export LLP, main site", world["trader"].sgln)]
    assert organisation_regions(registry.uow(), admin) == {"trader": "Almaty"}


@pytest.mark.parametrize(
    ("code", "name", "word"),
    [
        ("", "A name", "code"),
        ("two words", "A name", "code"),
        ("-dash", "A name", "code"),
        ("ok-code", " ", "name"),
    ],
)
def test_an_organisation_needs_a_usable_code_and_a_name(
    registry: Registry, code: str, name: str, word: str
) -> None:
    with pytest.raises(DirectoryError, match=word):
        add_organisation(registry.uow(), code, name, "trader")
    with registry.uow() as uow:
        assert uow.directory.organisations() == []


def test_a_disabled_person_cannot_log_in_and_their_sessions_end(registry: Registry) -> None:
    world = make_world(registry)
    person(registry, "trader", "exporter.one")
    person(registry, "ministry", "ministry.admin", role="admin")
    admin = log_in(registry.uow(), LogIn("ministry.admin", PASSWORD), now()).principal
    session = log_in(registry.uow(), LogIn("exporter.one", PASSWORD), now())
    assert active_session(registry.uow(), session.token, now()) is not None
    with pytest.raises(NotAllowed):
        disable_person(registry.uow(), "exporter.one", world["trader"].principal)  # an operator: no
    with pytest.raises(PersonError, match="yourself"):
        disable_person(registry.uow(), "ministry.admin", admin)
    assert disable_person(registry.uow(), "exporter.one", admin) == 1
    assert active_session(registry.uow(), session.token, now()) is None
    with pytest.raises(LoginRefused):
        log_in(registry.uow(), LogIn("exporter.one", PASSWORD), now())
    assert [p.disabled for p in list_people(registry.uow(), admin) if p.username == "exporter.one"] == [True]
    enable_person(registry.uow(), "exporter.one", admin)
    assert log_in(registry.uow(), LogIn("exporter.one", PASSWORD), now()).token


def test_the_permit_queue_pages_and_filters(registry: Registry) -> None:
    world = make_world(registry)
    open_register(registry, world)
    season = small_season(registry, world)
    trader, ministry = world["trader"].principal, world["ministry"].principal
    for lot in season.lots:
        apply_for_permit(registry.uow(), trader, ApplyForPermit([lot], "Buyer", "CN"))
    everything = permit_page(registry.uow(), ministry, PermitFilter())
    assert everything.total == 3 and everything.pages == 1 and len(everything.permits) == 3
    assert everything.exporters[trader.org_id] == "Saiga Export LLP"
    assert permit_page(registry.uow(), ministry, PermitFilter(status="issued")).total == 0
    assert (
        permit_page(registry.uow(), ministry, PermitFilter(exporter="trader", species="Saiga tatarica")).total
        == 3
    )
    assert permit_page(registry.uow(), ministry, PermitFilter(exporter="nobody")).total == 0
    assert permit_page(registry.uow(), ministry, PermitFilter(page=2)).permits == []
    # An exporter sees only its own; others see none of the trader's.
    assert permit_page(registry.uow(), trader, PermitFilter()).total == 3
    assert permit_page(registry.uow(), world["warehouse"].principal, PermitFilter()).total == 0
    assert PAGE_SIZE == 25


def test_a_review_says_what_the_rules_say(registry: Registry) -> None:
    world = make_world(registry)
    open_register(registry, world, cap=5.0)
    season = small_season(registry, world)
    trader, ministry = world["trader"].principal, world["ministry"].principal
    lots = list(season.lots)
    first = apply_for_permit(registry.uow(), trader, ApplyForPermit(lots[:2], "Buyer", "CN"))
    review = review_application(registry.uow(), ministry, first.id)
    assert review.problems == [] and review.items_held == 2
    assert review.balance is not None and review.balance.remaining == pytest.approx(5.0)
    assert [r.kind.value for r in review.rules] == ["export_under_quota"]
    with pytest.raises(NotAllowed):
        review_application(registry.uow(), trader, first.id)
