"""`kiik person add|list|password|end-sessions`: people who log in to the pages (the same services
as the People page)."""

from __future__ import annotations

import secrets
from typing import Annotated

import typer
from rich.table import Table

from kiik.cli.common import DbOption, console, fail, registry_for
from kiik.directory.domain.people import PersonError
from kiik.directory.domain.permissions import Role
from kiik.directory.services.people import AddPerson, add_person, end_sessions, list_people, set_password

person_app = typer.Typer(help="People who log in to the web pages with a password.", no_args_is_help=True)
ROLES = ", ".join(Role)


def new_password() -> str:
    """A random password of four short groups, easy to read out and type once."""
    return "-".join(secrets.token_urlsafe(4).lower().replace("_", "x").replace("-", "y") for _ in range(4))


@person_app.command("add")
def person_add(
    username: Annotated[str, typer.Argument(help="Lower-case letters, digits, '.', '_', '-'")],
    org: Annotated[str, typer.Option("--org", help="Organisation code")],
    role: Annotated[str, typer.Option(help=f"One of: {ROLES}")] = "operator",
    name: Annotated[str, typer.Option(help="The person's full name")] = "",
    password: Annotated[
        str | None, typer.Option(help="At least 12 characters (default: a random one, printed once)")
    ] = None,
    db: DbOption = None,
) -> None:
    """Add a person who logs in with a username and password."""
    chosen = password or new_password()
    try:
        add_person(registry_for(db).uow(), AddPerson(org, username, role, chosen, name))
    except PersonError as exc:
        raise fail(str(exc)) from exc
    console.print(f"[green]person {username} added[/] ({org}, {role})")
    if password is None:
        console.print(f"password: {chosen}", highlight=False)


@person_app.command("list")
def person_list(
    org: Annotated[str | None, typer.Option("--org", help="Only this organisation's people")] = None,
    db: DbOption = None,
) -> None:
    """List people, their role, second factor, lock-out and open sessions."""
    try:
        people = list_people(registry_for(db).uow(), None, org)
    except PersonError as exc:
        raise fail(str(exc)) from exc
    table = Table("username", "name", "organisation", "role", "2nd factor", "locked", "open sessions")
    for p in people:
        table.add_row(
            p.username,
            p.full_name,
            p.org_code,
            p.role,
            "yes" if p.second_factor else "",
            "yes" if p.locked else "",
            str(p.open_sessions),
        )
    console.print(table)


@person_app.command("password")
def person_password(
    username: str,
    password: Annotated[
        str | None, typer.Option(help="The new password (default: a random one, printed once)")
    ] = None,
    clear_second_factor: Annotated[
        bool, typer.Option(help="Also turn off their TOTP (a lost phone): they enrol again at /account")
    ] = False,
    db: DbOption = None,
) -> None:
    """Set or reset a person's password; their sessions end and a lock-out is lifted."""
    chosen = password or new_password()
    try:
        ended = set_password(registry_for(db).uow(), username, chosen, None, clear_second_factor)
    except PersonError as exc:
        raise fail(str(exc)) from exc
    console.print(f"[green]password set[/] for {username}; {ended} session(s) ended")
    if password is None:
        console.print(f"password: {chosen}", highlight=False)


@person_app.command("end-sessions")
def person_end_sessions(username: str, db: DbOption = None) -> None:
    """End every open session of a person (a lost phone, someone who left)."""
    try:
        ended = end_sessions(registry_for(db).uow(), username)
    except PersonError as exc:
        raise fail(str(exc)) from exc
    console.print(f"{ended} session(s) of {username} ended")


def register(app: typer.Typer) -> None:
    app.add_typer(person_app, name="person")
