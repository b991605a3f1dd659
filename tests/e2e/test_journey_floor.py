"""The floor's day in a real browser (Debian's Chromium), on the demo season as `make run` loads it:
the warehouse clerk ships horns by scanning, the plant operator receives horns and records a
processing run after checking its yield, the customs officer endorses an export by scanning the
permit and the goods, the inspector scans a code and records a seizure whose codes are matched.

Each role's journey runs in Kazakh, Russian and English at phone size (360 px), and once more at
desktop size in English: 16 journeys on one demo season (loaded once, ~15 s), each with its own
codes. Every page visited has no serious or critical axe-core violation, no sideways scrolling on
the phone, and at most 300 KB of JavaScript; screenshots land in screenshots/."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from kiik.app import create_app
from kiik.bootstrap.migrate import upgrade
from kiik.bootstrap.registry import Registry, build
from kiik.config import Settings
from kiik.custody.adapters.tables import items
from kiik.custody.services.floor import Movement, record_movement
from kiik.demo.cast import load_demo
from kiik.directory.adapters.tables import organisations
from kiik.directory.domain.permissions import OrgKind, Principal, Role
from kiik.directory.services.people import set_password
from kiik.epcis.adapters.barcodes import parse_scanned
from kiik.epcis.adapters.capture_source import open_capture_document
from kiik.epcis.adapters.reader import validate_event
from kiik.permits.services.application import ApplyForPermit, apply_for_permit
from kiik.permits.services.decisions import IssuePermit, issue_permit
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
from tests.support.people import PASSWORD

LANGUAGES = ("kk", "ru", "en")
# Every role in every language on a phone; every role once on a desktop (English).
RUNS = [(lang, "phone") for lang in LANGUAGES] + [("en", "desktop")]
ROLES = ("warehouse", "plant", "customs", "inspector")
SENT = {"kk": "тіркелді", "ru": "записан", "en": "recorded"}


@dataclass
class Floor:
    base: str
    registry: Registry
    # Codes set aside for each journey, so that no two journeys touch the same item.
    warehouse_horns: Iterator[str]
    plant_horns: Iterator[str]
    permits: Iterator[tuple[str, str]]  # (permit number, the lot it names)
    leaked: Iterator[str]
    lot_numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))


def _principal(registry: Registry, code: str) -> Principal:
    with registry.uow() as uow:
        org = uow.directory.organisation(code)
    return Principal(org.id, org.code, org.name, OrgKind(org.kind), Role.OPERATOR)


def _held(registry: Registry, org: str, product: str, count: int) -> list[str]:
    with registry.engine.connect() as connection:
        org_id = connection.scalar(select(organisations.c.id).where(organisations.c.code == org))
        rows = connection.execute(
            select(items.c.key)
            .where(
                items.c.holder_org_id == org_id, items.c.status == "active", items.c.product_type == product
            )
            .order_by(items.c.key)
            .limit(count)
        )
        return [r[0] for r in rows]


def _move(registry: Registry, codes: list[str], source: str, destination: str) -> None:
    """What the other side of a journey did before it: shipped (and received) through the floor service."""
    settings = registry.settings
    for kind, org, party in (("ship", source, destination), ("receive", destination, None)):
        outcome = record_movement(
            registry.uow(),
            _principal(registry, org),
            Movement(kind, codes, str(uuid.uuid4()), party),
            parse_scanned,
            validate_event,
            custody_rules=settings.custody_rules,
            yields=settings.yields,
        )
        assert outcome.status == "recorded", outcome.errors
        if destination == "oral-plant":
            return  # the plant receives its horns itself, on the page


def _permits(registry: Registry, count: int) -> list[tuple[str, str]]:
    """Powder lots sold by the plant to the exporter, each on an export permit the ministry issued."""
    lots = _held(registry, "oral-plant", "powder", 40)
    lots = [lot for lot in lots if "-P" not in lot][:count]  # whole lots, not the pharmacy's packs
    _move(registry, lots, "oral-plant", "saiga-export")
    exporter, ministry = _principal(registry, "saiga-export"), _principal(registry, "kz-ministry")
    permits = []
    for lot in lots:
        applied = apply_for_permit(
            registry.uow(), exporter, ApplyForPermit([lot], "Tongrentang", "CN", "Beijing")
        )
        permit = issue_permit(registry.uow(), ministry, IssuePermit(applied.id))
        permits.append((str(permit.number), lot))
    return permits


@pytest.fixture(scope="module")
def floor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Floor]:
    folder = tmp_path_factory.mktemp("journey")
    registry = build(Settings(database_url=f"sqlite:///{folder / 'demo.db'}", key_dir=str(folder / "keys")))
    upgrade(registry.engine)
    from kiik.cli.cites_setup import prepare
    from kiik.cli.demo_command import _CameraTrapFiles

    prepare(registry)
    load_demo(
        registry.uow,
        open_capture_document,
        custody_rules=registry.settings.custody_rules,
        yields=registry.settings.yields,
        camera_trap_files=_CameraTrapFiles(),
        validate_event=validate_event,
    )
    for username in ("warehouse.clerk", "plant.operator", "customs.officer", "inspector"):
        set_password(registry.uow(), username, PASSWORD)
    runs = len(RUNS)
    horns = _held(registry, "almaty-warehouse", "whole_horn", 5 * runs)
    warehouse_horns, plant_horns, leaked = horns[: 2 * runs], horns[2 * runs : 4 * runs], horns[4 * runs :]
    _move(registry, plant_horns, "almaty-warehouse", "oral-plant")
    permits = _permits(registry, runs)
    with served(create_app(registry)) as base:
        yield Floor(base, registry, iter(warehouse_horns), iter(plant_horns), iter(permits), iter(leaked))
    registry.engine.dispose()


def element_string(key: str) -> str:
    """A horn's Digital Link key as its DataMatrix reads: (01)GTIN(21)serial."""
    _, _, rest = key.partition("/01/")
    gtin, _, serial = rest.partition("/21/")
    return f"(01){gtin}(21){serial}"


