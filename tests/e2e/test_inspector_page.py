"""The inspector's page in a real browser (headless Chromium): verdict, map, timeline, phone width,
and what an anonymous visitor sees. Screenshots land in screenshots/ for a person to look at."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

import httpx
import pytest

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.demo.cast import load_demo
from kiik.demo.season import SeasonReport
from kiik.directory.services.auth import create_token
from kiik.epcis.adapters.capture_source import open_capture_document
from tests.support.browser import DESKTOP, PHONE, chromium, horizontal_overflow, screenshot, served


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    """Browser tests run on SQLite: the pages read through the same services on both databases."""
    return sqlite_url


@dataclass
class Site:
    base: str
    token: str
    season: SeasonReport

    def item(self, kind: str) -> str:
        code = next(i.code for i in self.season.irregularities if i.kind == kind)
        assert code is not None
        return self.url(code)

    def url(self, code: str) -> str:
        return f"{self.base}/items/{quote(code, safe='')}"


@pytest.fixture
def site(registry: Registry) -> Iterator[Site]:
    result = load_demo(
        registry.uow,
        open_capture_document,
        custody_rules=True,
        yields=registry.settings.yields,
        horns=60,
        seed=3,
    )
    assert result.season is not None
    token = create_token(registry.uow(), "kz-inspectorate", "viewer", "browser test").token
    with served(create_app(registry)) as base:
        yield Site(base, token, result.season)


def _logged_in(browser, site: Site, viewport: dict[str, int]):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=viewport)
    context.set_extra_http_headers({"Authorization": f"Bearer {site.token}"})
    return context


def test_powder_lot_verdict_map_and_timeline(site: Site) -> None:
    assert site.season.powder_lot is not None
    with chromium() as browser:
        for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page = _logged_in(browser, site, viewport).new_page()
            page.goto(site.url(site.season.powder_lot))
            verdict = page.locator("#verdict h1").inner_text()
            assert verdict.startswith("Legal"), verdict
            assert "Horn processing plant, Oral" in page.locator("#verdict").inner_text()
            points = page.locator("#harvest-map circle.harvest")
            assert points.count() > 0
            assert page.locator("#harvest-map path.range").count() == 3
            assert "animal" in (points.first.locator("title").text_content() or "")
            timeline = page.locator("#history li")
            assert timeline.count() >= 2 and "processed" in timeline.first.inner_text()
            assert "from" in page.locator("#origin .summary").inner_text()
            assert horizontal_overflow(page) == 0, f"{name}: the page scrolls sideways"
            screenshot(page, f"inspector-powder-lot-{name}")


def test_flagged_items_say_why(site: Site) -> None:
    with chromium() as browser:
        page = _logged_in(browser, site, PHONE).new_page()
        page.goto(site.item("seized_registered_code"))
        verdict = page.locator("#verdict").inner_text()
        headline = page.locator("#verdict h1").inner_text()
        assert headline.startswith("Flagged: seized by State Revenue Committee")
        assert "last legal holder was Ural harvest team 1" in verdict
        screenshot(page, "inspector-seized-horn-phone")
        assert horizontal_overflow(page) == 0
        page.goto(site.item("seized_unknown_code"))
        assert "never had a legal origin" in page.locator("#verdict").inner_text()
        page.goto(site.item("near_yield_limit"))
        assert page.locator("#verdict h1").inner_text().startswith("Legal, but check: powder output at")
        assert page.locator("[data-flag=near_yield_limit]").count() == 1
        screenshot(page, "inspector-near-yield-phone")
        page.goto(site.url("urn:epc:id:sgtin:4870002.000001.999999"))
        assert "Unknown code" in page.locator("#verdict h1").inner_text()


def test_anonymous_visitor_sees_legal_origin_species_and_product_only(site: Site) -> None:
    assert site.season.pharmacy_pack is not None
    with chromium() as browser:
        for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page = browser.new_context(viewport=viewport).new_page()
            page.goto(site.url(site.season.pharmacy_pack))
            text = page.locator("main").inner_text()
            assert "Legal origin: yes" in text.replace("LEGAL ORIGIN: YES", "Legal origin: yes")
            assert "Saiga tatarica" in text and "powder" in text
            for hidden in ("pharmacy", "plant", "harvest team", "Held by", "warehouse"):
                assert hidden.lower() not in text.lower(), f"the public page shows {hidden!r}"
            assert page.locator("#harvest-map").count() == 0 and page.locator("#history").count() == 0
            assert horizontal_overflow(page) == 0
            screenshot(page, f"public-pharmacy-pack-{name}")
        page = browser.new_context(viewport=PHONE).new_page()
        page.goto(site.item("seized_registered_code"))
        text = page.locator("main").inner_text()
        assert "not confirmed" in text.lower() and "seized by the authorities" in text
        assert "customs" not in text.lower() and "harvest team" not in text.lower()


def test_a_lot_lists_its_first_sources_and_the_rest_on_asking(site: Site, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A lot of hundreds of horns keeps its page light: the first sources, then a link to all."""
    from kiik.web.inspection import item_page

    assert site.season.powder_lot is not None
    monkeypatch.setattr(item_page, "SOURCES_SHOWN", 2)
    bearer = {"Authorization": f"Bearer {site.token}"}
    first = httpx.get(site.url(site.season.powder_lot), headers=bearer).text
    total = int(re.search(r"Show all (\d+) source items", first)[1])  # type: ignore[index]
    assert total > 2 and first.count('<li>\n        <a class="key"') == 2
    everything = httpx.get(site.url(site.season.powder_lot) + "?sources=all", headers=bearer).text
    assert everything.count('<li>\n        <a class="key"') == total and "Show all" not in everything
