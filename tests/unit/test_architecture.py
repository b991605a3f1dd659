"""Imports point inward: the domain is plain Python and knows no framework."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "kiik"
FRAMEWORKS = {
    "sqlalchemy",
    "fastapi",
    "starlette",
    "typer",
    "httpx",
    "psycopg",
    "alembic",
    "pydantic",
    "lxml",
    "jinja2",
    "rich",
    "uvicorn",
    "biip",
    "jsonschema",
    "ijson",
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _is_domain(name: str) -> bool:
    parts = name.split(".")
    return len(parts) >= 3 and parts[0] == "kiik" and parts[2] == "domain"


def _is_outer(name: str) -> bool:
    parts = name.split(".")
    entry_points = ("kiik.api", "kiik.web", "kiik.cli", "kiik.http", "kiik.app", "kiik.bootstrap")
    return name.startswith(entry_points) or (len(parts) >= 3 and parts[2] == "adapters")


def test_domain_imports_no_framework() -> None:
    paths = list(SRC.glob("*/domain/*.py"))
    assert len(paths) > 30, "every capability's rules live in its domain/ folder"
    for path in paths:
        roots = {name.split(".")[0] for name in _imports(path)}
        assert not roots & FRAMEWORKS, f"{path.name} imports {roots & FRAMEWORKS}"
        # kiik.errors is the bottom layer (standard library only): its Wording lets a rule's message
        # be translated by the pages.
        inner = {
            n for n in _imports(path) if n.startswith("kiik.") and not _is_domain(n) and n != "kiik.errors"
        }
        assert not inner, f"{path.name} imports outer layers {inner}"


def test_services_do_not_import_adapters_or_entry_points() -> None:
    paths = [*SRC.glob("*/services/*.py"), *SRC.glob("inspection/*.py"), *SRC.glob("demo/*.py")]
    assert len(paths) > 50, "every capability's use cases live in its services/ folder"
    for path in paths:
        outer = {n for n in _imports(path) if _is_outer(n)}
        assert not outer, f"{path.name} imports {outer}"
        roots = {name.split(".")[0] for name in _imports(path)}
        assert not roots & FRAMEWORKS, f"{path.name} imports {roots & FRAMEWORKS}"


def test_no_event_row_is_ever_updated_or_deleted() -> None:
    """Events are append-only: no code path issues UPDATE or DELETE on the event tables."""
    for path in SRC.rglob("*.py"):
        text = path.read_text()
        for table in ("events", "event_identifiers", "erroneous_events"):
            assert f"update({table})" not in text and f"delete({table})" not in text, path


def test_rows_that_capture_refers_to_without_a_foreign_key_are_never_deleted() -> None:
    """Migration 0010 dropped the foreign keys from capture's per-event and per-item rows to events,
    organisations and harvest authorisations; that is safe only while none of those is ever deleted."""
    for path in SRC.rglob("*.py"):
        text = " ".join(path.read_text().split()).lower()
        for table in ("events", "organisations", "harvest_authorisations"):
            assert f"delete({table})" not in text, path
            assert f"delete from {table}" not in text, path
