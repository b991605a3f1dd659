"""Where sites are and whom to contact at an organisation, through the pages, on both databases:
an organisation's contact is added and changed with each refusal next to its field (in Kazakh and
Russian too) and nothing changed, the audit trail keeping what it was; a site's region is read in any
spelling and kept as its ISO 3166-2 code, its coordinates checked; the dashboard's map puts stock at
its site's coordinates and stock by region counts it in its site's region; the command line does
the same through the same services."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import select

from kiik.bootstrap.registry import Registry
from kiik.directory.adapters.tables import admin_audit
from kiik.directory.domain.contact import read_contact
from kiik.directory.domain.errors import DirectoryError
from kiik.directory.domain.permissions import Role
from kiik.directory.domain.places import read_place
from kiik.enforcement.services.regions import set_region
from kiik.species.services.register import seed_register
from tests.e2e.test_cli import kiik
from tests.e2e.test_desk_pages import Desk, client_of
from tests.e2e.test_worded_refusals import Person
from tests.support.people import person
from tests.support.season import small_season
from tests.support.world import make_world


def _staff(registry: Registry) -> dict[str, Any]:
    world = make_world(registry)
    person(registry, "ministry", "ministry.admin", role="admin")
    return world


def _audit(registry: Registry, action: str) -> list[dict[str, Any]]:
    with registry.engine.connect() as connection:
        query = select(admin_audit.c.subject, admin_audit.c.details).where(admin_audit.c.action == action)
        return [{"subject": r.subject, **dict(r.details)} for r in connection.execute(query)]


def _site(registry: Registry, code: str) -> Any:
    with registry.uow() as uow:
        org = uow.directory.organisation(code)
        assert org is not None
        return uow.directory.sites(org.id)[0]


def _contact(registry: Registry, code: str) -> Any:
    with registry.uow() as uow:
        org = uow.directory.organisation(code)
    assert org is not None
    return org.contact


CONTACT = {
    "contact_person": "Aigerim Bekova, head of exports",
    "contact_phone": "+7 (727) 250-00-00",
    "contact_email": "exports@saiga-export.kz",
    "postal_address": "Dostyk Avenue 12\nAlmaty 050010",
}


def test_the_rules_read_places_and_contacts() -> None:
    assert read_place("Западно-Казахстанская область", "51,23", " 51.37 ").to_json() == {
        "region": "KZ-27",
        "latitude": 51.23,
        "longitude": 51.37,
    }
    assert read_place("", "", "").to_json() == {"region": None, "latitude": None, "longitude": None}
    for region, latitude, longitude, field in (
        ("Chuy", "", "", "region"),
        ("", "91", "51", "latitude"),
        ("", "nan", "51", "latitude"),
        ("", "51", "-180.5", "longitude"),
        ("", "51", "", "longitude"),
        ("", "", "51", "latitude"),
    ):
        with pytest.raises(DirectoryError, match=f"^{field}: "):
            read_place(region, latitude, longitude)
    assert read_contact(" A ", "+7 7172 74 00 00", "a@b.kz", " x \n\n y ").postal_address == "x\ny"
    for phone, email, field in (("12-34", "", "telephone"), ("call me", "", "telephone"),
                                ("", "a@b", "e-mail"), ("", "a b@c.kz", "e-mail")):  # fmt: skip
        with pytest.raises(DirectoryError, match=f"^{field}: "):
            read_contact("", phone, email, "")


def test_a_contact_is_added_and_changed_with_refusals_next_to_the_field(registry: Registry) -> None:
    _staff(registry)
    with client_of(registry) as client:
        admin = Desk(client, "ministry.admin")
        base = {"name": "Saiga Export LLP", "kind": "trader"}
        for field, value in (
            ("contact_phone", "twelve"),
            ("contact_email", "exports-at-saiga"),
            ("contact_person", "x" * 201),
            ("postal_address", "x" * 401),
        ):
            refused = admin.post("/organisations/trader", {**base, **CONTACT, field: value})
            assert refused.status_code == 400 and f'id="{field}-error"' in refused.text, (field, refused.text)
            assert f'aria-describedby="{field}-error"' in refused.text
        assert (
            _contact(registry, "trader").contact_email == ""
            and _audit(registry, "organisation.changed") == []
        )
        changed = admin.post("/organisations/trader", {**base, **CONTACT})
        assert changed.status_code == 303
        shown = admin.get("/organisations/trader").text
        assert (
            'value="exports@saiga-export.kz"' in shown
            and "Dostyk Avenue 12\nAlmaty 050010</textarea>" in shown
        )
        assert _contact(registry, "trader").to_json() == CONTACT
        [entry] = _audit(registry, "organisation.changed")
        assert entry["contact_email"] == ["", "exports@saiga-export.kz"] and "name" not in entry
        admin.post("/organisations/trader", {**base, **CONTACT, "contact_phone": ""})
        assert _audit(registry, "organisation.changed")[-1]["contact_phone"] == [CONTACT["contact_phone"], ""]
        added = admin.post(
            "/organisations", {"code": "aral", "name": "Aral LLP", "kind": "trader", "contact_email": "no"}
        )
        assert added.status_code == 400 and 'id="contact_email-error"' in added.text
        with registry.uow() as uow:
            assert uow.directory.organisation("aral") is None  # refused before anything was added
        added = admin.post(
            "/organisations", {"code": "aral", "name": "Aral LLP", "kind": "trader", **CONTACT}
        )
        assert (
            added.status_code == 303
            and _contact(registry, "aral").contact_person == CONTACT["contact_person"]
        )
        listed = admin.get("/organisations").text  # the list says whom to call, a tap away on a phone
        phone = CONTACT["contact_phone"].replace(" ", "")
        assert CONTACT["contact_person"] in listed and f'href="tel:{phone}"' in listed
        assert f'href="mailto:{CONTACT["contact_email"]}"' in listed


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_refusals_of_a_contact_and_a_place_read_in_the_persons_language(
    registry: Registry, language: str
) -> None:
    world = _staff(registry)
    admin = Person(registry, "ministry.admin", language)
    base = {"name": "Saiga Export LLP", "kind": "trader"}
    refused = admin.post("/organisations/trader", {**base, "contact_phone": "twelve"})
    with pytest.raises(DirectoryError) as phone:
        read_contact("", "twelve", "", "")
    admin.reads(refused, phone.value.args[0])
    site = world["warehouse"].sgln
    placed = admin.post("/organisations/warehouse/sites/place", {"site": site, "region": "Chuy"})
    assert placed.status_code == 400 and 'id="place-region-error"' in placed.text
    with pytest.raises(DirectoryError) as region:
        read_place("Chuy", "", "")
    admin.reads(placed, region.value.args[0])
    half = admin.post("/organisations/warehouse/sites/place", {"site": site, "latitude": "43.35"})
    with pytest.raises(DirectoryError) as alone:
        read_place("", "43.35", "")
    assert 'id="place-longitude-error"' in half.text
    admin.reads(half, alone.value.args[0])
    assert _site(registry, "warehouse").place.to_json()["region"] is None


def test_a_site_is_placed_and_the_dashboard_puts_its_stock_there(registry: Registry) -> None:
    world = _staff(registry)
    seed_register(registry.uow(), quotas=False)
    small_season(registry, world, lot_count=1)
    ministry = replace(world["ministry"].principal, role=Role.ADMIN)
    set_region(registry.uow(), ministry, "trader", "West Kazakhstan")
    warehouse, trader = world["warehouse"].sgln, world["trader"].sgln
    with client_of(registry) as client:
        admin = Desk(client, "ministry.admin")
        for field, form in (
            ("region", {"region": "Atlantis"}),
            ("latitude", {"latitude": "north", "longitude": "76.9"}),
            ("longitude", {"latitude": "43.3", "longitude": "200"}),
        ):
            refused = admin.post("/organisations/warehouse/sites/place", {"site": warehouse, **form})
            assert refused.status_code == 400 and f'id="place-{field}-error"' in refused.text, field
        assert _audit(registry, "site.placed") == []
        place = {"site": warehouse, "region": "Алматы", "latitude": "43.3505", "longitude": "77.0106"}
        assert admin.post("/organisations/warehouse/sites/place", place).status_code == 303
        assert (
            admin.post(
                "/organisations/trader/sites/place",
                {"site": trader, "region": "mangystau", "latitude": "43.65", "longitude": "51.17"},
            ).status_code
            == 303
        )
        assert _site(registry, "warehouse").place.to_json() == {
            "region": "KZ-75",
            "latitude": 43.3505,
            "longitude": 77.0106,
        }
        [first, _] = _audit(registry, "site.placed")
        assert first["subject"] == warehouse and first["region"] == [None, "KZ-75"]
        tree = admin.get("/organisations/warehouse/sites").text
        assert "(KZ-75)" in tree and "43.3505° N, 77.0106° E" in tree
        yard = {"sgln": "urn:epc:id:sgln:4870003.00000.7", "name": "Yard", "region": "KZ-99"}
        refused = admin.post("/organisations/warehouse/sites", yard)
        assert refused.status_code == 400 and 'id="region-error"' in refused.text
        yard.update(region="Almaty", latitude="43.2", longitude="76.9")
        assert admin.post("/organisations/warehouse/sites", yard).status_code == 303
        board = admin.get("/dashboard").text
    data = json.loads(re.search(r'id="dashboard-data">(.*?)</script>', board, re.S)[1])  # type: ignore[index]
    # Only the trader holds stock (the warehouse, placed too, holds none): at its site's coordinates,
    # in its site's region (Mangystau), not its own (West Kazakhstan), and not again at a region's centre.
    [at_site] = data["map"]["sites"]
    assert (at_site["code"], at_site["lat"], at_site["lon"]) == (trader, 43.65, 51.17)
    assert at_site["count"] == 2 and at_site["holders"] == 1
    assert 'href="/lists/stock?region=KZ-47"' in board and 'href="/lists/stock?region=KZ-27"' not in board
    assert data["map"]["holders"] == []
    with client_of(registry) as client:
        listed = Desk(client, "ministry.admin").get("/lists/stock?region=KZ-47").text
    assert 'data-label="region">Mangghystaū oblysy<' in listed


def test_the_command_line_places_a_site_and_changes_a_contact(registry: Registry) -> None:
    world = make_world(registry)
    url, site = registry.settings.database_url, world["warehouse"].sgln
    refused = kiik("site", "place", site, "--latitude", "95", "--longitude", "1", db=url, check=False)
    assert refused.returncode != 0 and "latitude: '95' is not a latitude" in refused.stderr
    kiik("site", "place", site, "--region", "KZ-75", "--latitude", "43.35", "--longitude", "77.01", db=url)
    kept = kiik("site", "place", site, "--region", "Almaty Region", db=url)  # the coordinates stay
    assert "KZ-75" in kept.stdout and "KZ-19" in kept.stdout
    assert _site(registry, "warehouse").place.to_json() == {
        "region": "KZ-19",
        "latitude": 43.35,
        "longitude": 77.01,
    }
    kiik("org", "change", "trader", "--contact-email", "a@b.kz", db=url)
    assert _contact(registry, "trader").contact_email == "a@b.kz"
    wrong = kiik("org", "change", "trader", "--contact-phone", "123", db=url, check=False)
    assert wrong.returncode != 0 and "telephone: '123' is not a telephone number" in wrong.stderr
    assert _contact(registry, "trader").contact_phone == ""
