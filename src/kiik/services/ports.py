"""What services need from storage, as protocols: services never import adapters."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from kiik.domain.custody import ItemState


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


class OrganisationRecord(Protocol):
    id: int
    code: str
    name: str
    kind: str
    pgln: str | None
    country: str


class SiteRecord(Protocol):
    id: int
    org_id: int
    sgln: str
    name: str


class DirectoryStorePort(Protocol):
    def organisations(self) -> Sequence[OrganisationRecord]: ...
    def sites(self, org_id: int | None = None) -> Sequence[SiteRecord]: ...


class UnitOfWork(Protocol):
    events: Any
    items: Any
    directory: Any
    jobs: Any

    @property
    def dialect(self) -> str: ...
    def __enter__(self) -> UnitOfWork: ...
    def __exit__(self, *args: object) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
