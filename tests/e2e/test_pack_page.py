"""The public pack check as a shopper's phone shows it, in Chinese and Kazakh, legal and recalled
(screenshots under screenshots/)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.trade.domain.meat import LotPlan
from kiik.trade.services.culls import DeliverCarcasses, RegisterCull, deliver_carcasses, register_cull
from kiik.trade.services.meat_lots import Process, process, recall_lot, receive_lot
from tests.support.browser import DESKTOP, PHONE, chromium, horizontal_overflow, screenshot, served
from tests.support.trade import CARCASS_GTIN, CUTS_GTIN, meat_world


def test_a_shopper_scans_a_pack_in_chinese_and_kazakh(registry: Registry) -> None:
    meat = meat_world(registry)
    now = datetime.now(UTC).replace(microsecond=0)
    cull, yields = "CULL-PAGE", registry.settings.yields
    register_cull(
        registry.uow(),
        meat.world["ministry"].principal,
        RegisterCull(
            cull, "Betpakdala", "zone 2", (now - timedelta(days=9)).date(), now.date(), "A", 50, "harvester"
        ),
    )
    moment = now - timedelta(days=2)
    batch = deliver_carcasses(
        registry.uow(),
        meat.world["harvester"].principal,
        DeliverCarcasses(cull, CARCASS_GTIN, "P1", 10, 150.0, "plant", moment),
        yields,
    )
    plant = meat.world["plant"].principal
    receive_lot(registry.uow(), plant, batch, moment + timedelta(hours=1), yields)
    plans = (
        LotPlan("PAGE-1", 100, 0.5, (now + timedelta(days=10)).date()),
        LotPlan("PAGE-2", 60, 0.5, (now + timedelta(days=10)).date()),
    )
    good, bad = process(
        registry.uow(),
        plant,
        Process("meat_cuts", CUTS_GTIN, "VET-9", ((batch, 150.0),), plans, moment + timedelta(hours=2)),
        yields,
    )
    recall_lot(registry.uow(), plant, bad, "foreign body found", moment + timedelta(hours=3), yields)
    with served(create_app(registry)) as base, chromium() as browser:
        for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            page = browser.new_page(viewport=viewport)
            page.goto(f"{base}{good.removeprefix('https://id.gs1.org')}?lang=zh")
            assert page.locator("#verdict .verdict-word").text_content() == "合法：是"
            assert "别特帕克达拉" in page.locator("#verdict").inner_text()
            assert horizontal_overflow(page) == 0, f"{name}: the page scrolls sideways"
            screenshot(page, f"pack-check-legal-zh-{name}")
            page.goto(f"{base}{bad.removeprefix('https://id.gs1.org')}?lang=kk")
            assert page.locator("#verdict .verdict-word").text_content() == "Заңсыз"
            assert "кері қайтарылды" in page.locator("#verdict h1").inner_text()
            assert page.locator("html").get_attribute("lang") == "kk"
            assert horizontal_overflow(page) == 0, f"{name}: the page scrolls sideways"
            screenshot(page, f"pack-check-recalled-kk-{name}")
