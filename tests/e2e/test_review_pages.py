"""The enforcement reviewer's day as pages, on both databases, in Kazakh and in Russian: a leak
alert reviewed from the list to its page and back, a seizure draft of a market inspection
confirmed, a case opened from a seizure and its outcome recorded; each refusal next to its field in
the person's language; the holder an alert concerns reads it without the seizure or the form; the
others are refused. The same journey in Chromium at 360 and 1280 px (axe-core, screenshots)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import quote

import pytest

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.enforcement.domain.cases import penalty_estimate
from kiik.enforcement.services.alerts import list_alerts
from kiik.enforcement.services.market import MarketScan, inspect_market
from kiik.enforcement.services.seizures import record_seizure
from kiik.errors import N_
from kiik.web.i18n import PageText
from tests.e2e.test_worded_refusals import Person
from tests.support.browser import DESKTOP, PHONE_360, axe_problems, horizontal_overflow, screenshot, served
from tests.support.enforcement import NEVER_ISSUED, SAIGA, enforcement_world, horn_seizure
from tests.support.people import PASSWORD, person

LANGUAGES = ["kk", "ru"]


def _reviewable(registry: Registry) -> dict[str, Any]:
    """A leak alert on the trader's horn seized by customs, and a seizure draft of a market
    inspection (a never issued code at a pharmacy); the people who work on them."""
    ew = enforcement_world(registry)
    world = ew.world
    record_seizure(
        registry.uow(), world["customs"].principal, horn_seizure("REV-1", [ew.season.trader_horns[0]], 1)
    )
    scan = MarketScan("Pharmacy 12", SAIGA, "HOR", date(2026, 10, 2), NEVER_ISSUED)
    draft = inspect_market(registry.uow(), world["inspector"].principal, scan)["seizure"]
    [alert] = list_alerts(registry.uow(), world["ministry"].principal)
    for org, username in (
        ("inspector", "nurlan"),
        ("trader", "aliya"),
        ("warehouse", "bolat"),
        ("customs", "dana"),
    ):
        person(registry, org, username)
    return {"alert": alert["id"], "draft": draft}


def _offered(html: str) -> list[str]:
    """The statuses the review form offers."""
    found = re.search(r'<select id="review-status".*?</select>', html, re.S)
    return re.findall(r'<option value="(\w+)"', found[0]) if found else []


def _error(page: Any, field: str) -> str:
    found = re.search(rf'id="{field}-error"[^>]*>(.*?)</p>', page.text, re.S)
    assert found, f"no error next to {field}"
    return found[1]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_reviewer_moves_a_leak_alert_from_the_list_to_its_page_and_back(
    registry: Registry, language: str
) -> None:
    made = _reviewable(registry)
    reviewer = Person(registry, "nurlan", language)
    alert = made["alert"]
    address = f"/alerts/{alert}"
    with reviewer.client:
        flags = reviewer.client.get("/lists/flags").text
        assert f'href="{address}"' in flags
        page = reviewer.client.get(address)
        assert page.status_code == 200 and "REV-1" in page.text and "Saiga Export LLP" in page.text
        assert 'href="/lists/leak-alerts"' in page.text
        # Only the statuses the service allows next are offered; another is refused by its field.
        assert _offered(page.text) == ["investigating"]
        skipped = reviewer.post(f"{address}/review", {"status": "explained", "note": "sold"})
        assert skipped.status_code == 400
        cannot = N_("alert %(alert)s is %(current)s: it cannot become %(wanted)s; it may go to %(allowed)s")
        sentence = cannot.filled(alert=alert, current="open", wanted="explained", allowed="investigating")
        reviewer.reads(skipped, sentence)
        assert str(reviewer.text.explain(sentence)) in _error(skipped, "status")
        moved = reviewer.post(f"{address}/review", {"status": "investigating", "note": ""})
        assert moved.status_code == 303 and moved.headers["location"] == f"{address}?done=reviewed"
        page = reviewer.client.get(moved.headers["location"])
        assert 'id="alert-reviewed"' in page.text
        assert reviewer.text.gettext("under investigation") in page.text
        assert _offered(page.text) == ["explained", "confirmed_leak"]
        silent = reviewer.post(f"{address}/review", {"status": "confirmed_leak", "note": "  "})
        assert silent.status_code == 400
        needs_note = N_(
            "alert %(alert)s: say in a note why the leak is confirmed leak (what the review found)"
        )
        reviewer.reads(silent, needs_note.filled(alert=alert))
        assert 'aria-describedby="note-error"' in silent.text
        confirmed = reviewer.post(f"{address}/review", {"status": "confirmed_leak", "note": "sold twice"})
        assert confirmed.status_code == 303
        page = reviewer.client.get(address).text
        assert 'id="review-closed"' in page and 'id="review"' not in page
        assert page.count("operator of Forestry and wildlife inspectorate") == 2 and "sold twice" in page
        back = reviewer.client.get("/lists/leak-alerts?status=confirmed_leak").text
        assert f'href="{address}"' in back and "REV-1" in back
        assert address not in reviewer.client.get("/lists/flags").text  # reviewed: no flag any more


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_reviewer_confirms_a_seizure_draft(registry: Registry, language: str) -> None:
    made = _reviewable(registry)
    reviewer = Person(registry, "nurlan", language)
    address = f"/seizures/view/{quote(made['draft'], safe='')}"
    with reviewer.client:
        flags = reviewer.client.get("/lists/flags?kind=draft").text
        assert f'href="{address}"' in flags
        page = reviewer.client.get(address).text
        assert 'id="confirm-draft"' in page
        confirmed = reviewer.post(f"{address}/confirm", {})
        assert confirmed.status_code == 303 and confirmed.headers["location"] == f"{address}?done=confirmed"
        page = reviewer.client.get(confirmed.headers["location"]).text
        assert 'id="draft-confirmed"' in page and 'id="confirm-draft"' not in page
        assert made["draft"] not in reviewer.client.get("/lists/flags?kind=draft").text
        again = reviewer.post(f"{address}/confirm", {})
        assert again.status_code == 400
        reviewer.reads(
            again,
            N_(
                "seizure %(reference)s is recorded already: only a draft is confirmed",
                reference=made["draft"],
            ),
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_case_is_opened_from_a_seizure_and_its_outcome_recorded(registry: Registry, language: str) -> None:
    _reviewable(registry)
    officer = Person(registry, "dana", language)
    with officer.client:
        seizure = officer.client.get("/seizures/view/REV-1").text
        assert 'href="/cases/new?seizure=REV-1"' in seizure
        form = officer.client.get("/cases/new?seizure=REV-1").text
        assert ">REV-1</textarea>" in form
        case = {
            "number": "339-2026-77",
            "part": "2",
            "offence_on": "2026-10-01",
            "suspects": "2",
            "nationalities": "kz, cn",
            "seizures": "REV-1",
            "outcome": "under investigation",
        }
        unreadable = officer.post("/cases/new", {**case, "offence_on": "1 October"})
        assert unreadable.status_code == 400 and _error(unreadable, "offence_on")
        future = officer.post("/cases/new", {**case, "offence_on": "2099-01-01"})
        assert future.status_code == 400
        officer.reads(future, N_("offenceOn: %(day)s is in the future", day=date(2099, 1, 1)))
        missing = officer.post("/cases/new", {**case, "seizures": "REV-404"})
        officer.reads(
            missing,
            N_(
                "seizures: no seizure %(reference)s; record it first or check the reference",
                reference="'REV-404'",
            ),
        )
        opened = officer.post("/cases/new", case)
        assert opened.status_code == 303 and opened.headers["location"] == "/cases/339-2026-77?done=opened"
        page = officer.client.get(opened.headers["location"]).text
        estimate = penalty_estimate(date(2026, 10, 1))
        text = PageText(language)
        assert text.number(estimate["fine_mci"]["max"]) in page  # type: ignore[index]
        assert text.number(estimate["fine_kzt"]["max"]) in page  # type: ignore[index]
        assert 'href="/seizures/view/REV-1"' in page and "KZ, CN" in page
        taken = officer.post("/cases/new", case)
        officer.reads(
            taken,
            N_(
                "case %(number)s is recorded already: add to it, or give a new case its own number",
                number="339-2026-77",
            ),
        )
        wrong = officer.post("/cases/339-2026-77/outcome", {"outcome": "forgiven"})
        assert wrong.status_code == 400 and 'aria-describedby="outcome-error"' in wrong.text
        recorded = officer.post("/cases/339-2026-77/outcome", {"outcome": "convicted"})
        assert recorded.status_code == 303
        page = officer.client.get(recorded.headers["location"]).text
        assert 'id="outcome-recorded"' in page
        assert f'id="case-outcome">{text.gettext("convicted")}<' in page
        listed = officer.client.get("/cases?outcome=convicted").text
        assert 'href="/cases/339-2026-77"' in listed
        assert 'href="/cases/339-2026-77"' not in officer.client.get("/cases?outcome=acquitted").text
        assert officer.client.get("/cases?year=1999").status_code == 400


def test_the_holder_reads_its_own_alert_and_others_are_refused(registry: Registry) -> None:
    made = _reviewable(registry)
    address = f"/alerts/{made['alert']}"
    holder = Person(registry, "aliya", "ru")
    with holder.client:
        page = holder.client.get(address)
        assert page.status_code == 200 and 'id="alert-concerns"' in page.text
        assert (
            "REV-1" not in page.text
            and 'id="review"' not in page.text
            and '<form method="post" action="/alerts' not in page.text
        )
        assert holder.post(f"{address}/review", {"status": "investigating"}).status_code == 403
        assert holder.client.get("/lists/leak-alerts").status_code == 403
    other_holder = Person(registry, "bolat", "kk")
    with other_holder.client:
        assert other_holder.client.get(address).status_code == 404
    customs = Person(registry, "dana", "en")
    with customs.client:
        assert customs.client.get(address).status_code == 403
        assert customs.post(f"{address}/review", {"status": "investigating"}).status_code == 403


def test_the_review_pages_in_chromium(registry: Registry, browser: Any) -> None:
    made = _reviewable(registry)
    with served(create_app(registry)) as base:
        for size, viewport in (("phone", PHONE_360), ("desktop", DESKTOP)):
            page = _logged_in(browser, base, "nurlan", viewport)
            page.goto(base + "/lists/flags")
            with page.expect_navigation():
                page.click(f'a[href="/alerts/{made["alert"]}"] >> nth=0')
            _looked_at(page, "alert", size)
            if size == "phone":
                with page.expect_navigation():
                    page.click("#review-button")
                assert page.locator("#alert-reviewed").count() == 1
                _looked_at(page, "alert-reviewed", size)
                with page.expect_navigation():
                    page.click("#back-to-alerts")
                assert page.url.endswith("/lists/leak-alerts")
                page.goto(base + f"/seizures/view/{quote(made['draft'], safe='')}")
                _looked_at(page, "draft", size)
                with page.expect_navigation():
                    page.click("#confirm-draft")
                assert page.locator("#draft-confirmed").count() == 1
                page.goto(base + "/cases/new?seizure=REV-1")
                page.fill("#case-number", "339-UI-1")
                page.fill("#case-offence_on", "2026-10-01")
                with page.expect_navigation():
                    page.click("#open-case-button")
                page.select_option("#case-outcome-choice", "sent to court")
                with page.expect_navigation():
                    page.click("#outcome-button")
                assert page.locator("#outcome-recorded").count() == 1
            else:
                page.goto(base + "/cases/339-UI-1")
            _looked_at(page, "case", size)
            page.goto(base + "/cases")
            _looked_at(page, "cases", size)
            page.goto(base + "/cases/new?seizure=REV-1")
            _looked_at(page, "case-new", size)
            page.context.close()
            holder = _logged_in(browser, base, "aliya", viewport)
            holder.goto(base + f"/alerts/{made['alert']}")
            assert holder.locator("#alert-concerns").count() == 1 and holder.locator("#review").count() == 0
            _looked_at(holder, "alert-holder", size)
            holder.context.close()


def _logged_in(browser: Any, base: str, username: str, viewport: dict[str, int]) -> Any:
    page = browser.new_context(viewport=viewport, locale="kk", bypass_csp=True).new_page()
    page.goto(base + "/")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("form:has(input[name=password]) button[type=submit]")
    return page


def _looked_at(page: Any, name: str, size: str) -> None:
    assert axe_problems(page) == [], name
    assert horizontal_overflow(page) == 0, f"{name} scrolls sideways at {size} size"
    screenshot(page, f"review-{name}-{size}")
