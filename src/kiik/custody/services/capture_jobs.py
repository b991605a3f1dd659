"""Capture jobs: the record of a document capture that a client can poll."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from kiik.custody.services.capture import CaptureOutcome, DocumentEventLike, capture_events, new_capture_id
from kiik.custody.services.ports import JobLeasesPort
from kiik.custody.services.queries import as_token, from_token
from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.errors import NotFound, QueryError

UowFactory = Callable[[], UnitOfWork]


def start_job(uow: UnitOfWork, principal: Principal, leases: JobLeasesPort | None = None) -> str:
    """Record a new job as running; with `leases`, this process holds the job from before it is
    recorded until `run_job` has recorded its end, so no other process ever takes it for abandoned."""
    require(principal, Permission.EVENTS_CAPTURE)
    job_id = new_capture_id()
    if leases is not None:
        leases.take(job_id)
    try:
        with uow:
            uow.jobs.start(job_id, principal.org_id)
            uow.commit()
    except BaseException:
        if leases is not None:
            leases.release(job_id)
        raise
    return job_id


def run_job(
    uow_factory: UowFactory,
    principal: Principal,
    job_id: str,
    events: Iterable[DocumentEventLike],
    document_problems: Callable[[], list[Any]] | None,
    *,
    custody_rules: bool,
    yields: dict[str, float],
    batch_size: int,
    max_errors: int,
    max_events: int | None = None,
    leases: JobLeasesPort | None = None,
) -> CaptureOutcome:
    """Capture a document under a job and record how it ended, whatever happened."""
    outcome = CaptureOutcome(capture_id=job_id)
    try:
        outcome = capture_events(
            uow_factory(),
            principal,
            events,
            custody_rules=custody_rules,
            yields=yields,
            batch_size=batch_size,
            max_errors=max_errors,
            capture_id=job_id,
            document_problems=document_problems,
            max_events=max_events,
        )
    except Exception as exc:  # the job must say it failed rather than stay "running" forever
        outcome.errors.append(
            {
                "eventIndex": None,
                "rule": "capture.failed",
                "message": f"the capture stopped: {type(exc).__name__}: {exc}",
            }
        )
        raise
    finally:
        try:
            with uow_factory() as uow:
                status = "succeeded" if outcome.succeeded else "failed"
                uow.jobs.finish(
                    job_id, status, outcome.event_count, outcome.stored, outcome.errors, outcome.summary()
                )
                uow.commit()
        finally:
            if leases is not None:
                leases.release(job_id)
    return outcome


def settle_interrupted_jobs(
    uow: UnitOfWork, leases: JobLeasesPort | None = None, only: str | None = None
) -> dict[str, str]:
    """Jobs a stopped server left marked running, each told how it ended: succeeded when its
    document was committed (its events are stored), else failed, with what to do. A document is
    stored whole or not at all, so no other ending exists.

    Without `leases` every running job counts as abandoned (at start-up of the only server, before
    any new capture); with them, only jobs that no live process holds, so that one worker starting,
    or a client polling a job, settles what a dead worker left while the others go on capturing.
    `only` settles that one job. The job id -> its status now."""
    settled: dict[str, str] = {}
    with uow:
        for job_id in uow.jobs.running():
            if (only is not None and job_id != only) or (leases is not None and leases.alive(job_id)):
                continue
            stored = uow.jobs.stored_by(job_id)
            if stored:
                text = f"{stored} events stored; the server stopped before it recorded the job's end"
                uow.jobs.finish(job_id, "succeeded", stored, stored, [], text)
                settled[job_id] = "succeeded"
                continue
            error = {
                "eventIndex": None,
                "rule": "capture.interrupted",
                "message": "the server stopped while this document was being captured; nothing of it was "
                "stored: send the document again",
            }
            uow.jobs.finish(job_id, "failed", 0, 0, [error], "interrupted: nothing stored")
            settled[job_id] = "failed"
        uow.commit()
    return settled


def job_document(
    uow_factory: UowFactory, principal: Principal, job_id: str, leases: JobLeasesPort | None = None
) -> dict[str, Any]:
    """The capture job as the EPCIS REST binding describes it. With `leases`, a job that is marked
    running but that no live process runs (its worker died) is settled first, so that a client
    polling it is never told "running" for ever."""
    require(principal, Permission.CAPTURE_JOBS_READ)
    with uow_factory() as uow:
        job = uow.jobs.get(job_id)
    if job is None or (job.org_id != principal.org_id and not principal.sees_everything):
        raise NotFound(f"no capture job {job_id} is visible to you")
    if job.status == "running" and leases is not None and not leases.alive(job_id):
        settle_interrupted_jobs(uow_factory(), leases, only=job_id)
        with uow_factory() as uow:
            job = uow.jobs.get(job_id)
        assert job is not None
    return _document(job)


def job_documents(
    uow: UnitOfWork, principal: Principal, per_page: int, token: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """GET /epcis/capture: the capture jobs of the principal's organisation (every one for who sees
    everything), newest first, one page; and the token of the next page."""
    require(principal, Permission.CAPTURE_JOBS_READ)
    after = None
    if token is not None:
        try:
            made, _, job_id = from_token(token).decode().partition("|")
            after = (datetime.fromisoformat(made), job_id)
        except ValueError:
            raise QueryError(
                "nextPageToken: the token is not one kiik gave; follow the Link header"
            ) from None
    with uow:
        jobs = uow.jobs.listed(
            None if principal.sees_everything else principal.org_id, after=after, limit=per_page + 1
        )
    page = jobs[:per_page]
    following = (
        as_token(f"{page[-1].created_at.isoformat()}|{page[-1].id}".encode())
        if len(jobs) > per_page
        else None
    )
    return [_document(job) for job in page], following


def _document(job: Any) -> dict[str, Any]:
    return {
        "captureID": job.id,
        "createdAt": job.created_at.isoformat(timespec="milliseconds") + "Z",
        "finishedAt": job.finished_at.isoformat(timespec="milliseconds") + "Z" if job.finished_at else None,
        "running": job.status == "running",
        "success": job.status in ("running", "succeeded"),
        "captureErrorBehaviour": "rollback",
        "eventCount": job.event_count,
        "storedCount": job.stored_count,
        "summary": job.text,
        "errors": job.errors,
    }
