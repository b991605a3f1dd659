"""What the directory's use cases need from storage: organisations and their sites, as protocols."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


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
