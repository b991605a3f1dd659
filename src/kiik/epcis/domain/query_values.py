"""Comparing what an event holds with what a query parameter asks (EPCIS 2.0 section 8.2.7.1).

A query value is a number, a date-time or a word, read from the parameter's text; a field's value is
whatever the event holds (a JSON number, or the text an XML document gave). `EQ_` matches when any
value held equals any value asked (as numbers, as times or as text); `GT_`, `GE_`, `LT_`, `LE_`
compare numbers with numbers and times with times, and never match a value of another kind.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiik.epcis.domain.event_facts import parse_time

ORDERINGS: dict[str, Callable[[Any, Any], bool]] = {
    "GT": operator.gt,
    "GE": operator.ge,
    "LT": operator.lt,
    "LE": operator.le,
}
# Spellings of vocabulary words that name the same word: CBV 1.x URNs, CBV 2.0 URIs and CURIEs.
_WORD_PREFIXES = (
    "urn:epcglobal:cbv:bizstep:",
    "urn:epcglobal:cbv:disp:",
    "urn:epcglobal:cbv:btt:",
    "urn:epcglobal:cbv:sdt:",
    "urn:epcglobal:cbv:er:",
    "urn:epcglobal:cbv:comp:",
    "https://ref.gs1.org/cbv/BizStep-",
    "https://ref.gs1.org/cbv/Disp-",
    "https://ref.gs1.org/cbv/BTT-",
    "https://ref.gs1.org/cbv/SDT-",
    "https://ref.gs1.org/cbv/ER-",
    "https://ref.gs1.org/cbv/Comp-",
    "cbv:BizStep-",
    "cbv:Disp-",
    "cbv:BTT-",
    "cbv:SDT-",
    "cbv:ER-",
    "cbv:Comp-",
    "https://gs1.org/voc/",
    "gs1:",
)


class FilterError(ValueError):
    """A query value that cannot be read; the message says what was expected."""


def word(value: Any) -> str:
    """A vocabulary word in its bare form, whichever standard spelling was used."""
    text = str(value).strip()
    for prefix in _WORD_PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def moment(value: Any) -> datetime | None:
    if not isinstance(value, str) or "T" not in value.upper():
        return None
    try:
        return parse_time(value.strip())
    except ValueError:
        return None


@dataclass(frozen=True)
class Asked:
    """One value a parameter asks for, read as every kind it can be."""

    text: str
    as_number: float | None
    as_time: datetime | None

    @classmethod
    def read(cls, text: str) -> Asked:
        return cls(text, number(text), moment(text))

    def equals(self, held: Any) -> bool:
        if isinstance(held, bool):
            return self.text.lower() == ("true" if held else "false")
        if self.as_number is not None and (found := number(held)) is not None:
            return found == self.as_number
        if self.as_time is not None and (found_time := moment(held)) is not None:
            return found_time == self.as_time
        return str(held).strip() == self.text or word(held) == word(self.text)

    def ordered(self, relation: str, held: Any) -> bool:
        """held RELATION asked (GT: held > asked), for numbers and for times."""
        compare = ORDERINGS[relation]
        if self.as_number is not None:
            found = number(held)
            return found is not None and compare(found, self.as_number)
        found_time = moment(held)
        return found_time is not None and self.as_time is not None and compare(found_time, self.as_time)


def ordering_value(parameter: str, text: str) -> Asked:
    asked = Asked.read(text)
    if asked.as_number is None and asked.as_time is None:
        raise FilterError(
            f"{parameter}: {text!r} is neither a number nor a date-time; compare with a number (12.5) or "
            "a date-time (2025-09-12T07:30:00Z)"
        )
    return asked


def matches(relation: str, asked: tuple[Asked, ...], held: Iterable[Any]) -> bool:
    """Whether the values held satisfy the relation (EQ, GT, GE, LT, LE or EXISTS) with the values asked."""
    values = list(held)
    if relation == "EXISTS":
        return bool(values)
    if relation == "EQ":
        return any(a.equals(v) for v in values for a in asked)
    return any(asked[0].ordered(relation, v) for v in values)
