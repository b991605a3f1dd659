"""`kiik keys ...`: the registry's Ed25519 signing keys."""

from __future__ import annotations

import json

import typer

from kiik.cli.common import DbOption, console, registry_for
from kiik.ledger.services.signing_keys import ensure_signing_key, published_keys, rotate_signing_key

keys = typer.Typer(help="The registry's signing keys (Ed25519).", no_args_is_help=True)


@keys.command("list")
def list_keys(db: DbOption = None) -> None:
    """The public keys with their ids and validity (what GET /api/keys publishes)."""
    console.print_json(json.dumps(published_keys(registry_for(db).uow())))


@keys.command("ensure")
def ensure(db: DbOption = None) -> None:
    """Make a signing key when there is none (`kiik init` does this too)."""
    key_id, made = ensure_signing_key(registry_for(db).uow())
    console.print(f"signing key {key_id} {'made' if made else 'in use'}")


@keys.command("rotate")
def rotate(db: DbOption = None) -> None:
    """Make a new signing key; the current one is retired but still verifies what it signed."""
    new, retired = rotate_signing_key(registry_for(db).uow(), None)
    console.print(f"signing key {new} in use" + (f"; {retired} retired" if retired else ""))


def register(app: typer.Typer) -> None:
    app.add_typer(keys, name="keys")
