"""What the EPCIS reader reports: one `Problem` per thing wrong, and each event with its own problems.

A problem always names where it is (a JSON path such as `epcisBody.eventList[3].bizStep`, or for
XML an XPath-like path with its line number), which rule it broke and, in words a person
understands, what is wrong and how to put it right.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

EVENT_TYPES = (
    "ObjectEvent",
    "AggregationEvent",
    "TransformationEvent",
    "TransactionEvent",
    "AssociationEvent",
)
_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_:@$-]+$")


@dataclass(frozen=True)
class Problem:
    path: str
    rule: str
    message: str
    event_index: int | None = None
    event_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "rule": self.rule,
            "message": self.message,
            "event_index": self.event_index,
            "event_id": self.event_id,
        }


@dataclass
class DocumentEvent:
    """One event of a document, in document order, with the problems found in it (empty when valid)."""

    index: int
    event: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)


def json_path(parts: Iterable[str | int], prefix: str = "") -> str:
    """`["epcisBody", "eventList", 3, "bizStep"]` as `epcisBody.eventList[3].bizStep`."""
    text = prefix
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            text += f".{part}" if text else part
        else:
            text += f"[{part!r}]"
    return text


def event_path_prefix(kind: str | None, index: int) -> str:
    """Where event `index` sits in a JSON document of this kind."""
    if kind == "EPCISQueryDocument":
        return f"epcisBody.queryResults.resultsBody.eventList[{index}]"
    return f"epcisBody.eventList[{index}]"


def with_event(problems: Iterable[Problem], index: int, event_id: str | None) -> list[Problem]:
    """The same problems, stamped with the event they belong to."""
    return [Problem(p.path, p.rule, p.message, event_index=index, event_id=event_id) for p in problems]
