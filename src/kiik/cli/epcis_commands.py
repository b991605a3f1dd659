"""EPCIS document commands that need no database: `kiik hash`, `kiik validate`."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Attach the commands of this module to the main app (filled in by hash and validate)."""
    from kiik.cli.hash_command import hash_command

    app.command("hash")(hash_command)
    from kiik.cli.validate_command import validate_command

    app.command("validate")(validate_command)
