"""Every administrative action leaves an entry (who, when, what) in the same transaction; the
ministry reads the trail, nobody else does, and no code path changes or deletes an entry."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kiik.bootstrap.registry import Registry
from kiik.custody.services.mass_bounds import SetMassBound, set_mass_bound
from kiik.custody.services.stock import set_mass_tolerance
from kiik.directory.domain.permissions import NotAllowed, OrgKind, Principal, Role
from kiik.directory.services.audit import OPERATOR, read_audit
from kiik.directory.services.auth import add_organisation, add_site, create_token
from kiik.harvest.services.authorisations import AuthoriseHarvest, authorise_harvest
from kiik.ledger.services.signing_keys import ensure_signing_key, rotate_signing_key
from kiik.partners.services.registries import add_partner
from tests.support.world import make_world

SRC = Path(__file__).resolve().parents[2] / "src" / "kiik"


def test_each_administrative_action_is_recorded_with_who_and_when(registry: Registry) -> None:
    world = make_world(registry)
    ministry = world["ministry"].principal
    admin = Principal(ministry.org_id, "ministry", ministry.org_name, OrgKind.MINISTRY, Role.ADMIN)
    add_organisation(registry.uow(), "aral-plant", "Aral plant", "processor", actor=admin)
    add_site(registry.uow(), "aral-plant", "urn:epc:id:sgln:4870010.00000.0", "Aral", actor=admin)
    issued = create_token(registry.uow(), "aral-plant", "operator", "night shift", actor=admin)
    ensure_signing_key(registry.uow())
    rotate_signing_key(registry.uow(), admin)
    set_mass_tolerance(registry.uow(), admin, 0.03)
    set_mass_bound(registry.uow(), admin, SetMassBound("powder", "lot", 0.01, 500.0))
    season = (date(2025, 8, 1), date(2025, 11, 30))
    authorise_harvest(registry.uow(), ministry, AuthoriseHarvest("harvester", "Ural", *season, 5))
    add_partner(registry.uow(), admin, "CN", "China", "https://kiik.example.cn", keys=[("k1", "A" * 43)])

    entries = read_audit(registry.uow(), world["ministry"].principal)
    actions = [e.action for e in entries]
    assert actions[:9] == [
        "partner.added",
        "harvest_authorisation.issued",
        "setting.changed",
        "setting.changed",
        "signing_key.rotated",
        "signing_key.made",
        "token.created",
        "site.added",
        "organisation.added",
    ]
    by_action: dict[str, Any] = {}
    for entry in entries:  # newest first: the entry of this test's action, not make_world's
        by_action.setdefault(entry.action, entry)
    assert by_action["organisation.added"].actor == "ministry (admin)"
    assert by_action["organisation.added"].details["kind"] == "processor"
    assert by_action["signing_key.made"].actor == OPERATOR
    assert by_action["harvest_authorisation.issued"].actor == "ministry (operator)"
    token_entry = by_action["token.created"]
    assert token_entry.subject == "aral-plant" and token_entry.details["role"] == "operator"
    assert issued.token not in str([e.to_json() for e in entries])  # the token is never written down
    settings = read_audit(registry.uow(), ministry, action="setting.")
    assert [e.subject for e in settings] == ["mass_bound", "mass_tolerance"]

    for outsider in ("warehouse", "inspector", "customs"):
        with pytest.raises(NotAllowed):
            read_audit(registry.uow(), world[outsider].principal)

    command = [
        sys.executable,
        "-m",
        "kiik.cli.main",
        "audit",
        "--action",
        "token.",
        "--db",
        registry.settings.database_url,
    ]
    shown = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0 and "token.created" in shown.stdout and "aral-plant" in shown.stdout


def test_no_code_changes_or_deletes_an_audit_entry() -> None:
    for path in SRC.rglob("*.py"):
        text = " ".join(path.read_text().split()).lower()
        for table in ("admin_audit", "register_audit", "permit_history"):
            assert f"update({table})" not in text and f"delete({table})" not in text, path
            assert f"update {table}" not in text and f"delete from {table}" not in text, path
