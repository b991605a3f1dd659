"""What the commands share: the database option, the registry, the operator's principal."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from kiik.bootstrap.registry import Registry, build
from kiik.config import Settings
from kiik.directory.domain.permissions import OrgKind, Principal, Role

console = Console()
errors = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="Database URL (default: $KIIK_DATABASE_URL or sqlite:///./kiik.db)", show_default=False
    ),
]


def registry_for(db: str | None) -> Registry:
    return build(Settings.from_env(database_url=db))


def fail(message: str, hint: str | None = None) -> typer.Exit:
    errors.print(f"[bold red]error:[/] {message}")
    if hint:
        errors.print(f"[dim]{hint}[/]")
    return typer.Exit(1)


def operator_for(registry: Registry, org_code: str) -> Principal:
    """The local operator acting for an organisation: whoever runs the CLI on the server acts as it."""
    with registry.uow() as uow:
        org = uow.directory.organisation(org_code)
    if org is None:
        raise fail(f"no organisation with code {org_code!r}", "list them with `kiik org list`")
    return Principal(org.id, org.code, org.name, OrgKind(org.kind), Role.OPERATOR, org.country)


def root_operator() -> Principal:
    """The server operator reading everything through the CLI (trace, reports)."""
    return Principal(0, "operator", "Registry operator (CLI)", OrgKind.MINISTRY, Role.VIEWER)
