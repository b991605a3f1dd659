"""Monitoring's errors: each message says what is wrong and what to do (mapped to HTTP in the API)."""

from __future__ import annotations

from collections.abc import Sequence


class MonitoringError(ValueError):
    """A census, plan, passage or analysis request that cannot be carried out as asked."""


class PlanExceeded(MonitoringError):
    """A harvest authorisation that would take more animals than the season's offtake plan leaves."""


class PackageInvalid(MonitoringError):
    """A Camtrap DP package that fails validation; `problems` lists each error (nothing is stored)."""

    def __init__(self, problems: Sequence[str]) -> None:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        super().__init__(f"the Camtrap DP package is not valid ({len(problems)} errors): {shown}")
        self.problems = list(problems)
