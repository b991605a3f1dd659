"""The schema changes only through Alembic, and the tables declared in code match the migrations."""

from __future__ import annotations

from kiik.bootstrap.migrate import drift, is_current, upgrade
from kiik.db.engine import make_engine


def test_migrated_database_matches_the_declared_tables(registry) -> None:  # type: ignore[no-untyped-def]
    assert is_current(registry.engine)
    assert drift(registry.engine) == []


def test_migrations_run_from_empty_step_by_step(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'steps.db'}")
    assert not is_current(engine)
    upgrade(engine, "0001")
    assert not is_current(engine)
    upgrade(engine)
    assert is_current(engine) and drift(engine) == []
    engine.dispose()


def test_the_migrations_form_one_line() -> None:
    from alembic.script import ScriptDirectory

    from kiik.bootstrap.migrate import alembic_config

    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1
