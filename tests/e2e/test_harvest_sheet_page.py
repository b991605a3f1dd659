"""A harvest team's field sheet as a page: the preview says what kiik read and every problem by row,
the upload shows its progress and records the sheet once whatever the resends; in a browser at
phone size, in Kazakh, with no serious accessibility violation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.custody.adapters.tables import events
from tests.support.browser import PHONE_360, axe_problems, chromium, horizontal_overflow, screenshot, served
from tests.support.harvest import authorise
from tests.support.people import PASSWORD, person
from tests.support.world import make_world

SHEET = Path(__file__).resolve().parents[1] / "fixtures" / "harvest-sheet.csv"


def stored_events(registry: Registry) -> int:
    with registry.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(events)) or 0)


def broken_sheet(folder: Path) -> Path:
    lines = SHEET.read_text().splitlines()
    lines[2] = lines[2].replace(",0.248,", ",heavy,")
    path = folder / "broken.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_the_page_previews_and_records_a_sheet_once(registry: Registry, tmp_path: Path) -> None:
    world = make_world(registry)
    authorise(registry, world)
    bearer = {"Authorization": f"Bearer {world['harvester'].token}", "Content-Type": "text/csv"}
    with TestClient(create_app(registry)) as client:
        preview = client.post(
            "/harvest/sheets/preview", content=broken_sheet(tmp_path).read_bytes(), headers=bearer
        )
        assert (
            preview.status_code == 400
            and "mass_kg" in preview.text
            and '<td data-label="row">3</td>' in preview.text
        )
        # The problem in the person's language; the API still answers in English.
        kazakh = client.post(
            "/harvest/sheets/preview",
            content=broken_sheet(tmp_path).read_bytes(),
            headers={**bearer, "Accept-Language": "kk"},
        )
        assert "mass_kg 'heavy' сан емес" in kazakh.text
        good = client.post("/harvest/sheets/preview", content=SHEET.read_bytes(), headers=bearer)
        assert good.status_code == 200 and "URL-T1-0001" in good.text
        assert stored_events(registry) == 0  # a preview stores nothing
        keyed = {**bearer, "Idempotency-Key": "sheet-page-1"}
        first = client.post("/harvest/sheets", content=SHEET.read_bytes(), headers=keyed)
        assert first.status_code == 201 and "The sheet is recorded" in first.text
        stored = stored_events(registry)
        again = client.post("/harvest/sheets", content=SHEET.read_bytes(), headers=keyed)
        assert again.status_code == 200 and "This sheet was recorded before" in again.text
        assert stored_events(registry) == stored
        # Left and come back: the upload's own address says what it recorded; the page lists it.
        reopened = client.get("/harvest/sheets/uploads/sheet-page-1", headers=bearer)
        assert reopened.status_code == 200 and "6 horns of 3 animals" in reopened.text
        assert (
            'href="/harvest/sheets/uploads/sheet-page-1"'
            in client.get("/harvest/sheets", headers=bearer).text
        )
        unknown = client.get("/harvest/sheets/uploads/never-sent", headers=bearer)
        assert unknown.status_code == 404 and "Nothing is recorded under this upload yet" in unknown.text
        others = {"Authorization": f"Bearer {world['warehouse'].token}"}
        assert client.get("/harvest/sheets/uploads/sheet-page-1", headers=others).status_code == 404
        other = client.post("/harvest/sheets", content=broken_sheet(tmp_path).read_bytes(), headers=keyed)
        assert other.status_code == 422 and "under a new key" in other.text


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    """Browser tests run on SQLite: the pages read through the same services on both databases."""
    return sqlite_url


@pytest.fixture
def site(registry: Registry) -> Iterator[str]:
    world = make_world(registry)
    authorise(registry, world)
    person(registry, "harvester", "team.lead")
    with served(create_app(registry)) as base:
        yield base


def test_a_harvest_team_uploads_its_sheet_from_a_phone(site: str, tmp_path: Path) -> None:
    with chromium() as browser:
        page = browser.new_context(viewport=PHONE_360, locale="kk", bypass_csp=True).new_page()
        page.goto(site + "/")
        page.fill("#username", "team.lead")
        page.fill("#password", PASSWORD)
        with page.expect_navigation():
            page.press("#password", "Enter")
        with page.expect_navigation():  # the next page, not the one being left
            page.click("nav.menu a[href='/harvest/sheets']")
        page.set_input_files("#sheet-file", str(broken_sheet(tmp_path)))
        page.wait_for_selector("#preview-errors")
        assert page.locator("#sheet-send").is_disabled()
        screenshot(page, "harvest-sheet-errors-kk-phone")
        page.set_input_files("#sheet-file", str(SHEET))
        page.wait_for_selector("#preview-errors", state="detached")
        page.wait_for_selector("#preview-rows")
        assert page.locator("#preview-errors").count() == 0 and page.locator("#sheet-send").is_enabled()
        page.click("#sheet-send")
        page.wait_for_selector("#result .notice")
        assert page.locator("#sheet-progress").get_attribute("value") == "100"
        screenshot(page, "harvest-sheet-recorded-kk-phone")
        # The address is the upload's own: reopened later, it says the sheet is recorded.
        assert "/harvest/sheets/uploads/" in page.url
        page.goto(page.url)
        page.wait_for_selector("#upload .notice")
        screenshot(page, "harvest-sheet-reopened-kk-phone")
        assert horizontal_overflow(page) == 0
        assert axe_problems(page) == []
