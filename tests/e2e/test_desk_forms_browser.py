"""The organisation, site, seizure, seizure-file and camera-trap forms in Chromium: usable with the
keyboard, no serious or critical axe-core violation and nothing wider than a 360-px phone, with
screenshots at phone and desktop size in screenshots/ (desk-forms-*)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

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
from tests.support.monitoring import scientists, zipped
from tests.support.people import PASSWORD, person
from tests.support.season import open_register
from tests.support.small_passage import write_small_passage
from tests.support.world import make_world


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    """Browser tests run on SQLite; the TestClient tests cover both databases."""
    return sqlite_url


@pytest.fixture
def base(registry: Registry) -> Iterator[str]:
    world = make_world(registry)
    open_register(registry, world)
    scientists(registry)
    person(registry, "ministry", "aigerim", "admin")
    person(registry, "inspector", "nurlan")
    person(registry, "zoology", "saule")
    with served(create_app(registry)) as address:
        yield address


def _page(browser: Any, base: str, username: str, viewport: dict[str, int]) -> Any:
    page = browser.new_context(viewport=viewport, locale="ru", bypass_csp=True).new_page()
    page.goto(base + "/")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("form:has(input[name=password]) button[type=submit]")
    return page


def _looked_at(page: Any, name: str, size: str) -> None:
    if size == "phone":
        assert axe_problems(page) == [], name
        assert horizontal_overflow(page) == 0, f"{name} scrolls sideways at 360 px"
    screenshot(page, f"desk-forms-{name}-{size}")


SIZES = (("phone", PHONE_360), ("desktop", DESKTOP))


def test_an_organisation_is_changed_with_the_keyboard(base: str) -> None:
    with chromium() as browser:
        for size, viewport in SIZES:
            page = _page(browser, base, "aigerim", viewport)
            page.goto(base + "/organisations/trader")
            page.focus("#org-name")
            page.keyboard.press("Control+A")
            page.keyboard.type(f"Saiga Export LLP ({size})")
            with page.expect_navigation():
                page.keyboard.press("Enter")
            assert page.locator("#organisation-changed").count() == 1
            _looked_at(page, "organisation", size)
            page.context.close()


def test_sites_are_added_and_shown_as_a_tree(base: str) -> None:
    with chromium() as browser:
        for n, (size, viewport) in enumerate(SIZES, start=1):
            page = _page(browser, base, "aigerim", viewport)
            page.goto(base + "/organisations/warehouse/sites")
            page.fill("#site-sgln", f"urn:epc:id:sgln:4870003.00000.{n}")
            page.fill("#site-name", f"Cold room {n}")
            page.fill("#site-parent", "urn:epc:id:sgln:4870003.00000.0")
            with page.expect_navigation():
                page.click("button:has-text('Добавить площадку')")
            assert page.locator("#site-tree .depth-1").count() == n
            page.fill("#move-to", "urn:epc:id:sgln:4870099.00000.0")
            with page.expect_navigation():
                page.click("button:has-text('Переместить площадку')")
            assert page.locator("#to-error").count() == 1
            _looked_at(page, "sites", size)
            page.context.close()


def test_a_seizure_gets_a_second_line_without_javascript(base: str) -> None:
    with chromium() as browser:
        for size, viewport in SIZES:
            page = _page(browser, base, "nurlan", viewport)
            page.goto(base + "/seizures/new")
            page.fill("#quantity", "2")
            with page.expect_navigation():
                page.click("#add-line")
            assert page.locator("#term-2").count() == 1 and page.input_value("#quantity") == "2"
            _looked_at(page, "seizure", size)
            page.context.close()


def test_the_camtrap_preview_pages_its_observations(
    base: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kiik.web.desk.camtrap_preview.OBSERVATIONS_PER_PAGE", 3)
    package = tmp_path / "package.zip"
    package.write_bytes(zipped(write_small_passage(tmp_path / "passage")))
    with chromium() as browser:
        for size, viewport in SIZES:
            page = _page(browser, base, "saule", viewport)
            page.goto(base + "/monitoring/camera-traps")
            page.wait_for_load_state("load")
            page.set_input_files("#upload-file", str(package))
            page.wait_for_selector("#camtrap-observations")
            assert page.locator("#camtrap-deployments tbody tr").count() == 2
            page.click("[data-preview-page='2']")
            page.wait_for_selector("#camtrap-observations td:has-text('o4')")
            assert page.evaluate("document.activeElement.id") == "camtrap-observations-title"
            _looked_at(page, "camtrap-preview", size)
            page.context.close()


def test_a_seizure_file_shows_each_rows_problem_then_imports(base: str, tmp_path: Path) -> None:
    header = "reference,seized_on,agency,detection_method,species,term,quantity,unit\n"
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text(header + "B-1,2026-13-01,Customs,x-ray,Saiga tatarica,HOR,2,NAR\n")
    with chromium() as browser:
        for size, viewport in SIZES:
            page = _page(browser, base, "nurlan", viewport)
            page.goto(base + "/seizures/import")
            page.wait_for_load_state("load")
            page.set_input_files("#upload-file", str(bad))
            page.wait_for_selector("#seizure-file-problems")
            assert "не дата: запишите её как ГГГГ-ММ-ДД" in page.inner_text("#seizure-file-problems")
            assert page.is_disabled("#upload-send")
            _looked_at(page, "seizure-file", size)
            good.write_text(header + f"G-{size},2026-10-02,Customs,x-ray,Saiga tatarica,HOR,1,NAR\n")
            page.set_input_files("#upload-file", str(good))
            page.wait_for_selector("#seizure-file-rows")
            page.click("#upload-send")
            page.wait_for_selector("#seizure-file-done")
            page.context.close()
