"""`kiik demo`: load demonstration data through the real capture path and print how to log in."""

from __future__ import annotations

from rich.panel import Panel

from kiik.adapters.capture_source import open_capture_document
from kiik.cli.common import DbOption, console, fail, registry_for
from kiik.services.demo import load_demo


def demo(db: DbOption = None) -> None:
    """Load the demo registry (once) and print login tokens."""
    from kiik.adapters.migrate import is_current

    registry = registry_for(db)
    if not is_current(registry.engine):
        raise fail("the database is not initialised", "run `kiik init` (with the same --db) first")
    settings = registry.settings
    result = load_demo(
        registry.uow, open_capture_document, custody_rules=settings.custody_rules, yields=settings.yields
    )
    if result.created:
        console.print(f"[green]demo data loaded:[/] {result.events} events")
    else:
        console.print("demo data already present; new login tokens made")
    from kiik.cli.cites_setup import prepare

    console.print(prepare(registry))
    lines = [f"[bold]{code}[/]: {token}" for code, token in result.tokens.items()]
    console.print(
        Panel(
            "\n".join(lines) + "\n\nOpen http://127.0.0.1:8000/ and paste a token, or call the API with\n"
            "  curl -H 'Authorization: Bearer <token>' http://127.0.0.1:8000/epcis/events",
            title="Log in with one of these tokens",
            expand=False,
        )
    )


def register(app) -> None:  # type: ignore[no-untyped-def]
    app.command("demo")(demo)
