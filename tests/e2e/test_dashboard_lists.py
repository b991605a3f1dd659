"""The dashboard's new figures (stock by region, leaks and seizures, flags awaiting review, passages
with detections) and the list pages behind them: each figure's link opens an HTML list that shows
the same number, filters and pages; a filter value that is no choice is refused next to the field;
the costly figures follow a capture at once (their cache is keyed on the newest event)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.directory.domain.permissions import Role
from kiik.directory.domain.regions import region_of
from kiik.enforcement.services.regions import set_region
from kiik.enforcement.services.seizures import record_seizure
from kiik.epcis.domain import event_builders as build
from kiik.species.services.register import seed_register
from kiik.web import listing
from tests.support.documents import capture
from tests.support.enforcement import horn_seizure
from tests.support.season import small_season
from tests.support.world import Member, make_world


def _world(registry: Registry) -> dict[str, str]:
    return _made(registry)[1]


def _made(registry: Registry) -> tuple[dict[str, Member], dict[str, str]]:
    world = make_world(registry)
    seed_register(registry.uow(), quotas=False)
    season = small_season(registry, world, lot_count=1)
    ministry = replace(world["ministry"].principal, role=Role.ADMIN)
    set_region(registry.uow(), ministry, "trader", "West Kazakhstan")
    set_region(registry.uow(), ministry, "warehouse", "Алматы")  # the city, written in Kazakh
    record_seizure(
        registry.uow(), world["customs"].principal, horn_seizure("DASH-1", [season.trader_horns[0]], 1)
    )
    tokens = {code: member.token for code, member in world.items()}
    return world, tokens


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _rows(html: str) -> int:
    return int(re.search(r'<p role="status">([\d,]+) rows?\.', html)[1].replace(",", ""))  # type: ignore[index]


def test_regions_are_read_however_they_are_written() -> None:
    assert region_of("West Kazakhstan").code == "KZ-27"  # type: ignore[union-attr]
    assert region_of("Западно-Казахстанская область").code == "KZ-27"  # type: ignore[union-attr]
    assert region_of("batys qazaqstan oblysy").code == "KZ-27"  # type: ignore[union-attr]
    assert region_of("KZ-75").named("kk") == "Алматы"  # type: ignore[union-attr]
    assert region_of("Chuy") is None and region_of(None) is None


def test_each_new_figure_links_to_a_list_with_the_same_number(registry: Registry) -> None:
    tokens = _world(registry)
    ministry = _auth(tokens["ministry"])
    with TestClient(create_app(registry)) as client:
        board = client.get("/dashboard", headers=ministry).text
        assert 'href="/lists/stock?region=KZ-27"' in board and "Западно" not in board  # English page
        assert 'href="/lists/stock?holder=trader"' in board
        assert "/api/stock" not in board and "/api/permits" not in board
        seized = re.search(r'href="/lists/seizures"><strong>(\d+)</strong>', board)
        assert seized and seized[1] == "1"
        opened = re.search(r'href="/lists/leak-alerts\?status=open"><strong>(\d+)</strong>', board)
        assert opened and opened[1] == "1"  # the seized horn was the trader's: a leak alert
        flags = re.search(r'href="/lists/flags"><strong>(\d+)</strong>', board)
        assert flags and flags[1] == "1"

        assert _rows(client.get("/lists/seizures", headers=ministry).text) == 1
        alerts = client.get("/lists/leak-alerts?status=open", headers=ministry).text
        assert _rows(alerts) == 1 and "DASH-1" in alerts
        assert _rows(client.get("/lists/leak-alerts?status=confirmed_leak", headers=ministry).text) == 0
        assert _rows(client.get("/lists/flags", headers=ministry).text) == 1
        west = client.get("/lists/stock?region=KZ-27", headers=ministry).text
        assert 'data-label="holder">Saiga Export LLP<' in west
        assert (
            'data-label="region">Batys Qazaqstan oblysy<' in west
            and 'data-label="region">Almaty<' not in west
        )
        assert _rows(west) >= 1
        assert _rows(client.get("/lists/stock?region=none&holder=trader", headers=ministry).text) == 0
        permits = client.get("/lists/permits", headers=ministry)
        assert permits.status_code == 200
        russian = client.get("/lists/stock?region=KZ-27", headers=ministry | {"Accept-Language": "ru"}).text
        assert "Западно-Казахстанская область" in russian


def test_lists_refuse_a_bad_filter_or_page_next_to_the_field(registry: Registry) -> None:
    tokens = _world(registry)
    ministry = _auth(tokens["ministry"])
    with TestClient(create_app(registry)) as client:
        bad = client.get("/lists/permits?status=lost", headers=ministry)
        assert bad.status_code == 400
        assert 'aria-describedby="filter-status-error"' in bad.text
        assert 'id="filter-status-error">Not one of the choices' in bad.text
        assert _rows(bad.text) == 0
        past = client.get("/lists/seizures?page=9", headers=ministry)
        assert past.status_code == 400 and "There is no such page" in past.text
        assert client.get("/lists/seizures?page=x", headers=ministry).status_code == 400
        # A trader sees no one's alerts or seizures, and nobody logged in is sent to log in.
        assert client.get("/lists/flags", headers=_auth(tokens["trader"])).status_code == 403
        assert client.get("/lists/seizures", follow_redirects=False).status_code == 303


def test_a_long_list_pages_and_keeps_its_filters(registry: Registry, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    tokens = _world(registry)
    monkeypatch.setattr(listing, "PAGE_SIZE", 1)
    ministry = _auth(tokens["ministry"])
    with TestClient(create_app(registry)) as client:
        first = client.get("/lists/stock?status=active", headers=ministry).text
        total = _rows(first)
        assert total >= 2
        assert 'href="/lists/stock?status=active&amp;page=2" rel="next"' in first
        second = client.get("/lists/stock?status=active&page=2", headers=ministry).text
        assert "Page 2 of" in second and 'rel="prev"' in second


def test_the_dashboard_follows_a_capture_at_once(registry: Registry) -> None:
    world, tokens = _made(registry)
    ministry = _auth(tokens["ministry"])
    events = re.compile(r"([\d,]+) events recorded\.")

    def recorded(client: TestClient) -> int:
        return int(events.search(client.get("/dashboard", headers=ministry).text)[1].replace(",", ""))  # type: ignore[index]

    with TestClient(create_app(registry)) as client:
        before = recorded(client)
        assert recorded(client) == before  # kept
        team = world["harvester"]
        event = build.commissioning(
            ["urn:epc:id:sgtin:4870002.000001.777"],
            datetime(2025, 9, 12, 8, tzinfo=UTC),
            team.sgln,
            ilmd={"massKg": 0.3},
        )
        assert capture(registry, team.principal, [event]).succeeded
        assert recorded(client) == before + 1


def test_passages_with_detections_are_counted_and_listed(registry: Registry, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.support.monitoring import scientists, zipped
    from tests.support.small_passage import write_small_passage

    tokens = _world(registry)
    _, token = scientists(registry)
    ministry = _auth(tokens["ministry"])
    with TestClient(create_app(registry)) as client:
        package = client.post(
            "/api/monitoring/camtrap-packages",
            content=zipped(write_small_passage(tmp_path)),
            headers=_auth(token),
        )
        assert package.status_code == 201, package.text
        board = client.get("/dashboard", headers=ministry).text
        counted = re.search(
            r'href="/lists/passages\?detections=yes"><strong>(\d+)</strong> passages with', board
        )
        assert counted and int(counted[1]) >= 1
        listed = client.get("/lists/passages?detections=yes", headers=ministry).text
        assert _rows(listed) == int(counted[1])
        detections = re.findall(r'data-label="detections" class="num">([\d,]+)<', listed)
        assert detections and all(int(d.replace(",", "")) > 0 for d in detections)
        assert _rows(client.get("/lists/passages?detections=no", headers=ministry).text) + _rows(
            listed
        ) == _rows(client.get("/lists/passages", headers=ministry).text)

        # What the traps saw that someone must act on: the dashboard's figure per kind opens its list.
        vehicles = re.search(r'href="/lists/passage-alerts\?kind=vehicle"><strong>(\d+)</strong>', board)
        assert vehicles and vehicles[1] == "1"
        seen = client.get("/lists/passage-alerts?kind=vehicle", headers=ministry)
        assert seen.status_code == 200 and _rows(seen.text) == 1 and "media/d1/IMG_0009.JPG" in seen.text
        russian = client.get(
            "/lists/passage-alerts?kind=vehicle", headers=ministry | {"Accept-Language": "ru"}
        )
        assert "машина" in russian.text and "vehicle</td>" not in russian.text
        assert _rows(client.get("/lists/passage-alerts?kind=person", headers=ministry).text) == 0
        refused = client.get("/lists/passage-alerts?passage=nowhere", headers=ministry)
        assert refused.status_code == 400 and "Not one of the choices" in refused.text
