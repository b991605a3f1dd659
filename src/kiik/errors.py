"""Errors that services raise for the entry points to map (no HTTP codes here)."""

from __future__ import annotations


class NotFound(LookupError):
    """Nothing of that name is visible to the actor (unknown, or another organisation's)."""


class QueryError(ValueError):
    """A query parameter that cannot be understood; the message names it and says what is allowed."""


class QueryTooLarge(QueryError):
    """A query matches more events than its `maxEventCount` allows (the standard's QueryTooLargeException)."""
