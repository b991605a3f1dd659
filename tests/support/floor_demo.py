"""The floor's journeys' world: the demo season as `make run` loads it, served once per test module,
with codes set aside for each journey so that no two journeys touch the same item; and a journey in
a browser context of its own (a language, a size), which checks every page it looks at."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from kiik.app import create_app
from kiik.bootstrap.migrate import upgrade
from kiik.bootstrap.registry import Registry, build
from kiik.config import Settings
from kiik.custody.adapters.tables import items
from kiik.custody.services.floor import Movement, record_movement
from kiik.demo.cast import load_demo
from kiik.demo.partner import Notified, receive_export_notices
from kiik.directory.adapters.tables import organisations
from kiik.directory.domain.permissions import OrgKind, Principal, Role
from kiik.directory.services.people import set_password
from kiik.epcis.adapters.barcodes import parse_scanned
from kiik.epcis.adapters.capture_source import open_capture_document
from kiik.epcis.adapters.reader import validate_event
from kiik.ledger.adapters.signing import verify_with
from kiik.permits.services.application import ApplyForPermit, apply_for_permit
from kiik.permits.services.decisions import IssuePermit, issue_permit
from kiik.permits.services.endorsement import EndorseExport, endorse_export
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
from tests.support.people import PASSWORD

USERNAMES = ("warehouse.clerk", "plant.operator", "customs.officer", "inspector", "partner.authority")


@dataclass
class Floor:
    base: str
    registry: Registry
    # Codes set aside for each journey, so that no two journeys touch the same item.
    warehouse_horns: Iterator[str]
    plant_horns: Iterator[str]
    permits: Iterator[tuple[str, str]]  # (permit number, the lot it names): to endorse
    exported: Iterator[tuple[str, str]]  # permits to China endorsed already: what China's authority reads
    arrivals: Iterator[Notified]  # the partner registry's export notices: arrivals to record
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


def _permits(registry: Registry, lots: list[str], seller: str) -> list[tuple[str, str]]:
    """Items sold to the exporter, each on an export permit to China the ministry issued."""
    _move(registry, lots, seller, "saiga-export")
    exporter, ministry = _principal(registry, "saiga-export"), _principal(registry, "kz-ministry")
    permits = []
    for lot in lots:
        applied = apply_for_permit(
            registry.uow(), exporter, ApplyForPermit([lot], "Tongrentang", "CN", "Beijing")
        )
        permit = issue_permit(registry.uow(), ministry, IssuePermit(applied.id))
        permits.append((str(permit.number), lot))
    return permits


def _endorse(registry: Registry, permits: list[tuple[str, str]]) -> None:
    """Customs saw these lots leave for China: what China's authority can then follow."""
    customs = _principal(registry, "kz-customs")
    for number, lot in permits:
        endorse_export(
            registry.uow(),
            customs,
            EndorseExport(number, [lot]),
            validate_event,
            custody_rules=True,
            yields={},
        )


@contextmanager
def floor_demo(folder: Path, runs: int) -> Iterator[Floor]:
    """The demo season with what `runs` runs of each journey need, served on a free port."""
    registry = build(Settings(database_url=f"sqlite:///{folder / 'demo.db'}", key_dir=str(folder / "keys")))
    upgrade(registry.engine)
    from kiik.cli.cites_setup import prepare
    from kiik.cli.demo_command import _CameraTrapFiles

    prepare(registry)
    demo = load_demo(
        registry.uow,
        open_capture_document,
        custody_rules=registry.settings.custody_rules,
        yields=registry.settings.yields,
        camera_trap_files=_CameraTrapFiles(),
        validate_event=validate_event,
        verify_signature=verify_with,
        country=registry.settings.country,
    )
    assert demo.arrival is not None  # the notice `make run` prints: the first run records its arrival
    later = receive_export_notices(registry.uow, verify_with, registry.settings.country, range(2, runs + 1))
    for username in USERNAMES:
        set_password(registry.uow(), username, PASSWORD)
    horns = _held(registry, "almaty-warehouse", "whole_horn", 6 * runs)
    warehouse_horns, plant_horns, leaked = (
        horns[: 2 * runs],
        horns[2 * runs : 4 * runs],
        horns[4 * runs : 5 * runs],
    )
    _move(registry, plant_horns, "almaty-warehouse", "oral-plant")
    lots = [lot for lot in _held(registry, "oral-plant", "powder", 40) if "-P" not in lot]  # not the packs
    assert len(lots) >= runs, f"the demo's plant holds {len(lots)} whole powder lots, {runs} needed"
    to_endorse = _permits(registry, lots[:runs], "oral-plant")
    # Whole horns exported to China already: what China's authority follows back to their harvest.
    exported = _permits(registry, horns[5 * runs :], "almaty-warehouse")
    _endorse(registry, exported)
    try:
        with served(create_app(registry)) as base:
            yield Floor(
                base,
                registry,
                iter(warehouse_horns),
                iter(plant_horns),
                iter(to_endorse),
                iter(exported),
                iter([demo.arrival, *later]),
                iter(leaked),
            )
    finally:
        registry.engine.dispose()


def element_string(key: str) -> str:
    """A horn's Digital Link key as its DataMatrix reads: (01)GTIN(21)serial."""
    _, _, rest = key.partition("/01/")
    gtin, _, serial = rest.partition("/21/")
    return f"(01){gtin}(21){serial}"


class Journey:
    """One person's walk in a browser context of its own: a language, a phone or a desktop."""

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
