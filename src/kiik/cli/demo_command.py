"""`kiik demo`: load a demo season through the real capture path and print how to look at it."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

import typer
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kiik.cli.common import DbOption, console, fail, registry_for
from kiik.demo.cast import DEFAULT_HORNS, DEFAULT_SEED, load_demo
from kiik.demo.season import SeasonReport
from kiik.epcis.adapters.capture_source import open_capture_document

HornsOption = Annotated[
    int,
    typer.Option(
        "--horns", help="About how many horns the season harvests (two per animal); 100000 is a full season"
    ),
]
SeedOption = Annotated[
    int, typer.Option("--seed", help="Seed of the season's random draws: the same seed, the same season")
]
BASE_URL = "http://127.0.0.1:8000"


class _Bar:
    """The season's progress as a Rich progress bar (the service only counts)."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task = progress.add_task("starting", total=None)

    def start(self, total: int) -> None:
        self.progress.update(self.task, total=total)

    def advance(self, stage: str, units: int) -> None:
        self.progress.update(self.task, advance=units, description=stage)


def demo(db: DbOption = None, horns: HornsOption = DEFAULT_HORNS, seed: SeedOption = DEFAULT_SEED) -> None:
    """Load a demo season (once) and print logins, tokens, the irregularities kiik flags and where to look."""
    from kiik.bootstrap.migrate import is_current

    registry = registry_for(db)
    if not is_current(registry.engine):
        raise fail("the database is not initialised", "run `kiik init` (with the same --db) first")
    if horns < 20:
        raise fail(f"--horns {horns} is too few for a season", "give at least 20 (ten animals)")
    from kiik.cli.cites_setup import prepare
    from kiik.epcis.adapters.reader import validate_event
    from kiik.ledger.adapters.signing import verify_with

    console.print(prepare(registry))
    settings = registry.settings
    columns = (TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        result = load_demo(
            registry.uow,
            open_capture_document,
            custody_rules=settings.custody_rules,
            yields=settings.yields,
            horns=horns,
            seed=seed,
            progress=_Bar(progress),
            camera_trap_files=_CameraTrapFiles(),
            validate_event=validate_event,
            verify_signature=verify_with,
            country=settings.country,
        )
    if result.created and result.season is not None:
        console.print(f"[green]demo data loaded:[/] {result.events} events")
        _season(result.season)
        _monitoring(result.monitoring)
        _enforcement(result.enforcement)
        _trade(result.trade)
    else:
        console.print("demo data already present; new passwords and tokens made")
    # Plain lines, never a table: a narrow terminal must not cut a password short.
    console.print(f"[bold]Log in at {BASE_URL}/ as one of these people[/] (username  password: what they do)")
    width = max(len(login.username) for login in result.people)
    for login in result.people:
        who = f"({login.organisation}, {login.role})"
        console.print(
            f"  {login.username:<{width}}  {login.password}: {login.does} {who}",
            soft_wrap=True,
            highlight=False,
        )
    _china(result.china_permit)
    _arrival(result.arrival)
    lines = [f"[bold]{code}[/]: {token}" for code, token in result.tokens.items()]
    console.print(
        Panel(
            "\n".join(lines) + "\n\nFor machines: call the API with\n"
            f"  curl -H 'Authorization: Bearer <token>' {BASE_URL}/epcis/events",
            title="API tokens",
            expand=False,
        )
    )


class _CameraTrapFiles:
    """The demo's Camtrap DP package written and read back (validated) by monitoring's adapters."""

    def write(self, folder, descriptor, tables):  # type: ignore[no-untyped-def]
        from kiik.monitoring.adapters.camtrap_writer import FolderWriter

        writer = FolderWriter(folder)
        for table in ("deployments", "media", "observations"):
            writer.write_dicts(table, tables[table])
        for resource in ("kiik-fence-passages", "kiik-malfunctions"):
            writer.write_records(resource, tables[resource])
        writer.finish(descriptor)

    def read(self, folder):  # type: ignore[no-untyped-def]
        from kiik.monitoring.adapters.camtrap_reader import read_package

        return read_package(folder)


def _china(number: str | None) -> None:
    if number is None:
        return
    console.print(
        f"[bold]An export to China[/]: permit [bold]{number}[/] (a lot of processed saiga horn to a licensed "
        f"importer in Hebei) is issued; log in as partner.authority to read it at {BASE_URL}/permits, and "
        "as customs.officer to endorse it when the lot leaves.",
        soft_wrap=True,
    )


def _arrival(notice) -> None:  # type: ignore[no-untyped-def]
    if notice is None:
        return
    console.print(
        "[bold]An arrival to record[/]: Uzbekistan's registry sent a signed export notice of two saiga "
        f"horns under its permit [bold]{notice.number}[/]; log in as customs.officer, open "
        f"{BASE_URL}/customs/arrivals, give that permit number and scan (or type) these codes:",
        soft_wrap=True,
    )
    for code in notice.codes:
        console.print(f"  {code}", soft_wrap=True, highlight=False)


def _enforcement(found) -> None:  # type: ignore[no-untyped-def]
    if found is None:
        return
    api = f"{BASE_URL}/api/enforcement"
    console.print(
        f"enforcement: the 845-horn interception reported by Kyrgyzstan ({found.interception}): "
        f"{found.leaked} horns leaked from {found.leaked_from}, the rest unmarked; alert {found.alert} "
        f"confirmed; {found.released} seized tortoises released; a forged code at a pharmacy "
        f"({found.forged_seizure}); case {found.case}"
    )
    console.print(
        f"  the seizure and which horns leaked: {BASE_URL}/seizures/view/{found.interception}", soft_wrap=True
    )
    console.print(f"  the alert's review: {BASE_URL}/alerts/{found.alert}", soft_wrap=True)
    console.print(
        f"  the tortoise case and its penalty estimate: {BASE_URL}/cases/{found.case}", soft_wrap=True
    )
    console.print(f"  released where: {api}/releases", soft_wrap=True)
    console.print(
        f"  the year's illegal trade report: {api}/illegal-trade-report?year=2026&format=xlsx", soft_wrap=True
    )


def _monitoring(monitoring) -> None:  # type: ignore[no-untyped-def]
    if monitoring is None or monitoring.package is None:
        return
    p = monitoring.package
    console.print(
        f"monitoring: {monitoring.surveys} census surveys, {monitoring.plans} offtake plans for 2025; "
        f"camera traps at {p.passages_added} fence passages: {p.observations} observations, "
        f"{p.malfunctions} malfunction interval, {p.alerts} alerts (a leopard, a vehicle)"
    )
    console.print(f"  census against plan and harvest: {BASE_URL}/lists/offtake", soft_wrap=True)
    console.print(f"  detection rates (scientist): {BASE_URL}/monitoring/camera-traps", soft_wrap=True)
    console.print(
        f"  alerts (scientist, customs, ministry.officer): {BASE_URL}/lists/passage-alerts", soft_wrap=True
    )


def _trade(trade) -> None:  # type: ignore[no-untyped-def]
    if trade is None:
        return
    console.print("[bold]Legal trade[/]: a 2025 cull of the Ural population to two shops' shelves")
    console.print("  scan a pack of meat cuts (Kazakh, Russian, English, Chinese; no login needed):")
    for name, code in trade.lots.items():
        path = code.removeprefix("https://id.gs1.org")
        flag = " [red](recalled: not legal)[/]" if code == trade.recalled else ""
        console.print(f"  {name}: {BASE_URL}{path}?lang=en{flag}", soft_wrap=True)
    console.print(
        f"  a pack label's QR code: {BASE_URL}/api/trade/lots/{trade.lots['CUT-0805-A']}/label",
        soft_wrap=True,
    )
    console.print(f"  the cull's mass balance: {BASE_URL}/lists/culls", soft_wrap=True)
    console.print(f"  the meat lots, one recalled: {BASE_URL}/lists/meat-lots", soft_wrap=True)
    console.print(f"  pharmacy sales and prices: {BASE_URL}/lists/sale-prices", soft_wrap=True)
    console.print(
        f"  the 2025 proceeds and where they went: {BASE_URL}/lists/proceeds?year=2025", soft_wrap=True
    )
    console.print(f"  an argali trophy: {BASE_URL}/items/{quote(trade.trophy, safe='')}", soft_wrap=True)
    if trade.trophy_permit:
        console.print(f"    exported under permit {trade.trophy_permit}", soft_wrap=True)
    console.print(
        f"  a liquorice collection: {BASE_URL}/items/{quote(trade.liquorice, safe='')}", soft_wrap=True
    )
    console.print(f"  hunting and collection permits: {BASE_URL}/lists/take-permits", soft_wrap=True)


def _season(season: SeasonReport) -> None:
    animals = ", ".join(f"{name} {count}" for name, count in season.animals.items())
    lots = ", ".join(f"{count} {product}" for product, count in season.lots.items())
    console.print(
        f"season: {season.horns} horns of {sum(season.animals.values())} animals ({animals}) by "
        f"{season.teams} teams; lots: {lots}; {season.jobs} capture jobs"
    )
    console.print("[bold]Irregularities kiik flags[/], and where each shows:")
    for irregularity in season.irregularities:
        rules = f" (refused: {', '.join(irregularity.rules)})" if irregularity.rules else ""
        console.print(f"- {irregularity.description}{rules}")
        console.print(f"  {BASE_URL}{irregularity.path}", soft_wrap=True)
    if season.powder_lot:
        console.print(
            "The inspector's page of a powder lot, back to the animals it came from (log in as "
            "kz-inspectorate first):"
        )
        console.print(f"  {BASE_URL}/items/{quote(season.powder_lot, safe='')}", soft_wrap=True)
    if season.pharmacy_pack:
        console.print("What a pharmacy customer sees scanning a pack (no login needed):")
        console.print(f"  {BASE_URL}/items/{quote(season.pharmacy_pack, safe='')}", soft_wrap=True)


def register(app) -> None:  # type: ignore[no-untyped-def]
    app.command("demo")(demo)
