"""What custody's use cases need from storage, as protocols: the events and the items' state."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from kiik.custody.domain.state import ItemState


class EventRecord(Protocol):
    pk: int
    hash_id: str
    event_id: str
    event_type: str
    org_id: int | None
    declares_error: bool
    body: dict[str, Any]


class EventStorePort(Protocol):
    def existing_hashes(self, hashes: Iterable[str], declares_error: bool = False) -> set[str]: ...
    def add(self, new_events: Sequence[Any]) -> list[int]: ...
    def by_event_id(self, event_id: str, *, declarations: bool = False) -> Sequence[EventRecord]: ...
    def mark_erroneous(self, event_pk: int, declaration_pk: int) -> None: ...
    def identifiers_of(self, event_pks: Sequence[int]) -> list[str]: ...
    def touching(self, keys: Sequence[str], *, include_erroneous: bool = True) -> Sequence[EventRecord]: ...


class ItemStorePort(Protocol):
    def load(self, keys: Iterable[str]) -> dict[str, ItemState]: ...
    def get(self, key: str) -> ItemState | None: ...
    def children(self, parent: str) -> list[str]: ...
    def children_of_many(self, parents: Sequence[str]) -> dict[str, list[str]]: ...
    def save(
        self,
        states: Sequence[ItemState],
        new_keys: set[str] | None = None,
        stored: Mapping[str, ItemState] | None = None,
    ) -> None: ...
    def remove(self, keys: Iterable[str]) -> None: ...
