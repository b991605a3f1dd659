"""The layout every page shares, in a real browser (headless Chromium): a person logs in with the
keyboard, sees the menu of their role, in Kazakh, Russian and English, at 360 px and on a desktop,
with no sideways scrolling and no serious or critical axe-core violation on any page. Screenshots
land in screenshots/ for a person to look at."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

import pytest

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from tests.support.browser import (
    DESKTOP,
    PHONE_360,
    axe_problems,
    chromium,
    horizontal_overflow,
    screenshot,
    served,
)
from tests.support.people import PASSWORD, person
from tests.support.season import open_register, small_season
from tests.support.world import make_world

LOG_IN_WORDS = {"kk": "Кіру", "ru": "Войти", "en": "Log in"}
PEOPLE_WORDS = {"kk": "Адамдар", "ru": "Сотрудники", "en": "People"}


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    """Browser tests run on SQLite: the pages read through the same services on both databases."""
    return sqlite_url


@dataclass
class Site:
    base: str
    item: str


@pytest.fixture
def site(registry: Registry) -> Iterator[Site]:
    world = make_world(registry)
    open_register(registry, world)
    season = small_season(registry, world, lot_count=1)
    person(registry, "ministry", "aigerim", "admin")
    person(registry, "warehouse", "dana.k", "operator")
    with served(create_app(registry)) as base:
        yield Site(base, season.horns[0])


def _log_in_with_the_keyboard(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.keyboard.press("Tab")  # the first stop is the skip link
    assert page.evaluate("document.activeElement.className") == "skip"
    page.focus("#username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector("nav.menu")


def test_each_language_at_phone_and_desktop_size(site: Site) -> None:
    with chromium() as browser:
        for language in ("kk", "ru", "en"):
            for size, viewport in (("phone", PHONE_360), ("desktop", DESKTOP)):
                context = browser.new_context(viewport=viewport, locale=language)
                page = context.new_page()
                page.goto(site.base + "/")
                assert page.locator("h1").inner_text() == LOG_IN_WORDS[language]
                screenshot(page, f"layout-login-{language}-{size}")
                _log_in_with_the_keyboard(page, "aigerim")
                menu = page.locator("nav.menu a").all_inner_texts()
                assert PEOPLE_WORDS[language] in menu, menu
                screenshot(page, f"layout-home-{language}-{size}")
                assert horizontal_overflow(page) == 0, f"{language} {size}: the home page scrolls sideways"
                page.goto(site.base + "/people")
                assert page.locator("#people").count() == 1
                screenshot(page, f"layout-people-{language}-{size}")
                assert horizontal_overflow(page) == 0, f"{language} {size}: people scrolls sideways"
                context.close()


def test_the_menu_follows_the_role(site: Site) -> None:
    with chromium() as browser:
        page = browser.new_context(viewport=DESKTOP, locale="en").new_page()
        page.goto(site.base + "/")
        _log_in_with_the_keyboard(page, "dana.k")
        assert page.locator("nav.menu a").all_inner_texts() == [
            "Home",
            "Receive and ship",
            "Our stock",
            "My account",
        ]
        page.goto(site.base + "/people")
        assert page.locator("h1").inner_text() == "Not possible"


def test_no_page_has_a_serious_accessibility_violation(site: Site) -> None:
    """Every page once, at phone size (where tables scroll and menus wrap), in Russian."""
    pages = ["/", "/account", "/people", "/items/" + quote(site.item, safe=""), "/partner/reconciliation"]
    with chromium() as browser:
        anonymous = browser.new_context(viewport=PHONE_360, locale="ru", bypass_csp=True).new_page()
        for path in ("/", "/items/" + quote(site.item, safe="")):
            anonymous.goto(site.base + path)
            assert axe_problems(anonymous) == [], f"{path} (anonymous)"
        page = browser.new_context(viewport=PHONE_360, locale="ru", bypass_csp=True).new_page()
        page.goto(site.base + "/")
        _log_in_with_the_keyboard(page, "aigerim")
        for path in pages:
            page.goto(site.base + path)
            assert axe_problems(page) == [], path
