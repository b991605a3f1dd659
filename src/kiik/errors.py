"""Errors that services raise for the entry points to map (no HTTP codes here)."""

from __future__ import annotations


class NotFound(LookupError):
    """Nothing of that name is visible to the actor (unknown, or another organisation's)."""


class QueryError(ValueError):
    """A query parameter that cannot be understood; the message names it and says what is allowed."""


class QueryTooLarge(QueryError):
    """A query matches more events than its `maxEventCount` allows (the standard's QueryTooLargeException)."""


class Wording:
    """A message a person may read on a page, kept as its English template (`%(name)s` for each
    value) and the values. `str()` is the English text (what the API and the command line show); a
    page translates the template through its catalogs (the template is the msgid) and fills in the
    values (`kiik.web.i18n.PageText.explain`). A domain error or problem built from a Wording is
    translated by the pages and stays English everywhere else."""

    __slots__ = ("template", "values")

    def __init__(self, template: str, values: dict[str, object]) -> None:
        self.template = template
        self.values = values

    def __str__(self) -> str:
        return self.template % self.values if self.values else self.template

    def __repr__(self) -> str:
        return repr(str(self))

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __contains__(self, part: str) -> bool:
        return part in str(self)


def N_(template: str, **values: object) -> Wording:  # noqa: N802 - the name `make messages` extracts
    """Marks a message for the pages' catalogs (the name is one Babel extracts by default)."""
    return Wording(template, values)
