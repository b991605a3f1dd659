"""Legal trade and its proceeds as pages: the cull's mass balance, the meat lots (a recalled one
found by its filter, each batch linked to the public pack check), the proceeds per population and
purpose in the reader's language, and the dashboard's panel showing the same numbers as the lists."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from tests.support.browser import DESKTOP, PHONE_360, axe_problems, horizontal_overflow, screenshot, served
from tests.support.people import PASSWORD, person
from tests.support.trade import CULL, deliver, make_cuts, meat_world

FEE = {
    "title": "Cull fee 2025",
    "charge": "cull",
    "basis": "per_item",
    "rate": 1500.0,
    "valid_from": "2025-01-01",
    "legal_basis": "order 15/1",
}
ALLOCATION = {
    "title": "Allocation 2025",
    "shares": {"protection": 0.6, "habitat": 0.2, "research": 0.2},
    "valid_from": "2025-01-01",
    "legal_basis": "order 15/4",
}


def _rows(html: str) -> int:
    return int(re.search(r'<p role="status">([\d,]+) rows?\.', html)[1].replace(",", ""))  # type: ignore[index]


def test_culls_lots_and_proceeds_as_pages_with_the_dashboard_panel(registry: Registry) -> None:
    meat = meat_world(registry)
    ministry = {"Authorization": f"Bearer {meat.world['ministry'].token}"}
    trader = {"Authorization": f"Bearer {meat.world['trader'].token}"}
    with TestClient(create_app(registry)) as client:
        assert client.post("/api/proceeds/fee-rules", json=FEE, headers=ministry).status_code == 201
        assert (
            client.post("/api/proceeds/allocation-rules", json=ALLOCATION, headers=ministry).status_code
            == 201
        )
        batch = deliver(meat, "D1", 10, 150.0)
        _, recalled = make_cuts(meat, [(batch, 150.0)], [("LOT-A", 100), ("LOT-B", 60)])
        recall = client.post(
            f"/api/trade/lots/{recalled}/recall", json={"reason": "cold chain broken"}, headers=ministry
        )
        assert recall.status_code == 200, recall.text

        culls = client.get("/lists/culls", headers=trader).text  # every member reads legal trade
        assert _rows(culls) == 1 and CULL in culls and ">10<" in culls.replace(" ", "")

        lots = client.get("/lists/meat-lots", headers=trader).text
        assert _rows(lots) == 2
        only = client.get("/lists/meat-lots?state=recalled", headers=trader).text
        assert _rows(only) == 1 and "LOT-B" in only and "LOT-A" not in only
        check = re.search(r'href="(/01/\d{14}/10/LOT-B)"', only)
        assert check, "a batch links to its public pack check"
        public = client.get(check[1], headers={"Accept-Language": "en"})
        assert public.status_code == 200 and "recall" in public.text.lower()
        wrong = client.get("/lists/meat-lots?state=eaten", headers=trader)
        assert wrong.status_code == 400 and "Not one of the choices" in wrong.text

        russian = client.get("/lists/proceeds?year=2025", headers=trader | {"Accept-Language": "ru"}).text
        assert "охрана популяций" in russian and "Ural" in russian
        assert re.search(r"15\s000", russian) and re.search(r"9\s000", russian)  # 60 % of 15,000 tenge
        assert client.get("/lists/proceeds?year=1999", headers=trader).status_code == 400

        board = client.get("/dashboard", headers=ministry).text
        assert re.search(r'href="/lists/culls"><strong>1</strong>', board)
        assert re.search(r'href="/lists/meat-lots"><strong>2</strong>', board)
        assert re.search(r'href="/lists/meat-lots\?state=recalled"><strong>1</strong>', board)
        assert re.search(r'href="/lists/proceeds\?year=2025"><strong>15,000</strong>', board)


def test_the_trade_and_proceeds_pages_in_chromium(registry: Registry, browser: Any) -> None:
    """Legal trade's lists and the proceeds rules at 360 px and on a desktop, in Russian: no serious
    or critical axe-core violation, no sideways scrolling, a refused rate explained in place."""
    meat = meat_world(registry)
    person(registry, "ministry", "ministry.officer")
    batch = deliver(meat, "D1", 10, 150.0)
    make_cuts(meat, [(batch, 150.0)], [("LOT-A", 100), ("LOT-B", 60)])
    pages = [
        "/lists/culls",
        "/lists/meat-lots",
        "/lists/take-permits",
        "/lists/sale-prices",
        "/lists/proceeds",
    ]
    with served(create_app(registry)) as base:
        for size, viewport in (("phone", PHONE_360), ("desktop", DESKTOP)):
            page = browser.new_context(viewport=viewport, locale="ru", bypass_csp=True).new_page()
            page.goto(base + "/")
            page.fill("#username", "ministry.officer")
            page.fill("#password", PASSWORD)
            with page.expect_navigation():
                page.click("form:has(input[name=password]) button[type=submit]")
            for path in [*pages, "/proceeds/rules", "/dashboard"]:
                page.goto(base + path)
                assert axe_problems(page) == [], path
                assert horizontal_overflow(page) == 0, f"{path} scrolls sideways at {size} size"
                screenshot(page, f"trade{path.replace('/', '-')}-{size}")
            page.goto(base + "/proceeds/rules")
            page.fill("#fee-title", "Sale fee")
            page.fill("#fee-rate", "много")
            page.fill("#fee-basis-legal", "Order 15/1")
            with page.expect_navigation():
                page.click("#add-fee ~ form button[type=submit]")
            assert "Напишите число" in page.locator("#fee-rate-error").inner_text()
            assert page.locator("#fee-rate").get_attribute("aria-invalid") == "true"
            assert axe_problems(page) == [], "the refused fee rule"
            screenshot(page, f"trade-proceeds-refused-{size}")
            page.context.close()