class Journey:
    def __init__(self, browser: Any, floor: Floor, role: str, lang: str, size: str) -> None:
        viewport = PHONE_360 if size == "phone" else DESKTOP
        self.context = browser.new_context(viewport=viewport, locale=lang, bypass_csp=True)
        self.page = self.context.new_page()
        self.floor, self.role, self.lang, self.size = floor, role, lang, size
        self.shots = 0

    def log_in(self, username: str) -> None:
        self.page.goto(self.floor.base + "/")
        self.page.fill("#username", username)
        self.page.fill("#password", PASSWORD)
        with self.page.expect_navigation():
            self.page.press("#password", "Enter")

    def menu(self, href: str) -> None:
        with self.page.expect_navigation():
            self.page.click(f"nav.menu a[href='{href}']")

    def scan(self, field: str, codes: list[str]) -> None:
        """As a USB scanner does: each code typed, then Enter; kiik checks the list at once."""
        for code in codes:
            self.page.type(f"#{field}", code)
            self.page.press(f"#{field}", "Enter")
        self.page.wait_for_function(
            """([field, codes]) => {
                const rows = [...document.querySelectorAll(`#${field} ~ [data-checks] tbody tr code`)];
                return rows.map((code) => code.textContent).join(" ") === codes.join(" ");
            }""",
            arg=[field, codes],
        )

    def sees(self, step: str) -> None:
        """The page as it is now: looked at (a screenshot), and checked for what every page keeps."""
        self.shots += 1
        screenshot(self.page, f"floor-{self.role}-{self.lang}-{self.size}-{self.shots}-{step}")
        assert axe_problems(self.page) == [], f"{self.role} {step}"
        assert javascript_bytes(self.page) <= JAVASCRIPT_BUDGET
        if self.size == "phone":
            assert horizontal_overflow(self.page) == 0, f"{self.role} {step} scrolls sideways"

    def send(self, button: str = "#send") -> None:
        with self.page.expect_navigation():
            self.page.click(button)


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


DAYS = {"warehouse": warehouse_day, "plant": plant_day, "customs": customs_day, "inspector": inspector_day}


@pytest.mark.parametrize(("lang", "size"), RUNS)
@pytest.mark.parametrize("role", ROLES)
def test_the_floors_day(floor: Floor, role: str, lang: str, size: str) -> None:
    with chromium() as browser:
        journey = Journey(browser, floor, role, lang, size)
        try:
            DAYS[role](journey)
        finally:
            journey.context.close()


def test_the_camera_reader_is_loaded_only_when_asked_and_within_budget(floor: Floor) -> None:
    """The scanning page ships its own script only; the barcode reader (about 44 KB of JavaScript and
    its WebAssembly) is fetched when the camera button is pressed, and the page stays within budget."""
    vendor = Path(__file__).resolve().parents[2] / "src" / "kiik" / "web" / "static" / "vendor"
    assert (vendor / "barcode-detector.js").stat().st_size < 60 * 1024
    assert (vendor / "zxing_reader.wasm").exists()
    with chromium() as browser:
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
