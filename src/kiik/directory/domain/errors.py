"""The directory's refusal (organisations, sites, tokens), raised by its rules and its services."""

from __future__ import annotations


class DirectoryError(ValueError):
    """A request about organisations, sites or tokens that cannot be carried out as asked."""
