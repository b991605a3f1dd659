"""What the permit use cases need from the entry points (a PDF renderer, an event validator), and
the error they raise when the automatic checks refuse.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from kiik.custody.domain.state import Violation

# Renders a signed permit as PDF bytes: (boxes, signed document, verification URL) -> PDF.
PdfRenderer = Callable[[Mapping[str, Any], str, str], bytes]

# Checks one EPCIS event against the schema: event -> problems (each with to_dict()).
EventValidator = Callable[[dict[str, Any]], Sequence[Any]]


class PermitRefused(Exception):
    """An application, decision or endorsement refused by the automatic checks; lists every problem."""

    def __init__(self, summary: str, problems: Sequence[Violation]) -> None:
        self.problems = list(problems)
        details = "; ".join(f"{p.rule}: {p.message}" for p in self.problems)
        super().__init__(f"{summary}: {details}" if details else summary)

    def to_json(self) -> list[dict[str, Any]]:
        return [
            {"rule": p.rule, "message": p.message, **({"identifier": p.identifier} if p.identifier else {})}
            for p in self.problems
        ]
