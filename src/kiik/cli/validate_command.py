"""`kiik validate FILE...`: check EPCIS 2.0 documents (JSON/JSON-LD or XML) without storing anything.

Each file is read as a stream, so a document of any size is checked in bounded memory. Exit
status 0 when every file is valid, 1 otherwise (including a file that cannot be read).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kiik.epcis.adapters.reader import Problem, open_document

_out = Console()
_err = Console(stderr=True)


@dataclass
class FileReport:
    file: str
    kind: str | None = None
    events: int = 0
    problems: list[Problem] = field(default_factory=list)
    unreadable: str | None = None

    @property
    def valid(self) -> bool:
        return self.unreadable is None and not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "valid": self.valid,
            "kind": self.kind,
            "events": self.events,
            "error": self.unreadable,
            "problems": [problem.to_dict() for problem in self.problems],
        }


def check_file(path: Path) -> FileReport:
    """Validate one file; a file that cannot be read is reported, not raised."""
    report = FileReport(str(path))
    if not path.exists():
        report.unreadable = "no such file"
        return report
    if path.is_dir():
        report.unreadable = "is a directory, not a document"
        return report
    try:
        with open_document(path) as reader:
            for item in reader.events():
                report.events += 1
                report.problems.extend(item.problems)
            report.problems[:0] = reader.document_problems()
            report.kind = reader.kind
    except OSError as error:
        report.unreadable = f"cannot be read: {error.strerror or error}"
    return report


def _print(report: FileReport, limit: int) -> None:
    name = escape(report.file)
    if report.unreadable is not None:
        _err.print(f"[bold red]{name}[/]: {escape(report.unreadable)}", soft_wrap=True)
        return
    if report.valid:
        noun = "event" if report.events == 1 else "events"
        _out.print(f"[green]{name}[/]: valid ({report.events} {noun}, {report.kind})", soft_wrap=True)
        return
    count = len(report.problems)
    _out.print(
        f"[bold red]{name}[/]: invalid, {count} problem{'s' if count != 1 else ''} ({report.kind})",
        soft_wrap=True,
    )
    table = Table("path", "rule", "message", show_lines=False)
    shown = report.problems if limit <= 0 else report.problems[:limit]
    for problem in shown:
        table.add_row(escape(problem.path), escape(problem.rule), escape(problem.message))
    _out.print(table)
    if len(shown) < count:
        _out.print(f"… and {count - len(shown)} more (use --limit 0 to see them all)")


def validate_command(
    files: Annotated[list[Path], typer.Argument(help="EPCIS 2.0 documents: JSON/JSON-LD or XML")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON")] = False,
    limit: Annotated[int, typer.Option("--limit", help="Problems shown per file (0: all)")] = 200,
) -> None:
    """Validate EPCIS 2.0 documents: the 2.0.1 JSON Schema or the 2.0 XSD, then the semantic rules."""
    reports = [check_file(path) for path in files]
    if as_json:
        typer.echo(json.dumps([report.to_dict() for report in reports], indent=2, ensure_ascii=False))
    else:
        for report in reports:
            _print(report, limit)
    if not all(report.valid for report in reports):
        raise typer.Exit(1)
