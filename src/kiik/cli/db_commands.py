"""`kiik init` and `kiik serve`."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.engine import make_url

from kiik.bootstrap.migrate import upgrade
from kiik.cli.common import DbOption, console, fail, registry_for
from kiik.custody.services.capture_jobs import settle_interrupted_jobs
from kiik.db.engine import normalise_url


def ensure_database(url: str) -> None:
    """Create the SQLite folder or the PostgreSQL database when it does not exist yet."""
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
    elif parsed.get_backend_name() == "postgresql":
        import psycopg
        from psycopg import sql

        admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
        with psycopg.connect(admin, autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (parsed.database,)
            ).fetchone()
            if not exists:
                connection.execute(
                    sql.SQL("CREATE DATABASE {}").format(sql.Identifier(parsed.database or ""))
                )


def init(db: DbOption = None) -> None:
    """Create the database, or upgrade it to the current schema."""
    registry = registry_for(db)
    try:
        ensure_database(registry.settings.database_url)
        upgrade(registry.engine)
        from kiik.cli.cites_setup import prepare

        console.print(prepare(registry))
    except Exception as exc:  # a person needs the reason, not a traceback
        raise fail(f"cannot initialise {registry.engine.url.render_as_string()}: {exc}") from exc
    console.print(f"[green]database ready:[/] {registry.engine.url.render_as_string()}")
    console.print(
        f"signing keys (private halves, back them up with the database): {registry.key_files.directory}"
    )


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="API processes behind the one port (PostgreSQL only above 1)")
    ] = 1,
) -> None:
    """Serve the EPCIS API, kiik's API and the web pages."""
    import os

    import uvicorn

    from kiik.app import create_app
    from kiik.bootstrap.migrate import is_current

    registry = registry_for(db)
    if workers > 1 and registry.engine.dialect.name != "postgresql":
        raise fail(
            f"--workers {workers} needs PostgreSQL: SQLite lets one process write at a time, so a second "
            "worker would only wait for the first",
            "serve SQLite with one worker (the default), or run the registry on PostgreSQL "
            "(docs/operations.md)",
        )
    if not is_current(registry.engine):
        raise fail(
            "the database is not initialised or is out of date", "run `kiik init` (with the same --db) first"
        )
    exposed = registry.key_files.open_to_others()
    if exposed:
        raise fail(
            "the registry's private signing keys are open to others: " + "; ".join(exposed),
            "only the account that runs kiik may read them; fix the modes above and start again",
        )
    settled = settle_interrupted_jobs(registry.uow(), registry.job_leases)
    if settled:
        failed = sum(1 for status in settled.values() if status == "failed")
        console.print(f"capture jobs a stopped server left running: {len(settled)} settled, {failed} failed")
    shown = f" with {workers} workers" if workers > 1 else ""
    console.print(f"kiik serving on http://{host}:{port}{shown}  (API docs: http://{host}:{port}/docs)")
    # The outbox and the subscriptions are delivered by this process only, whatever the number of workers.
    __import__("kiik.cli.partner_commands", fromlist=["start_delivery"]).start_delivery(registry)
    subscription_commands = __import__(
        "kiik.cli.subscription_commands", fromlist=["start_subscription_delivery"]
    )
    subscription_commands.start_subscription_delivery(registry)
    if workers > 1:
        # Each worker builds its own registry from the environment: the same database and key folder.
        os.environ["KIIK_DATABASE_URL"] = registry.settings.database_url
        os.environ["KIIK_KEY_DIR"] = str(registry.key_files.directory)
        uvicorn.run(
            "kiik.app:create_worker_app",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level="warning",
        )
        return
    app = create_app(registry)
    # What start-up made (modules, tables, compiled statements) lives as long as the process: out of
    # the collector's full collections, which would otherwise scan all of it (tens of milliseconds)
    # every few dozen requests that build large trees, such as a lot's lineage.
    gc.freeze()
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("serve")(serve)
