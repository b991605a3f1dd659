"""Capture jobs: what `POST /epcis/capture` started and how it ended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from kiik.custody.adapters.tables import capture_jobs
from kiik.directory.adapters.store import now


@dataclass(frozen=True)
class CaptureJob:
    id: str
    org_id: int | None
    status: str
    created_at: datetime
    finished_at: datetime | None
    event_count: int
    stored_count: int
    errors: list[dict[str, Any]]
    text: str | None


class JobStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def start(self, job_id: str, org_id: int | None) -> None:
        self.connection.execute(
            insert(capture_jobs).values(
                id=job_id, org_id=org_id, status="running", created_at=now(), errors=[]
            )
        )

    def finish(
        self,
        job_id: str,
        status: str,
        event_count: int,
        stored_count: int,
        errors: list[dict[str, Any]],
        text: str,
    ) -> None:
        self.connection.execute(
            update(capture_jobs)
            .where(capture_jobs.c.id == job_id)
            .values(
                status=status,
                finished_at=now(),
                event_count=event_count,
                stored_count=stored_count,
                errors=errors,
                text=text,
            )
        )

    def get(self, job_id: str) -> CaptureJob | None:
        row = self.connection.execute(select(capture_jobs).where(capture_jobs.c.id == job_id)).first()
        if row is None:
            return None
        return CaptureJob(
            row.id,
            row.org_id,
            row.status,
            row.created_at,
            row.finished_at,
            row.event_count,
            row.stored_count,
            row.errors,
            row.text,
        )
