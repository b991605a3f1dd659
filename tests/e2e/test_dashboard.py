"""The ministry's dashboard: each panel is a service's answer with a link to the list behind it; in a
browser the map draws the population ranges over the country outlines and the charts draw, within
the JavaScript budget and with no serious accessibility violation."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.monitoring.services.census import import_census
from kiik.permits.services.application import ApplyForPermit, apply_for_permit
from tests.support.browser import (
    DESKTOP,
    JAVASCRIPT_BUDGET,
    PHONE_360,
    axe_problems,
    chromium,
    horizontal_overflow,
    javascript_bytes,
    screenshot,
    served,
)
from tests.support.monitoring import CENSUS_FILE, scientists
from tests.support.people import PASSWORD, person
from tests.support.season import open_register, small_season
from tests.support.world import make_world


def _season(registry: Registry) -> dict[str, str]:
    world = make_world(registry)
    open_register(registry, world)
    season = small_season(registry, world, lot_count=2)
    apply_for_permit(
        registry.uow(),
        world["trader"].principal,
        ApplyForPermit([list(season.lots)[0]], "Tongrentang", "CN", "Beijing"),
    )
    import_census(registry.uow(), scientists(registry)[0], CENSUS_FILE.read_text())
    return {code: member.token for code, member in world.items()}


def test_the_dashboard_shows_each_figure_with_its_list(registry: Registry) -> None:
    tokens = _season(registry)
    with TestClient(create_app(registry)) as client:
        ministry = {"Authorization": f"Bearer {tokens['ministry']}"}
        page = client.get("/dashboard", headers=ministry)
        assert page.status_code == 200
        text = page.text
        # The same figures as the API's lists the links lead to.
        stock = client.get("/api/stock", headers=ministry).json()
        holders = {h["org"]["code"]: h["org"]["name"] for h in stock["holdings"]}
        assert "trader" in holders
        for code, name in holders.items():
            assert f'href="/lists/stock?holder={code}">{name}</a>' in text
        assert 'href="/lists/stock?status=active"' in text
        assert re.search(r'href="/lists/permits\?status=applied"><strong>1</strong> awaiting review', text)
        # The list behind a figure is a page with the same number.
        applied = client.get("/lists/permits?status=applied", headers=ministry).text
        assert '<p role="status">1 row.' in applied
        year = datetime.now(UTC).year
        assert f'href="/lists/quota-use?year={year}"' in text
        assert "/api/" not in text.split("<main", 1)[1].split("</main>", 1)[0]  # every list is a page
        quota = client.get(f"/lists/quota-use?year={year}", headers=ministry).text
        assert f'data-label="year">{year}<' in quota and "every exporter" in quota
        census = client.get("/lists/census?population=Ural", headers=ministry).text
        rows = int(re.search(r'<p role="status">(\d+) rows?\.', census)[1])  # type: ignore[index]
        assert rows >= 1 and 'data-label="population">Betpakdala<' not in census
        assert client.get("/lists/offtake", headers=ministry).status_code == 200
        data = json.loads(
            re.search(r'<script type="application/json" id="dashboard-data">(.*?)</script>', text, re.S)[1]
        )
        assert {f["properties"]["population"] for f in data["map"]["ranges"]["features"]} == {
            "Ural",
            "Betpakdala",
            "Ustyurt",
        }
        assert set(data["charts"]["census"]) >= {"Ural", "Betpakdala", "Ustyurt"}
        assert (
            client.get("/dashboard", headers={"Authorization": f"Bearer {tokens['trader']}"}).status_code
            == 403
        )
        assert client.get("/dashboard", follow_redirects=False).status_code == 303


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    """Browser tests run on SQLite: the pages read through the same services on both databases."""
    return sqlite_url


@pytest.fixture
def site(registry: Registry) -> Iterator[str]:
    _season(registry)
    person(registry, "ministry", "aigerim", "admin")
    with served(create_app(registry)) as base:
        yield base


def test_the_map_and_charts_draw_on_a_phone_and_a_desktop(site: str) -> None:
    with chromium() as browser:
        for size, viewport in (("phone", PHONE_360), ("desktop", DESKTOP)):
            page = browser.new_context(viewport=viewport, locale="kk", bypass_csp=size == "phone").new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error, seen=errors: seen.append(str(error)))
            page.goto(site + "/")
            page.fill("#username", "aigerim")
            page.fill("#password", PASSWORD)
            with page.expect_navigation():
                page.press("#password", "Enter")
            page.goto(site + "/dashboard")
            page.wait_for_selector("#census-chart canvas")
            page.wait_for_function(
                "document.querySelectorAll('#map path').length > 20"
            )  # ranges and countries
            assert page.locator("#map path.leaflet-interactive").count() >= 3  # the three ranges
            assert page.locator("#quota-chart canvas").count() == 1
            # The layer control names the five layers; the legend and the places' table say the same.
            control = page.locator(".leaflet-control-layers")
            assert control.locator("input[type=checkbox]").count() == 5
            assert page.locator(".legend li").count() == 5
            assert page.locator("#map-places tbody tr").count() >= 1
            assert errors == []
            assert javascript_bytes(page) <= JAVASCRIPT_BUDGET
            screenshot(page, f"dashboard-kk-{size}")
            assert horizontal_overflow(page) == 0, f"{size}: the dashboard scrolls sideways"
            if size == "phone":
                assert axe_problems(page) == []
