"""The reconciliation report for a person at a terminal: the summary, then a table of what is wrong
per permit, then the permits that agree or still wait for their arrival."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from kiik.partners.domain.reconciliation import Kind, Report

WORDS = {
    Kind.NOT_ARRIVED: "exported, not arrived",
    Kind.NOT_EXPORTED: "arrived, not exported",
    Kind.MASS_DIFFERENCE: "mass differs",
    Kind.CONFIRMATION_OVERDUE: "confirmation overdue",
    Kind.NOT_NOTIFIED: "partner not notified",
}
# Beyond this many lines per permit the table says how many more; --csv gives them all.
MAX_LINES = 50


def _kg(value: float | None) -> str:
    return "" if value is None else f"{value:,.3f}"


def print_report(console: Console, report: Report) -> None:
    summary = report.summary()
    by_status = summary["by_status"]
    counts = summary["discrepancies"]
    assert isinstance(by_status, dict) and isinstance(counts, dict)
    period = report.period.to_json()
    console.print(
        f"[bold]{summary['permits']} consignments[/] (exports from {period['from'] or 'the start'} "
        f"to {period['to'] or 'today'}): [red]{by_status['discrepancies']} with discrepancies[/], "
        f"[green]{by_status['agrees']} agree[/], {by_status['awaiting arrival']} awaiting arrival"
    )
    console.print(
        ", ".join(f"{WORDS[k]}: {counts[k.value]}" for k in Kind)
        + f"; tolerance {report.tolerance.describe()}, confirmation due after {report.due_days} days"
    )
    wrong = [p for p in report.permits if p.discrepancies]
    if wrong:
        table = Table(title="What does not agree", show_lines=False)
        for column in ("permit", "side", "partner", "what", "item", "left kg", "arrived kg", "detail"):
            table.add_column(column, justify="right" if column.endswith("kg") else "left")
        for p in wrong:
            c = p.consignment
            for d in p.discrepancies[:MAX_LINES]:
                table.add_row(
                    c.permit,
                    c.side.value,
                    c.partner,
                    WORDS[d.kind],
                    d.item or "",
                    _kg(d.exported_kg),
                    _kg(d.received_kg),
                    d.detail,
                )
            if len(p.discrepancies) > MAX_LINES:
                more = len(p.discrepancies) - MAX_LINES
                table.add_row(c.permit, "", "", f"{more} more", "", "", "", "see --csv")
        console.print(table)
    rest = [p for p in report.permits if not p.discrepancies]
    if rest:
        table = Table(title="Consignments without discrepancies")
        for column in ("permit", "side", "partner", "status", "exported", "items", "left kg", "arrived kg"):
            table.add_column(
                column, justify="right" if column in ("items", "left kg", "arrived kg") else "left"
            )
        for p in rest:
            c = p.consignment
            table.add_row(
                c.permit,
                c.side.value,
                c.partner,
                p.status + (f" (due {p.due})" if p.status == "awaiting arrival" and p.due else ""),
                f"{c.exported_at:%Y-%m-%d}" if c.exported_at else "",
                f"{p.received_items}/{p.exported_items}",
                _kg(p.exported_kg),
                _kg(p.received_kg),
            )
        console.print(table)
