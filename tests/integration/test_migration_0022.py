"""Migration 0022 on a database with organisations, sites, people and a partner already in it, on
SQLite and PostgreSQL: they keep no place, no contact and are delivered to as before; taken back,
the columns go and the rows stay (other tables' rows still refer to them); made again, no drift."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from alembic import command
from sqlalchemy import insert, inspect, text

from kiik.bootstrap.migrate import alembic_config, drift, is_current, upgrade
from kiik.cli.db_commands import ensure_database
from kiik.db.engine import make_engine
from kiik.directory.adapters.tables import api_tokens, organisations, sites
from kiik.partners.adapters.tables import partners

T = datetime(2026, 12, 1, 9)
NEW = {
    "sites": {"region", "latitude", "longitude"},
    "organisations": {"contact_person", "contact_phone", "contact_email", "postal_address"},
    "partners": {"collects"},
}


def _columns(engine: Any) -> dict[str, set[str]]:
    found = inspect(engine)
    return {table: {c["name"] for c in found.get_columns(table)} for table in NEW}


@pytest.mark.parametrize("dialect", ["sqlite", "postgres"])
def test_places_contacts_and_collecting_partners_come_and_go(new_database: Any, dialect: str) -> None:
    url = new_database(dialect, "m22")
    if dialect == "postgres":
        ensure_database(url)
    engine = make_engine(url)
    upgrade(engine, "0021")
    with engine.begin() as connection:
        # Only the columns revision 0021 has (an insert names only the columns it is given).
        org = {"id": 1, "code": "w", "name": "W", "kind": "warehouse", "country": "KZ", "created_at": T}
        connection.execute(insert(organisations).values(**org))
        site = {"id": 1, "org_id": 1, "sgln": "urn:epc:id:sgln:4870003.00000.0", "name": "S", "created_at": T}
        connection.execute(insert(sites).values(**site))
        token = {"token_hash": "h", "org_id": 1, "role": "admin", "label": "", "created_at": T}
        connection.execute(insert(api_tokens).values(**token))
        connection.execute(
            insert(partners).values(id=1, country="UZ", name="UZ", base_url="https://u", created_at=T)
        )
    assert all(not (NEW[table] & columns) for table, columns in _columns(engine).items())
    upgrade(engine)
    assert is_current(engine) and drift(engine) == []
    assert _columns(engine) == {table: _columns(engine)[table] | NEW[table] for table in NEW}
    with engine.connect() as connection:
        place = connection.execute(text("SELECT region, latitude, longitude FROM sites")).one()
        contact = connection.execute(
            text("SELECT contact_person, contact_phone, contact_email, postal_address FROM organisations")
        ).one()
        collects = connection.execute(text("SELECT collects FROM partners")).scalar()
    assert tuple(place) == (None, None, None) and tuple(contact) == ("", "", "", "") and not collects
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0021")
    assert all(not (NEW[table] & columns) for table, columns in _columns(engine).items())
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM organisations")).scalar() == 1
        assert connection.execute(text("SELECT count(*) FROM sites")).scalar() == 1
    upgrade(engine)
    assert is_current(engine) and drift(engine) == []
    engine.dispose()
