"""The proceeds rules as a page, on both databases: the ministry adds a fee rule and an allocation
rule through its forms; a rate that is no number, a percentage over 100 and shares that do not add
up to 100 % are refused next to their field in the reader's language and store nothing; an exporter
reads the rules without the forms and cannot post them; the API keeps its English."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from kiik.bootstrap.registry import Registry
from kiik.proceeds.adapters.tables import allocation_rules, fee_rules
from tests.e2e.test_desk_pages import Desk, client_of
from tests.support.people import person
from tests.support.world import make_world


def count(registry: Registry, table: Any) -> int:
    with registry.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(table)) or 0)


FEE = {
    "title": "Sale fee 2026",
    "charge": "sale",
    "basis": "share_of_price",
    "rate": "5",
    "valid_from": "2026-01-01",
    "legal_basis": "Order 15/1 of the ministry",
}
SPLIT = {
    "title": "Allocation 2026",
    "share_protection": "50",
    "share_habitat": "30",
    "share_research": "20",
    "valid_from": "2026-01-01",
    "legal_basis": "Order 15/4 of the ministry",
}


@pytest.fixture
def desk(registry: Registry):  # type: ignore[no-untyped-def]
    world = make_world(registry)
    person(registry, "ministry", "ministry.officer")
    person(registry, "trader", "exporter.one")
    return registry, world


def test_the_ministry_sets_the_proceeds_rules_from_the_page(desk) -> None:  # type: ignore[no-untyped-def]
    registry, world = desk
    with client_of(registry) as client:
        client.headers["Accept-Language"] = "ru"
        ministry = Desk(client, "ministry.officer")
        assert "Правила поступлений" in ministry.get("/").text  # in the ministry's menu

        bad = ministry.post("/proceeds/fee-rules", FEE | {"rate": "много"})
        assert bad.status_code == 400 and 'id="fee-rate-error"' in bad.text
        assert "Напишите число" in bad.text
        over = ministry.post("/proceeds/fee-rules", FEE | {"rate": "150"})
        assert over.status_code == 400 and "Укажите процент от цены" in over.text
        cull = ministry.post("/proceeds/fee-rules", FEE | {"charge": "cull"})
        assert cull.status_code == 400 and 'id="fee-basis-error"' in cull.text
        assert "у отстрела нет цены" in cull.text  # the domain's own refusal, worded
        backwards = ministry.post("/proceeds/fee-rules", FEE | {"valid_until": "2025-01-01"})
        assert backwards.status_code == 400 and 'id="fee-valid_until-error"' in backwards.text
        assert "заканчивается" in backwards.text and "Sale fee 2026" in backwards.text
        uneven = ministry.post("/proceeds/allocation-rules", SPLIT | {"share_research": "10"})
        assert uneven.status_code == 400 and 'id="allocation-share_protection-error"' in uneven.text
        assert "в сумме дают 0.9" in uneven.text
        assert count(registry, fee_rules) == 0 and count(registry, allocation_rules) == 0

        assert ministry.post("/proceeds/fee-rules", FEE).status_code == 303
        assert ministry.post("/proceeds/allocation-rules", SPLIT).status_code == 303
        assert count(registry, fee_rules) == 1 and count(registry, allocation_rules) == 1
        page = ministry.get("/proceeds/rules?done=fee").text
        assert "Правило сбора добавлено" in page and "5,00 % цены" in page.replace("\u00a0", " ")
        assert "Order 15/4 of the ministry" in page and "50,0 %" in page.replace("\u00a0", " ")

    with client_of(registry) as client:
        exporter = Desk(client, "exporter.one")
        read = exporter.get("/proceeds/rules")
        assert read.status_code == 200 and "Sale fee 2026" in read.text and "Add a fee rule" not in read.text
        assert exporter.post("/proceeds/fee-rules", FEE).status_code == 403
        assert count(registry, fee_rules) == 1

    api = client_of(registry)
    with api:
        token = {"Authorization": f"Bearer {world['ministry'].token}"}
        english = api.post(
            "/api/proceeds/allocation-rules",
            json={
                "title": "x y z",
                "shares": {"protection": 0.5},
                "valid_from": "2026-01-01",
                "legal_basis": "abc",
            },
            headers=token,
        )
        assert (
            english.status_code == 400 and "the shares of 'x y z' add up to 0.5" in english.json()["detail"]
        )
