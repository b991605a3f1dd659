"""The `kiik` command: one Typer app; each group of commands lives in its own module.

Modules are imported only for the command being run (all of them for `--help`), so that a
database-free command such as `kiik hash` does not pay for importing the database stack.
"""

from __future__ import annotations

import importlib
import sys

import typer

app = typer.Typer(
    name="kiik",
    help="kiik: the wildlife trade registry (GS1 EPCIS 2.0 chain of custody).",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def _kiik() -> None:
    """kiik: the wildlife trade registry (GS1 EPCIS 2.0 chain of custody)."""
    # A callback keeps Typer in group mode when only one command's module is loaded.


# command -> module under kiik.cli that registers it, in the order `--help` lists them
COMMANDS = {
    "init": "db_commands",
    "serve": "db_commands",
    "org": "directory_commands",
    "site": "directory_commands",
    "token": "directory_commands",
    "person": "people_commands",
    "capture": "capture_command",
    "demo": "demo_command",
    "trace": "trace_command",
    "hash": "epcis_commands",
    "validate": "epcis_commands",
    "species": "species_commands",
    "quota": "species_commands",
    "permit": "permit_commands",
    "keys": "keys_commands",
    "report": "report_commands",
    "harvest": "harvest_commands",
    "stock": "stock_commands",
    "log": "log_commands",
    "verify-log": "log_commands",
    "check-figures": "figures_command",
    "partner": "partner_commands",
    "audit": "audit_command",
    "backup": "backup_commands",
    "restore": "backup_commands",
    "monitoring": "monitoring_commands",
    "subscriptions": "subscription_commands",
    "enforcement": "enforcement_commands",
    "trade": "trade_commands",
    "proceeds": "proceeds_commands",
}


def _register(argv: list[str]) -> None:
    wanted = next((arg for arg in argv[1:] if not arg.startswith("-")), None)
    modules = [COMMANDS[wanted]] if wanted in COMMANDS else list(dict.fromkeys(COMMANDS.values()))
    for name in modules:
        importlib.import_module(f"kiik.cli.{name}").register(app)


_register(sys.argv)

if __name__ == "__main__":
    app()
