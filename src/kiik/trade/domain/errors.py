"""Trade's errors: each message says what is wrong and what to do (mapped to HTTP in the API)."""

from __future__ import annotations

from collections.abc import Sequence

from kiik.custody.domain.state import Violation


class TradeError(ValueError):
    """A cull, delivery, lot, move, sale or recall that cannot be recorded as asked; nothing changed."""


class TradeRefused(TradeError):
    """Capture refused the events of a trade step: `problems` names each rule broken."""

    def __init__(self, what: str, problems: Sequence[Violation]) -> None:
        shown = "; ".join(f"{p.rule}: {p.message}" for p in problems[:5])
        super().__init__(f"{what} was refused, nothing was recorded: {shown}")
        self.problems = list(problems)
