"""Errors that services raise for the entry points to map (no HTTP codes here)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence


class NotFound(LookupError):
    """Nothing of that name is visible to the actor (unknown, or another organisation's)."""


class QueryError(ValueError):
    """A query parameter that cannot be understood; the message names it and says what is allowed."""


class QueryTooLarge(QueryError):
    """A query matches more events than its `maxEventCount` allows (the standard's QueryTooLargeException)."""


class Wording(str):
    """A message a person may read on a page, kept as its English template (`%(name)s` for each
    value) and the values. It *is* the English text (a `str`: what the API, the command line and
    the EPCIS error bodies show, what JSON writes); a page translates the template through its
    catalogs (the template is the msgid) and fills in the values (`kiik.web.i18n.PageText.explain`).
    A domain error or problem built from a Wording is translated by the pages and stays English
    everywhere else. A value may itself be a Wording (a status explained, a verb): it is translated
    too. Text built from a Wording with `+` or an f-string is plain English again."""

    template: str
    values: dict[str, object]

    def __new__(cls, template: str, values: Mapping[str, object]) -> Wording:
        made = super().__new__(cls, template % values if values else template)
        made.template = template
        made.values = dict(values)
        return made

    def filled(self, **values: object) -> Wording:
        """This template with these values: for a sentence chosen from a table of marked ones
        (`N_("...")` without values, so that `make messages` finds each)."""
        return Wording(self.template, values)

    def __reduce__(self) -> tuple[object, ...]:  # pickled to a capture worker and back
        return (Wording, (self.template, self.values))


class Figure(str):
    """A number in a message: its English text groups thousands with commas (3,000); a page writes
    it as its language writes numbers (3 000 in Kazakh and Russian)."""

    value: float
    digits: int

    def __new__(cls, value: float, digits: int = 0) -> Figure:
        made = super().__new__(cls, f"{value:,.{digits}f}")
        made.value = value
        made.digits = digits
        return made

    def __reduce__(self) -> tuple[object, ...]:
        return (Figure, (self.value, self.digits))


def worded(text: str) -> Wording:
    """A text kept as data (a rule's title, a legal basis) that a page translates when the catalogs
    hold it (the register's starting content marks its texts with `N_`), else shows as written."""
    return Wording(text, {})


def N_(template: str, **values: object) -> Wording:  # noqa: N802 - the name `make messages` extracts
    """Marks a message for the pages' catalogs (the name is one Babel extracts by default)."""
    return Wording(template, values)


# Where in a file a problem is. Each template names the place's parts and `%(problem)s`; the English
# is one line (`row 3, species: ...`); a page shows each part in a column of its own and the problem
# explained in its language (`place_of`), or, where it shows the message whole, translates it all.
PLACES = (
    N_("row %(row)s, %(column)s: %(problem)s"),
    N_("row %(row)s: %(problem)s"),
    N_("rows %(rows)s (%(reference)s): %(problem)s"),
    N_("%(table)s: %(problem)s"),
    N_("%(table)s, row %(row)s: %(problem)s"),
    N_("%(table)s, field %(field)s: %(problem)s"),
    N_("%(table)s, row %(row)s, field %(field)s: %(problem)s"),
)
_PLACE_BY_PARTS = {
    frozenset(re.findall(r"%\((\w+)\)s", place.template)) - {"problem"}: place for place in PLACES
}


def at(problem: object, **place: object) -> Wording:
    """A problem at a place in a file, named by its parts (`row=3, column="species"`; `table=...,
    row=..., field=...`): its English is the place then the problem, as it always read."""
    return _PLACE_BY_PARTS[frozenset(place)].filled(problem=problem, **place)


def place_of(message: object) -> tuple[dict[str, object], object] | None:
    """The place's parts and the problem of a message made by `at`; None for any other message."""
    if not isinstance(message, Wording):
        return None
    parts = frozenset(message.values) - {"problem"}
    place = _PLACE_BY_PARTS.get(parts)
    if place is None or place.template != message.template:
        return None
    return {name: message.values[name] for name in parts}, message.values["problem"]


def listed(messages: Sequence[str], separator: str = "; ") -> Wording:
    """Messages one after the other: a page translates each that is a Wording (the separator and
    the joining template are no msgid, so they stay as written)."""
    names = [f"message{index}" for index in range(len(messages))]
    return Wording(separator.join(f"%({name})s" for name in names), dict(zip(names, messages, strict=True)))
