"""`kiik permit ...`: the CITES permit lifecycle from the command line, through the same services."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kiik.cli.common import DbOption, console, fail, operator_for, registry_for, root_operator
from kiik.permits.services.ports import PermitRefused

permit = typer.Typer(
    help="CITES export permits: apply, issue, endorse, cancel, replace, expire.", no_args_is_help=True
)
OrgOption = Annotated[
    str, typer.Option("--org", help="organisation acting (trader, ministry or customs code)")
]
PUBLIC_URL = "http://127.0.0.1:8000"


def _show(permit_obj) -> None:  # type: ignore[no-untyped-def]
    from kiik.permits.services.queries import permit_json

    data = permit_json(permit_obj)
    data.pop("signed_document", None)
    console.print_json(json.dumps(data))


def _run(action):  # type: ignore[no-untyped-def]
    from kiik.errors import NotFound
    from kiik.ledger.domain.signed_documents import BadSignedDocument
    from kiik.permits.domain.lifecycle import PermitError, TransitionRefused

    try:
        return action()
    except PermitRefused as exc:
        for problem in exc.problems:
            console.print(f"[red]{problem.rule}[/]: {problem.message}")
        raise fail(str(exc).split(":")[0]) from exc
    except (PermitError, TransitionRefused, NotFound, BadSignedDocument) as exc:
        raise fail(str(exc)) from exc


@permit.command("apply")
def apply(
    items: Annotated[list[str], typer.Argument(help="codes of the lots and items to export")],
    org: OrgOption,
    importer: Annotated[str, typer.Option(help="importer's name (box 3)")],
    country: Annotated[str, typer.Option(help="country of import, ISO alpha-2 (box 3a)")],
    address: str = "",
    purpose: str = "T",
    source: str = "W",
    db: DbOption = None,
) -> None:
    """Apply for an export permit; the automatic checks run at once."""
    from kiik.permits.services.application import ApplyForPermit, apply_for_permit

    registry = registry_for(db)
    command = ApplyForPermit(items, importer, country, address, purpose, source)
    _show(_run(lambda: apply_for_permit(registry.uow(), operator_for(registry, org), command)))


@permit.command("issue")
def issue(
    application: int,
    org: OrgOption,
    valid_until: Annotated[str | None, typer.Option(help="last valid day (at most six months)")] = None,
    db: DbOption = None,
) -> None:
    """Issue the permit for an application (ministry)."""
    from kiik.permits.services.decisions import IssuePermit, issue_permit

    registry = registry_for(db)
    command = IssuePermit(application, date.fromisoformat(valid_until) if valid_until else None)
    _show(_run(lambda: issue_permit(registry.uow(), operator_for(registry, org), command)))


@permit.command("reject")
def reject(
    application: int, org: OrgOption, reason: Annotated[str, typer.Option()], db: DbOption = None
) -> None:
    from kiik.permits.services.decisions import reject_application

    registry = registry_for(db)
    _show(_run(lambda: reject_application(registry.uow(), operator_for(registry, org), application, reason)))


@permit.command("cancel")
def cancel(number: str, org: OrgOption, reason: Annotated[str, typer.Option()], db: DbOption = None) -> None:
    """Cancel an issued permit; its quota reservation is released."""
    from kiik.permits.domain.lifecycle import parse_number
    from kiik.permits.services.decisions import cancel_permit

    registry = registry_for(db)
    _show(
        _run(lambda: cancel_permit(registry.uow(), operator_for(registry, org), parse_number(number), reason))
    )


@permit.command("replace")
def replace(number: str, org: OrgOption, note: str = "replaced", db: DbOption = None) -> None:
    """Issue a replacement permit; the old one becomes void."""
    from kiik.permits.domain.lifecycle import parse_number
    from kiik.permits.services.decisions import IssuePermit, replace_permit

    registry = registry_for(db)
    command = IssuePermit(0, None, note)
    principal = operator_for(registry, org)
    _show(_run(lambda: replace_permit(registry.uow(), principal, parse_number(number), command)))


@permit.command("endorse")
def endorse(
    number: str,
    items: Annotated[list[str], typer.Argument(help="codes actually leaving; a lot as CODE=KG")],
    org: OrgOption,
    port: str | None = None,
    db: DbOption = None,
) -> None:
    """Record the export under a permit (customs): only listed items, actual quantities, once."""
    from kiik.epcis.adapters.reader import validate_event
    from kiik.permits.domain.lifecycle import parse_number
    from kiik.permits.services.endorsement import EndorseExport, endorse_export

    registry = registry_for(db)
    codes = [item.split("=", 1)[0] for item in items]
    kilos = {item.split("=", 1)[0]: float(item.split("=", 1)[1]) for item in items if "=" in item}
    command = EndorseExport(parse_number(number), codes, kilos, port)
    settings = registry.settings
    endorsed, _ = _run(
        lambda: endorse_export(
            registry.uow(),
            operator_for(registry, org),
            command,
            validate_event,
            custody_rules=settings.custody_rules,
            yields=settings.yields,
        )
    )
    _show(endorsed)


@permit.command("expire")
def expire(db: DbOption = None) -> None:
    """Expire issued permits past their last valid day; their quota is released."""
    from kiik.permits.services.decisions import expire_permits

    expired = expire_permits(registry_for(db).uow(), None)
    console.print(f"{len(expired)} permits expired" + (f": {', '.join(expired)}" if expired else ""))


@permit.command("list")
def list_command(status: str | None = None, db: DbOption = None) -> None:
    from kiik.permits.services.queries import list_permits

    registry = registry_for(db)
    with registry.uow() as uow:
        exporters = {org.id: org.code for org in uow.directory.organisations()}
    table = Table("id", "number", "status", "exporter", "importer", "species", "kg", "valid until")
    for p in list_permits(registry.uow(), root_operator(), status):
        table.add_row(
            str(p.id),
            p.number or "",
            p.status.value,
            exporters.get(p.applicant_org_id, str(p.applicant_org_id)),
            f"{p.importer_name} ({p.import_country})",
            p.scientific_name,
            f"{p.quantity_kg:,.3f}",
            str(p.valid_until or ""),
        )
    console.print(table)


@permit.command("show")
def show(reference: str, db: DbOption = None) -> None:
    """A permit by number or an application by id."""
    from kiik.permits.services.queries import get_permit

    _show(_run(lambda: get_permit(registry_for(db).uow(), root_operator(), reference)))


@permit.command("pdf")
def pdf(
    number: str, out: Annotated[Path, typer.Option("--out", help="file to write")], db: DbOption = None
) -> None:
    """Write the permit's PDF (QR code pointing at $KIIK_PUBLIC_URL/verify/permit/...)."""
    import os

    from kiik.permits.adapters.pdf import render_permit_pdf
    from kiik.permits.domain.lifecycle import parse_number
    from kiik.permits.services.document import permit_pdf

    base = os.environ.get("KIIK_PUBLIC_URL", PUBLIC_URL)
    data = _run(
        lambda: permit_pdf(
            registry_for(db).uow(), root_operator(), parse_number(number), render_permit_pdf, base
        )
    )
    out.write_bytes(data)
    console.print(f"{out} written ({len(data):,} bytes)")


def register(app: typer.Typer) -> None:
    app.add_typer(permit, name="permit")
