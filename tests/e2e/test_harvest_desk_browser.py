"""The harvest desk in Chromium: the ministry records a plan (the justification chosen in the file
input) and issues an authorisation in Russian, at 360 px and on a desktop; an authorisation beyond
the plan is refused next to its field; a harvest team reads its own in Kazakh. No serious or
critical axe-core violation, nothing wider than the phone; screenshots harvest-desk-*."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.monitoring.domain.census import CensusSurvey
from kiik.monitoring.services.census import record_survey
from tests.support.browser import (
    DESKTOP,
    PHONE_360,
    axe_problems,
    chromium,
    horizontal_overflow,
    screenshot,
    served,
)
from tests.support.monitoring import scientists
from tests.support.people import PASSWORD, person
from tests.support.world import make_world


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    """Browser tests run on SQLite; the TestClient tests cover both databases."""
    return sqlite_url


@pytest.fixture
def base(registry: Registry) -> Iterator[str]:
    make_world(registry)
    researcher, _ = scientists(registry)
    survey = CensusSurvey(
        "Ural", 2025, "spring aerial", 1_900_000, "report", ci_lower=1_700_000, ci_upper=2_100_000
    )
    record_survey(registry.uow(), researcher, survey)
    person(registry, "ministry", "aigerim")
    person(registry, "harvester", "bolat")
    with served(create_app(registry)) as address:
        yield address


def _page(browser: Any, base: str, username: str, viewport: dict[str, int], locale: str) -> Any:
    page = browser.new_context(viewport=viewport, locale=locale, bypass_csp=True).new_page()
    page.goto(base + "/")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("form:has(input[name=password]) button[type=submit]")
    return page


def _looked_at(page: Any, name: str, size: str) -> None:
    assert axe_problems(page) == [], name
    if size == "phone":
        assert horizontal_overflow(page) == 0, f"{name} scrolls sideways at 360 px"
    screenshot(page, f"harvest-desk-{name}-{size}")


def test_the_ministry_plans_and_authorises_in_a_browser(base: str, tmp_path: Path) -> None:
    document = tmp_path / "ural-2026.pdf"
    document.write_bytes(b"%PDF-1.4 Ural 2026: within 5 % of the lower bound")
    with chromium() as browser:
        for size, viewport, season in (("phone", PHONE_360, "2026"), ("desktop", DESKTOP, "2027")):
            page = _page(browser, base, "aigerim", viewport, "ru")
            with page.expect_navigation():  # the next page, not the one being left
                page.click("nav.menu a[href='/harvest/plans']")
            page.select_option("#plan-population", "Ural")
            page.fill("#plan-season", season)
            page.fill("#plan-max", "1000")
            page.fill("#plan-share", "5")
            page.set_input_files("#plan-justification", str(document))
            with page.expect_navigation():
                page.click("form[method=post][action='/harvest/plans'] button[type=submit]")
            assert page.locator("#plan-recorded").count() == 1
            assert page.locator(f"a[href='/harvest/plans/Ural/{season}/justification']").count() == 1
            _looked_at(page, "plans", size)

            with page.expect_navigation():  # the next page, not the one being left
                page.click("nav.menu a[href='/harvest/authorisations']")
            page.fill("#auth-from", f"{season}-07-01")
            page.fill("#auth-to", f"{season}-11-30")
            page.fill("#auth-max", "600")
            with page.expect_navigation():
                page.click("form[method=post][action='/harvest/authorisations'] button[type=submit]")
            assert page.locator("#authorisation-issued").count() == 1
            assert page.locator("#area-map path.area").count() == 1
            _looked_at(page, "authorisation", size)

            page.goto(base + "/harvest/authorisations")
            page.fill("#auth-from", f"{season}-07-01")
            page.fill("#auth-to", f"{season}-11-30")
            page.fill("#auth-max", "401")
            with page.expect_navigation():
                page.click("form[method=post][action='/harvest/authorisations'] button[type=submit]")
            refusal = page.locator("#max_animals-error").inner_text()
            assert "401" in refusal and "400" in refusal and "разреш" in refusal, refusal
            assert page.locator("#auth-max").get_attribute("aria-invalid") == "true"
            _looked_at(page, "authorisations-refused", size)
            page.context.close()

        team = _page(browser, base, "bolat", PHONE_360, "kk")
        team.click("nav.menu a[href='/harvest/authorisations']")
        assert team.locator("form[method=post][action='/harvest/authorisations']").count() == 0
        assert team.locator("a[href^='/harvest/authorisations/KZ-']").count() == 2
        _looked_at(team, "team", "phone")
