"""The harvest team's and the ministry's journeys in a browser: a harvest team uploads its field sheet,
and the ministry then sees the result on its dashboard and map (the items held, the animals
registered under the harvest area's authorisation, the list behind the figure) — in Kazakh, Russian
and English, on a 360-px phone and a desktop, with no serious accessibility violation and
screenshots kept in screenshots/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from tests.support.browser import (
    DESKTOP,
    JAVASCRIPT_BUDGET,
    PHONE_360,
    axe_problems,
    horizontal_overflow,
    javascript_bytes,
    screenshot,
    served,
)
from tests.support.harvest import authorise
from tests.support.people import PASSWORD, person
from tests.support.world import make_world

SHEET = Path(__file__).resolve().parents[1] / "fixtures" / "harvest-sheet.csv"
AUTHORISATION = "KZ-2025-URL-001"
JOURNEYS = [(lang, size) for lang in ("kk", "ru", "en") for size in ("phone", "desktop")]
# Words the pages must show in each language (so a page left in English fails).
DASHBOARD_WORD = {"kk": "Бақылау тақтасы", "ru": "Панель", "en": "Dashboard"}


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    """Browser tests run on SQLite: the pages read through the same services on both databases."""
    return sqlite_url


@pytest.fixture
def site(registry: Registry) -> Iterator[str]:
    world = make_world(registry)
    assert authorise(registry, world).endswith(AUTHORISATION)
    person(registry, "harvester", "team.lead")
    person(registry, "ministry", "aigerim", "admin")
    with served(create_app(registry)) as base:
        yield base


def sheet_for(journey: int, folder: Path) -> Path:
    """The fixture's sheet with codes and animals of its own, so that each journey records anew."""
    text = SHEET.read_text()
    text = text.replace("(21)100", f"(21){journey}00").replace("398000000001", f"39800000000{journey}")
    path = folder / f"sheet-{journey}.csv"
    path.write_text(text.replace("URL-T1-", f"URL-T{journey}-"))
    return path


def number(text: str) -> int:
    """A figure as the page writes it in any language (1,234 / 1 234 / 1 234)."""
    digits = re.sub(r"\D", "", text)
    assert digits, f"no number in {text!r}"
    return int(digits)


def log_in(browser: Any, site: str, username: str, language: str, viewport: dict[str, int]) -> Any:
    page = browser.new_context(viewport=viewport, locale=language, bypass_csp=True).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    page.goto(site + "/")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.press("#password", "Enter")
    return page


def figures(page: Any, site: str, name: str) -> tuple[int, int]:
    """The dashboard's items held and the animals registered under the authorisation (map table)."""
    page.goto(site + "/dashboard")
    page.wait_for_function("document.querySelectorAll('#map path.leaflet-interactive').length >= 4")
    held = page.locator("#stock tr:has(a[href='/lists/stock?status=active']) td.num").first
    held_count = number(held.inner_text()) if held.count() else 0
    page.click("details.places summary")
    area = page.locator(f"#map-places tr:has-text('{AUTHORISATION}') td").nth(2)
    registered = number(area.inner_text().split("/")[0])
    screenshot(page, name)
    return held_count, registered


def check(page: Any, language: str, size: str) -> None:
    assert page.errors == [], page.errors
    assert horizontal_overflow(page) == 0, f"{language} {size}: {page.url} scrolls sideways"
    assert axe_problems(page) == [], f"{language} {size}: {page.url}"
    assert javascript_bytes(page) <= JAVASCRIPT_BUDGET


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_field_sheet_reaches_the_ministrys_dashboard_and_map(
    site: str, browser: Any, tmp_path: Path, language: str
) -> None:
    for journey, size in enumerate(("phone", "desktop"), start=2 + 2 * ["kk", "ru", "en"].index(language)):
        viewport = PHONE_360 if size == "phone" else DESKTOP
        ministry = log_in(browser, site, "aigerim", language, viewport)
        held, registered = figures(ministry, site, f"journey-dashboard-before-{language}-{size}")
        assert DASHBOARD_WORD[language] in ministry.locator("h1").inner_text()

        team = log_in(browser, site, "team.lead", language, viewport)
        team.click("nav.menu a[href='/harvest/sheets']")
        team.wait_for_load_state("load")  # the page's script listens before the file is chosen
        team.set_input_files("#sheet-file", str(sheet_for(journey, tmp_path)))
        team.wait_for_selector("#preview-rows")
        assert team.locator("#preview-errors").count() == 0
        team.click("#sheet-send")
        team.wait_for_selector("#result .notice")
        assert team.locator("#sheet-progress").get_attribute("value") == "100"
        screenshot(team, f"journey-sheet-recorded-{language}-{size}")
        check(team, language, size)

        # The ministry sees six more horns held and three more animals under the authorisation.
        after_held, after_registered = figures(ministry, site, f"journey-dashboard-after-{language}-{size}")
        assert (after_held, after_registered) == (held + 6, registered + 3)
        check(ministry, language, size)
        # The figure's list: the harvest team's horns, held, as a page.
        ministry.click("#stock a[href='/lists/stock?status=active']")
        ministry.wait_for_selector("table.cards")
        holders = ministry.locator("table.cards td[data-label]:first-child").all_inner_texts()
        assert "Ural harvest team 1" in holders
        screenshot(ministry, f"journey-stock-list-{language}-{size}")
        check(ministry, language, size)
