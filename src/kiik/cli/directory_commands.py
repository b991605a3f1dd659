"""`kiik org add|change|list`, `kiik site add|move|place`, `kiik token create`: who may use the
registry, where its sites are and whom to contact."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from kiik.cli.common import DbOption, console, fail, registry_for
from kiik.directory.domain.permissions import OrgKind, Role
from kiik.directory.services.auth import (
    DirectoryError,
    add_organisation,
    add_site,
    create_token,
    registered_site,
    set_site_parent,
)
from kiik.directory.services.organisation_changes import ChangeOrganisation, change_organisation
from kiik.directory.services.sites import place_site

org_app = typer.Typer(help="Organisations using the registry.", no_args_is_help=True)
site_app = typer.Typer(help="Sites (SGLN) of organisations.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens: each bound to one organisation and one role.", no_args_is_help=True)

KINDS = ", ".join(OrgKind)
ROLES = ", ".join(Role)
REGION = "Region (oblast): its name or ISO 3166-2 code, e.g. West Kazakhstan or KZ-27"
LATITUDE = "Latitude in decimal degrees (-90 to 90), e.g. 51.23"
LONGITUDE = "Longitude in decimal degrees (-180 to 180), e.g. 51.37"


@org_app.command("add")
def org_add(
    code: Annotated[str, typer.Argument(help="Short handle, e.g. kz-ministry")],
    name: Annotated[str, typer.Option(help="Full name")],
    kind: Annotated[str, typer.Option(help=f"One of: {KINDS}")],
    pgln: Annotated[
        str | None, typer.Option(help="Party GLN: urn:epc:id:pgln:…, Digital Link or (417)…")
    ] = None,
    country: Annotated[
        str | None,
        typer.Option(help="ISO 3166 alpha-2 (default: $KIIK_COUNTRY); required for a partner authority"),
    ] = None,
    db: DbOption = None,
) -> None:
    """Register an organisation."""
    registry = registry_for(db)
    try:
        add_organisation(registry.uow(), code, name, kind, pgln, country, home=registry.settings.country)
    except DirectoryError as exc:
        raise fail(str(exc)) from exc
    console.print(f"[green]organisation {code} added[/] ({kind})")


@org_app.command("change")
def org_change(
    code: Annotated[str, typer.Argument(help="The organisation's code (it stays)")],
    name: Annotated[str | None, typer.Option(help="New full name")] = None,
    kind: Annotated[str | None, typer.Option(help=f"New kind, one of: {KINDS}")] = None,
    pgln: Annotated[str | None, typer.Option(help="New party GLN; an empty string removes it")] = None,
    country: Annotated[str | None, typer.Option(help="New country, ISO 3166 alpha-2")] = None,
    contact_person: Annotated[
        str | None, typer.Option(help="Whom to contact; an empty string removes it")
    ] = None,
    contact_phone: Annotated[str | None, typer.Option(help="Their telephone, e.g. +7 7172 74 00 00")] = None,
    contact_email: Annotated[str | None, typer.Option(help="Their e-mail address")] = None,
    postal_address: Annotated[str | None, typer.Option(help="The organisation's postal address")] = None,
    db: DbOption = None,
) -> None:
    """Change an organisation's name, kind, PGLN, country or contact (what is not given stays)."""
    registry = registry_for(db)
    with registry.uow() as uow:
        org = uow.directory.organisation(code)
    if org is None:
        raise fail(f"no organisation with code {code!r}: see `kiik org list`")
    change = ChangeOrganisation(
        code,
        org.name if name is None else name,
        org.kind if kind is None else kind,
        org.pgln if pgln is None else pgln,
        org.country if country is None else country,
        contact_person,
        contact_phone,
        contact_email,
        postal_address,
    )
    try:
        changed = change_organisation(registry.uow(), change, None, home=registry.settings.country)
    except DirectoryError as exc:
        raise fail(str(exc)) from exc
    said = ", ".join(f"{field} {old!r} -> {new!r}" for field, (old, new) in changed.items())
    console.print(f"[green]organisation {code} changed[/] ({said or 'nothing to change'})")


