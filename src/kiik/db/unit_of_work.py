"""The unit of work as services see it: one transaction per use case, and the only thing that commits.

The stores each capability adds are attributes of it; the concrete one is assembled in
`kiik.bootstrap.unit_of_work`. Services never import adapters.
"""

from __future__ import annotations

from typing import Any, Protocol


class UnitOfWork(Protocol):
    events: Any
    items: Any
    directory: Any
    jobs: Any
    # The rules beyond custody that capture applies to each event (`kiik.custody.services.event_rules`).
    rule_factories: tuple[Any, ...]

    @property
    def dialect(self) -> str: ...
    def __enter__(self) -> UnitOfWork: ...
    def __exit__(self, *args: object) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
