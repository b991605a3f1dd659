"""The `kiik` command: one Typer app; each group of commands lives in its own module."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="kiik",
    help="kiik: the wildlife trade registry (GS1 EPCIS 2.0 chain of custody).",
    no_args_is_help=True,
    add_completion=False,
)


def _register() -> None:
    # Imported here so that `kiik --help` stays quick and modules register themselves explicitly.
    from kiik.cli import (
        capture_command,
        db_commands,
        demo_command,
        directory_commands,
        epcis_commands,
        trace_command,
    )

    for module in (
        db_commands,
        directory_commands,
        capture_command,
        demo_command,
        trace_command,
        epcis_commands,
    ):
        module.register(app)


_register()

if __name__ == "__main__":
    app()
