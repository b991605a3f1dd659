"""`kiik demo --horns N --seed S` as a person runs it: a season, its irregularities and where to look."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kiik.app import create_app
from kiik.bootstrap.registry import Registry, build
from kiik.config import Settings
from kiik.directory.domain.permissions import OrgKind, Permission
from kiik.directory.services.sessions import LogIn, LoginRefused, log_in
from kiik.partners.services.imports import RecordArrival, record_arrival
from tests.e2e.test_cli import kiik

NOW = datetime(2026, 3, 1, 9, 0)


def test_demo_season_prints_irregularities_and_the_powder_lot_page(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'season.db'}"
    kiik("init", db=db)
    result = kiik("demo", "--horns", "40", "--seed", "4", db=db)
    out = result.stdout
    assert "demo data loaded" in out and "season: 40 horns of 20 animals" in out
    assert "Irregularities kiik flags" in out
    for rule in (
        "transformation.mass_balance",
        "item.not_movable",
        "harvest.outside_area",
        "identifier.already_commissioned",
        "receiving.not_shipped",
    ):
        assert rule in out
    assert "http://127.0.0.1:8000/items/urn%3Aepc%3Aclass%3Algtin%3A4870004.000002.PWD-2025-0001" in out
    assert "kz-inspectorate: kiik_" in out
    first = printed_logins(out)
    assert set(first) >= {"ministry.admin", "harvest.team", "warehouse.clerk", "customs.officer", "inspector"}
    registry = build(Settings(database_url=db))
    session = log_in(registry.uow(), LogIn("customs.officer", first["customs.officer"]), NOW)
    assert session.principal.org_code == "kz-customs"
    # The partner registry's notice printed: customs records its arrival with the codes printed.
    number, codes = printed_arrival(out)
    confirmed = record_arrival(registry.uow(), session.principal, RecordArrival(number, codes))
    assert confirmed["permit_number"] == number and confirmed["missing"] == [] and len(codes) == 2
    # China's authority logs in, and reads only: its kind records nothing here.
    partner = log_in(registry.uow(), LogIn("partner.authority", first["partner.authority"]), NOW).principal
    assert partner.org_kind is OrgKind.PARTNER_AUTHORITY and partner.sees_exports_to == "CN"
    assert partner.may(Permission.PERMITS_READ) and not partner.may(Permission.EVENTS_CAPTURE)
    assert not partner.may(Permission.RECONCILIATION_READ)
    every_printed_link_opens(out, registry)
    again = kiik("demo", "--horns", "40", db=db)
    assert "already present" in again.stdout and "An arrival to record" not in again.stdout
    second = printed_logins(again.stdout)
    assert second["inspector"] != first["inspector"]  # new passwords each run; the old ones stop working
    with pytest.raises(LoginRefused):
        log_in(registry.uow(), LogIn("inspector", first["inspector"]), NOW)
    assert (
        log_in(registry.uow(), LogIn("inspector", second["inspector"]), NOW).principal.username == "inspector"
    )
    few = kiik("demo", "--horns", "5", db=db, check=False)
    assert few.returncode == 1 and "at least 20" in few.stderr


def every_printed_link_opens(out: str, registry: Registry) -> None:
    """Each address the demo prints answers: pages and the API as the ministry (its printed token),
    pack checks and permit verification without one; a page, not the API, where a person reads it."""
    token = re.search(r"kz-ministry: (kiik_[\w-]+)", out)
    assert token is not None
    printed = {link.rstrip(",.;:)") for link in re.findall(r"http://127\.0\.0\.1:8000(/[^\s]*)", out)}
    # The customs' own page (its login is printed beside it) and the API's front doors aside.
    links = sorted(printed - {"/", "/docs", "/epcis/events", "/customs/arrivals"})
    assert len(links) > 20, links
    with TestClient(create_app(registry)) as client:
        for link in links:
            answer = client.get(link, headers={"Authorization": f"Bearer {token[1]}"})
            assert answer.status_code == 200, (link, answer.status_code, answer.text[:300])
    readers = [link for link in links if "/lists/" in link or link.startswith("/monitoring/")]
    assert {"/lists/offtake", "/lists/passage-alerts", "/lists/culls", "/lists/proceeds?year=2025"} <= set(
        readers
    )


def printed_logins(out: str) -> dict[str, str]:
    """username -> password, as `kiik demo` prints them (one person a line)."""
    return dict(re.findall(r"^  ([a-z.]+) +([0-9a-f]{6}-[0-9a-f]{6}-[0-9a-f]{6}):", out, re.M))


def printed_arrival(out: str) -> tuple[str, list[str]]:
    """The partner's permit number and the codes to scan, as `kiik demo` prints them."""
    number = re.search(r"under its permit (UZ/\d{4}/\d{6})", out)
    assert number is not None, out
    return number.group(1), re.findall(r"^  (\(01\)\d{14}\(21\)\d+)$", out, re.M)
