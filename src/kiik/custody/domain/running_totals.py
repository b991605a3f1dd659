"""A running total that is not what a recount of its rows gives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TotalDifference:
    table: str
    key: tuple[Any, ...]
    kept: tuple[int, ...]
    counted: tuple[int, ...]

    def describe(self) -> str:
        return f"{self.table} {self.key!r}: kept {self.kept!r}, a recount gives {self.counted!r}"
