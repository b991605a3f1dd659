"""Enforcement's errors: each message says what is wrong and how to put it right (mapped in the API)."""

from __future__ import annotations

from collections.abc import Sequence


class EnforcementError(ValueError):
    """A seizure, alert, case, animal or inspection that cannot be recorded as asked; nothing changed."""


class SeizureInvalid(EnforcementError):
    """A seizure that cannot be recorded: `problems` names each field and what is wrong, one by one
    (each a kiik.errors.Wording a page explains next to its field)."""

    def __init__(self, reference: str, problems: list[str]) -> None:
        super().__init__(f"the seizure {reference!r} cannot be recorded: " + "; ".join(problems))
        self.problems = list(problems)


class CaseInvalid(EnforcementError):
    """A case that cannot be opened: `problems` names each field and what is wrong (Wordings)."""

    def __init__(self, number: str, problems: list[str]) -> None:
        super().__init__(f"the case {number!r} cannot be recorded: " + "; ".join(problems))
        self.problems = problems


class SeizureRowsInvalid(EnforcementError):
    """A seizure file with bad rows: `problems` names each row and field (nothing was stored)."""

    def __init__(self, problems: Sequence[str]) -> None:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        super().__init__(f"the seizure file has {len(problems)} problems, nothing was recorded: {shown}")
        self.problems = list(problems)
