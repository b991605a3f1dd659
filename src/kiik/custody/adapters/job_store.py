"""Capture jobs: what `POST /epcis/capture` started and how it ended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, insert, or_, select, update

from kiik.custody.adapters.tables import capture_jobs, events
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
        return None if row is None else _job(row)

    def listed(
        self, org_id: int | None, *, after: tuple[datetime, str] | None, limit: int
    ) -> list[CaptureJob]:
        """An organisation's jobs (every job when None), newest first, after the keyset `after`."""
        query = select(capture_jobs).order_by(capture_jobs.c.created_at.desc(), capture_jobs.c.id.desc())
        if org_id is not None:
            query = query.where(capture_jobs.c.org_id == org_id)
        if after is not None:
            made, job_id = after
            column = capture_jobs.c.created_at
            query = query.where(or_(column < made, and_(column == made, capture_jobs.c.id < job_id)))
        return [_job(row) for row in self.connection.execute(query.limit(limit))]

    def running(self) -> list[str]:
        """The jobs still marked running, oldest first."""
        query = select(capture_jobs.c.id).where(capture_jobs.c.status == "running")
        return list(self.connection.scalars(query.order_by(capture_jobs.c.created_at)))

    def stored_by(self, job_id: str) -> int:
        """How many events the capture of this job wrote (a document is stored whole or not at all)."""
        query = select(func.count()).select_from(events).where(events.c.capture_id == job_id)
        return int(self.connection.scalar(query) or 0)


def _job(row: Any) -> CaptureJob:
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
