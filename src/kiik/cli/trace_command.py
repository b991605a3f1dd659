"""`kiik trace CODE`: an item's verdict and state, its history, and its lineage, for a person."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from kiik.cli.common import DbOption, console, fail, registry_for, root_operator
from kiik.custody.services.lineage import LineageNode, Step, local_names
from kiik.custody.services.origin_summary import OriginSummary
from kiik.epcis.domain.identifiers import InvalidIdentifier
from kiik.errors import NotFound
from kiik.inspection.animal_trace import AnimalProducts, animal_products
from kiik.inspection.trace import Trace, trace_item

# ILMD fields shown for a source item, in this order, when present.
ORIGIN_FIELDS = ("species", "population", "animalID", "sex", "harvestDate", "harvestPoint", "massKg")


def _kg(value: float | None) -> str:
    return "" if value is None else f"{value:g} kg"


def _when(step: Step) -> str:
    return step.event_time.strftime("%Y-%m-%d %H:%M")


def _by(step: Step) -> str:
    if step.reported_by is not None:
        return f"the partner registry: {step.reported_by.summary}"
    return step.recorded_by.name if step.recorded_by else "unknown organisation"


def _verdict_style(trace: Trace) -> str:
    if trace.item.status in ("seized", "destroyed") or not trace.verdict.origin_traced:
        return "red"
    return "green" if trace.item.status == "active" else "yellow"


def _state_panel(trace: Trace) -> Panel:
    item = trace.item
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    rows = [
        ("key", item.key),
        ("kind", f"{item.kind}{' (a class: lot or product)' if item.is_class else ''}"),
        ("status", item.status),
        ("holder", f"{item.holder.name} ({item.holder.code})" if item.holder else ""),
        ("site", f"{item.site_name or ''} {item.site or ''}".strip()),
        ("in transit to", item.destination or ""),
        ("packed in", item.parent or ""),
        ("contains", f"{len(item.contents)} items" if item.contents else ""),
        ("quantity", f"{item.quantity:g} {item.uom or ''}".strip() if item.quantity is not None else ""),
        ("mass", _kg(item.mass_kg)),
        ("product", item.product_type or ""),
        ("last event", item.last_event_time or ""),
        ("events", str(item.event_count)),
    ]
    for name, value in rows:
        if value:
            grid.add_row(name, value)
    verdict = Text(trace.verdict.summary, style=f"bold {_verdict_style(trace)}")
    return Panel(Group(verdict, Text(""), grid), title=f"kiik trace: {item.key}", expand=False)


def _history_table(trace: Trace) -> Table:
    table = Table(title="History", show_lines=False)
    for column in ("event time (UTC)", "type", "business step", "action", "disposition", "recorded by", "as"):
        table.add_column(column)
    table.add_column("eventID", overflow="fold")
    for entry in trace.history:
        flags = " [bold red]ERRONEOUS[/]" if entry.erroneous else ""
        flags += " [yellow]error declaration[/]" if entry.declares_error else ""
        table.add_row(
            entry.event_time.strftime("%Y-%m-%d %H:%M:%S"),
            entry.event_type.replace("Event", "") + flags,
            entry.biz_step or "",
            entry.action or "",
            entry.disposition or "",
            entry.recorded_by.code if entry.recorded_by else "",
            ", ".join(entry.roles),
            entry.event_id,
        )
    return table


def _label(node: LineageNode) -> Text:
    text = Text(node.key, style="bold" if node.visible else "")
    details = [d for d in (node.product_type, _kg(node.mass_kg), node.status) if d]
    if details:
        text.append(f"  ({', '.join(details)})", style="dim")
    if node.share is not None:
        text.append(f"  {node.share:.1%} of the mass", style="cyan")
    if node.repeated:
        text.append("  (shown above)", style="dim italic")
    return text


def _origin(step: Step) -> str:
    values = local_names(step.ilmd)
    shown = ", ".join(f"{name} {values[name]}" for name in ORIGIN_FIELDS if values.get(name) is not None)
    return f"commissioned {_when(step)} by {_by(step)}" + (f": {shown}" if shown else "")


def _grow_back(tree: Tree, node: LineageNode) -> None:
    if node.made_by is not None:
        made = tree.add(f"[cyan]made {_when(node.made_by)} by {_by(node.made_by)}[/] from")
        for source in node.inputs:
            _grow_back(made.add(_label(source)), source)
    elif node.origin is not None:
        tree.add(Text(_origin(node.origin), style="green"))
    elif not node.repeated:
        tree.add(Text("no commissioning on record", style="bold red"))


def _grow_forward(tree: Tree, node: LineageNode) -> None:
    for step, outputs in node.used_in:
        went = tree.add(f"[cyan]processed {_when(step)} by {_by(step)}[/] into")
        for output in outputs:
            _grow_forward(went.add(_label(output)), output)


def _lineage(trace: Trace) -> Group:
    lineage = trace.lineage
    back = Tree(Text("Came from", style="bold"))
    _grow_back(back.add(_label(lineage.backward)), lineage.backward)
    parts: list[Any] = [back]
    if lineage.forward.used_in:
        forward = Tree(Text("Went into", style="bold"))
        _grow_forward(forward.add(_label(lineage.forward)), lineage.forward)
        parts.append(forward)
    if lineage.origins is not None and lineage.origins.animals:
        parts.append(_origin_table(lineage.origins))
    if lineage.truncated:
        parts.append(
            Text("The lineage is longer than kiik follows at once: it is cut short.", style="yellow")
        )
    return Group(*parts)


def _origin_table(summary: OriginSummary) -> Table:
    """Where the mass comes from: each animal with its share, then each population."""
    estimated = " (estimated: some inputs' masses are not on record)" if summary.estimated else ""
    table = Table(title=f"Origin of the mass{estimated}")
    for column in ("animal", "species", "population", "harvested", "harvest point", "site", "items"):
        table.add_column(column, overflow="fold")
    table.add_column("share", justify="right")
    table.add_column("kg", justify="right")
    for animal in summary.animals:
        kg = animal.share * summary.mass_kg if summary.mass_kg is not None else None
        table.add_row(
            animal.animal_id or "(no animal ID)",
            animal.species or "",
            animal.population or "",
            ", ".join(animal.harvest_dates),
            ", ".join(animal.harvest_points),
            ", ".join(animal.harvest_sites),
            str(len(animal.sources)),
            f"{animal.share:.1%}",
            "" if kg is None else f"{kg:.3f}",
        )
    for population in summary.populations:
        table.add_row(
            f"[bold]{population.population}[/]",
            population.species or "",
            "",
            "",
            "",
            "",
            f"{population.animals} animals",
            f"[bold]{population.share:.1%}[/]",
            "",
        )
    if summary.untraced_share > 0:
        table.add_row(
            "[red]origin not on record[/]", "", "", "", "", "", "", f"{summary.untraced_share:.1%}", ""
        )
    return table


def render(trace: Trace) -> None:
    console.print(_state_panel(trace))
    console.print(_history_table(trace))
    console.print(_lineage(trace))


def render_animal(found: AnimalProducts) -> None:
    origin = ", ".join(f"{name} {value}" for name, value in found.origin.items())
    console.print(
        Panel(
            Text(origin or "no origin on record"), title=f"kiik trace: animal {found.animal_id}", expand=False
        )
    )
    tree = Tree(
        Text(f"{len(found.items)} items of the animal, and every product made from them", style="bold")
    )
    for item in found.items:
        branch = tree.add(_label(item))
        if item.origin is not None:
            branch.add(Text(_origin(item.origin), style="green"))
        _grow_forward(branch, item)
    console.print(tree)
    if found.products:
        table = Table(title="Products containing any of the animal")
        for column in ("product", "type", "kg", "status", "holder"):
            table.add_column(column, overflow="fold")
        for node in found.products:
            table.add_row(
                node.key,
                node.product_type or "",
                _kg(node.mass_kg),
                node.status or "",
                node.holder.name if node.holder else "",
            )
        console.print(table)
    else:
        console.print("no product made from it on record")
    if found.truncated:
        console.print(Text("The trace is longer than kiik follows at once: it is cut short.", style="yellow"))


def _trace_animal(registry: Any, animal: str, as_json: bool) -> None:
    try:
        found = animal_products(registry.uow(), root_operator(), animal)
    except NotFound as exc:
        raise fail(
            f"no animal {animal} is on record", "check the animal ID as the harvest recorded it"
        ) from exc
    if as_json:
        console.print_json(data=found.to_json())
    else:
        render_animal(found)


def trace(
    code: Annotated[
        str | None,
        typer.Argument(
            help="The item's code: EPC URN, GS1 Digital Link, element string "
            "such as '(01)04870001000011(21)7', or a microchip number"
        ),
    ] = None,
    animal: Annotated[
        str | None,
        typer.Option("--animal", help="Trace an animal instead (its ID as the harvest recorded it) forward"),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the trace as JSON (as GET /api/items/{code}/trace)")
    ] = False,
    db: DbOption = None,
) -> None:
    """Trace an item (see HELP)."""
    registry = registry_for(db)
    if animal is not None:
        _trace_animal(registry, animal, as_json)
        return
    if code is None:
        raise fail("give the item's code, or --animal ID", "kiik trace --help explains both")
    try:
        result = trace_item(registry.uow(), root_operator(), code)
    except InvalidIdentifier as exc:
        raise fail(f"{code!r} is not a code kiik can read: {exc}") from exc
    except NotFound as exc:
        raise fail(f"no item {code} is registered", "check the code; `kiik demo` loads sample data") from exc
    if as_json:
        console.print_json(data=result.to_json())
    else:
        render(result)


HELP = (
    "Trace an item: verdict and state, full history, and lineage back to the source animals (with the "
    "share of the item's mass from each animal and population) and forward to every product made from "
    "it. With --animal ID, trace an animal forward: its items and every lot that contains any of it.\n\n"
    "This reads the database directly as the registry's operator, who sees every organisation's items "
    "and events (as the ministry does); organisations use the API with their own tokens."
)


def register(app: typer.Typer) -> None:
    app.command("trace", help=HELP)(trace)