@org_app.command("list")
def org_list(db: DbOption = None) -> None:
    """List organisations and their sites."""
    registry = registry_for(db)
    with registry.uow() as uow:
        orgs = uow.directory.organisations()
        sites = uow.directory.sites()
    table = Table("code", "name", "kind", "PGLN", "sites")
    for org in orgs:
        names = "\n".join(f"{s.name}: {s.sgln}" for s in sites if s.org_id == org.id)
        table.add_row(org.code, org.name, org.kind, org.pgln or "", names)
    console.print(table)


@site_app.command("add")
def site_add(
    org: Annotated[str, typer.Option("--org", help="Organisation code")],
    sgln: Annotated[str, typer.Argument(help="Site GLN: urn:epc:id:sgln:…, Digital Link or (414)…")],
    name: Annotated[str, typer.Option(help="Name of the site")],
    parent: Annotated[str | None, typer.Option(help="The registered site this one lies within")] = None,
    region: Annotated[str | None, typer.Option(help=REGION)] = None,
    latitude: Annotated[str | None, typer.Option(help=LATITUDE)] = None,
    longitude: Annotated[str | None, typer.Option(help=LONGITUDE)] = None,
    db: DbOption = None,
) -> None:
    """Register a site of an organisation (optionally within another site, in a region, at coordinates)."""
    try:
        place = {"region": region, "latitude": latitude, "longitude": longitude}
        key = add_site(registry_for(db).uow(), org, sgln, name, parent=parent, **place)
    except DirectoryError as exc:
        raise fail(str(exc)) from exc
    console.print(f"[green]site added[/] {key}")


@site_app.command("move")
def site_move(
    sgln: Annotated[str, typer.Argument(help="The site's GLN")],
    parent: Annotated[str | None, typer.Option(help="The site it lies within; leave out for none")] = None,
    db: DbOption = None,
) -> None:
    """Place a site within another one (WD_bizLocation and WD_readPoint take its descendants in)."""
    try:
        set_site_parent(registry_for(db).uow(), sgln, parent)
    except DirectoryError as exc:
        raise fail(str(exc)) from exc
    console.print(f"[green]site moved[/] {sgln}")


@site_app.command("place")
def site_place(
    sgln: Annotated[str, typer.Argument(help="The site's GLN")],
    region: Annotated[str | None, typer.Option(help=REGION + "; an empty string removes it")] = None,
    latitude: Annotated[str | None, typer.Option(help=LATITUDE)] = None,
    longitude: Annotated[str | None, typer.Option(help=LONGITUDE)] = None,
    db: DbOption = None,
) -> None:
    """Set where a site is: its region and coordinates (what is not given stays)."""
    registry = registry_for(db)
    try:
        with registry.uow() as uow:
            site = registered_site(uow, sgln, "site")
        kept = site.place
        changed = place_site(
            registry.uow(),
            sgln,
            kept.region if region is None else region,
            kept.latitude if latitude is None else latitude,
            kept.longitude if longitude is None else longitude,
        )
    except DirectoryError as exc:
        raise fail(str(exc)) from exc
    said = ", ".join(f"{field} {old!r} -> {new!r}" for field, (old, new) in changed.items())
    console.print(f"[green]site {site.sgln} placed[/] ({said or 'nothing to change'})")


@token_app.command("create")
def token_create(
    org: Annotated[str, typer.Option("--org", help="Organisation code")],
    role: Annotated[str, typer.Option(help=f"One of: {ROLES}")] = "operator",
    label: Annotated[str, typer.Option(help="Whose token this is, for the record")] = "",
    db: DbOption = None,
) -> None:
    """Make an API token and print it once (only its hash is stored)."""
    try:
        issued = create_token(registry_for(db).uow(), org, role, label)
    except DirectoryError as exc:
        raise fail(str(exc)) from exc
    console.print(issued.token, soft_wrap=True, highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(org_app, name="org")
    app.add_typer(site_app, name="site")
    app.add_typer(token_app, name="token")
