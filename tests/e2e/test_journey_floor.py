"""The floor's day in a real browser (Debian's Chromium), on the demo season as `make run` loads it:
the warehouse clerk ships horns by scanning, the plant operator receives horns and records a
processing run after checking its yield, the customs officer endorses an export by scanning the
permit and the goods and records an arrival under a partner registry's permit (a malformed number
refused next to its field first), the inspector scans a code and records a seizure whose codes are
matched, and China's authority follows a permit to China and its lot back to the harvest.

Each role's journey runs in Kazakh, Russian and English, each at phone size (360 px) and at desktop
size: 36 journeys on one demo season (loaded once per module, ~20 s) in one browser, each journey in
a context of its own and with its own codes. Every page looked at has no serious or critical
axe-core violation, no sideways scrolling on the phone, and at most 300 KB of JavaScript;
screenshots land in screenshots/ (floor-<role>-<language>-<size>-<n>-<step>.png)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiik.web.i18n import PageText
from tests.support.browser import JAVASCRIPT_BUDGET, PHONE_360, javascript_bytes
from tests.support.floor_demo import Floor, Journey, element_string, floor_demo
from tests.support.people import PASSWORD

LANGUAGES = ("kk", "ru", "en")
RUNS = [(lang, size) for lang in LANGUAGES for size in ("phone", "desktop")]
ROLES = ("warehouse", "plant", "customs", "arrivals", "inspector", "partner")
SENT = {"kk": "тіркелді", "ru": "записан", "en": "recorded"}
# The arrival page's notice (msgid and plural), as the catalogs give it in each language.
ARRIVED = tuple(
    f"The arrival under permit %(number)s is recorded (%(num)s {noun}) and confirmed to the exporting "
    "registry."
    for noun in ("code", "codes")
)


@pytest.fixture(scope="module")
def floor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Floor]:
    with floor_demo(tmp_path_factory.mktemp("journey"), len(RUNS)) as served_floor:
        yield served_floor


def warehouse_day(j: Journey) -> None:
    horns = [next(j.floor.warehouse_horns), next(j.floor.warehouse_horns)]
    j.log_in("warehouse.clerk")
    j.menu("/floor/move")
    j.page.click("a[href='/floor/move?kind=ship']")
    j.scan("codes", [element_string(h) for h in horns])
    assert j.page.locator("[data-checks] tr.ok").count() == 2
    j.page.select_option("#party", "oral-plant")
    j.sees("ship-scanned")
    j.send()
    assert SENT[j.lang] in j.page.locator("h1").inner_text()
    j.sees("shipped")
    j.menu("/stock")
    j.page.select_option("#status", "in_transit")
    with j.page.expect_navigation():
        j.page.click("form.filters button")
    assert j.page.locator(f"#stock a[href*='{horns[0].rsplit('/', 1)[1]}']").count() >= 1
    j.sees("stock-in-transit")


def plant_day(j: Journey) -> None:
    horns = [next(j.floor.plant_horns), next(j.floor.plant_horns)]
    lot = f"(01)04870004000025(10)PWD-J{next(j.floor.lot_numbers):03d}"
    j.log_in("plant.operator")
    j.menu("/floor/move")
    j.scan("codes", [element_string(h) for h in horns])
    j.sees("receive-scanned")
    j.send()
    assert SENT[j.lang] in j.page.locator("h1").inner_text()
    j.menu("/floor/processing")
    j.scan("inputs", [element_string(h) for h in horns])
    j.page.select_option("#product_type", "powder")
    j.page.fill("#output-0-code", lot)
    j.page.fill("#output-0-mass", "5")  # far more than two horns give
    j.send("#check")
    assert j.page.locator("#outputs-error").count() == 1 and j.page.locator("#yield.fails").count() == 1
    j.sees("yield-refused")
    j.page.fill("#output-0-mass", "0.2")
    j.send("#check")
    assert j.page.locator("#yield.holds").count() == 1
    j.sees("yield-checked")
    j.send()
    assert SENT[j.lang] in j.page.locator("h1").inner_text()
    j.sees("processed")


def customs_day(j: Journey) -> None:
    number, lot = next(j.floor.permits)
    j.log_in("customs.officer")
    j.menu("/customs/endorse")
    j.page.fill("#permit", f"{j.floor.base}/verify/permit/{number}")  # what a scanner reads from the QR code
    j.scan("codes", [lot])
    j.sees("endorse-scanned")
    j.send()
    assert j.page.locator("#result .notice").count() == 1 and number in j.page.locator("#result").inner_text()
    j.sees("endorsed")


def inspector_day(j: Journey) -> None:
    leaked = next(j.floor.leaked)
    j.log_in("inspector")
    j.menu("/scan")
    j.page.fill("#code", element_string(leaked))
    j.sees("scan")
    with j.page.expect_navigation():
        j.page.press("#code", "Enter")
    assert "/items/" in j.page.url
    j.menu("/seizures/new")
    j.page.fill("#place", "Shymkent, central bazaar")
    j.page.select_option("#method", "market inspection")
    j.scan("codes", [element_string(leaked)])
    j.sees("seizure-form")
    j.send()
    assert j.page.locator("#matches .match-leak").count() == 1
    j.sees("seizure-matched")


def arrivals_day(j: Journey) -> None:
    """Customs records what arrived under the partner registry's permit; a number it cannot read is
    refused next to the permit field first (in the page's language), and nothing is recorded."""
    notice = next(j.floor.arrivals)
    text = PageText(j.lang)
    j.log_in("customs.officer")
    j.menu("/customs/arrivals")
    assert j.page.locator("h1").inner_text() == text.gettext("Record an arrival")
    j.page.fill("#permit", notice.number.rsplit("/", 1)[0])  # cut short, as a bad scan reads it
    j.scan("codes", notice.codes)
    j.send()
    assert j.page.locator("#permit-error").inner_text() == text.gettext(
        "Scan the permit's QR code or type its number, e.g. KZ/2026/000123."
    )
    assert j.page.get_attribute("#permit", "aria-invalid") == "true"
    assert "permit-error" in (j.page.get_attribute("#permit", "aria-describedby") or "")
    j.sees("arrival-refused")
    j.page.fill("#permit", notice.number)
    j.send()
    expected = text.ngettext(*ARRIVED, len(notice.codes), number=notice.number)
    assert j.page.locator("p.notice").inner_text() == expected
    j.sees("arrived")


def partner_day(j: Journey) -> None:
    """China's authority reads what was exported to China: the permit, then its lot's verdict back to
    the animals it came from. It records nothing here, and reconciliation is this country's."""
    number, lot = next(j.floor.exported)
    j.log_in("partner.authority")
    assert j.page.locator("nav.menu a[href='/partner/reconciliation']").count() == 0
    assert j.page.locator("nav.menu a[href='/floor/move']").count() == 0
    j.menu("/permits")
    link = j.page.locator("#permit-list a", has_text=number)
    assert link.count() == 1 and "(CN)" in j.page.locator("#permit-list").inner_text()
    j.sees("permits")
    with j.page.expect_navigation():
        link.click()
    assert number in j.page.locator("h1").inner_text()
    j.sees("permit")
    j.menu("/scan")
    j.page.fill("#code", lot)
    with j.page.expect_navigation():
        j.page.press("#code", "Enter")
    assert "/items/" in j.page.url and j.page.locator("#verdict").count() == 1
    assert j.page.locator("#origin .source-list .origin:not(.untraced)").count() >= 1  # back to harvest
    j.sees("item-traced")


DAYS = {
    "warehouse": warehouse_day,
    "plant": plant_day,
    "customs": customs_day,
    "arrivals": arrivals_day,
    "inspector": inspector_day,
    "partner": partner_day,
}


@pytest.mark.parametrize(("lang", "size"), RUNS)
@pytest.mark.parametrize("role", ROLES)
def test_the_floors_day(floor: Floor, browser: Any, role: str, lang: str, size: str) -> None:
    journey = Journey(browser, floor, role, lang, size)
    try:
        DAYS[role](journey)
    finally:
        journey.context.close()


def test_the_camera_reader_is_loaded_only_when_asked_and_within_budget(floor: Floor, browser: Any) -> None:
    """The scanning page ships its own script only; the barcode reader (about 44 KB of JavaScript and
    its WebAssembly) is fetched when the camera button is pressed, and the page stays within budget."""
    vendor = Path(__file__).resolve().parents[2] / "src" / "kiik" / "web" / "static" / "vendor"
    assert (vendor / "barcode-detector.js").stat().st_size < 60 * 1024
    assert (vendor / "zxing_reader.wasm").exists()
    context = browser.new_context(viewport=PHONE_360, locale="en", bypass_csp=True)
    page = context.new_page()
    page.goto(floor.base + "/")
    page.fill("#username", "inspector")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.press("#password", "Enter")
    page.goto(floor.base + "/scan")

    def loaded() -> list[str]:
        return list(page.evaluate("performance.getEntriesByType('resource').map(e => e.name)"))

    assert not any("barcode-detector" in name for name in loaded())
    assert page.locator("[data-camera]").is_visible()
    page.click("[data-camera]")
    # Headless Chromium has no camera: the reader is loaded, then the page says the camera cannot be used.
    page.wait_for_function("document.querySelector('[data-camera-status]').textContent.length > 0")
    assert any(name.endswith("/static/vendor/barcode-detector.js") for name in loaded())
    assert javascript_bytes(page) <= JAVASCRIPT_BUDGET
    context.close()
