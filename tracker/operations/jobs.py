"""The life of a background job as the queue page shows it: waiting, running, done or failed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from importers.said import said
from tracker.clock import utcnow
from tracker.errors import OperationError
from tracker.models import Job, JobState, User, WorkerBeat
from tracker.operations import audit
from tracker.operations.processes import process_is_gone, this_process

# A running job whose worker has been silent this long is taken to have died with its server.
STALE_AFTER = dt.timedelta(hours=2)
# Heartbeats of workers silent this long are forgotten (a worker writes one a minute).
FORGET_BEATS_AFTER = dt.timedelta(days=7)
INTERRUPTED = said("The worker stopped while this job ran (it was killed or its server restarted).")


def create_job(
    session: Session,
    kind: str,
    params: dict[str, Any],
    *,
    actor: User | None,
    run_after: dt.datetime | None = None,
) -> Job:
    job = Job(
        kind=kind,
        params=params,
        state=JobState.WAITING,
        requested_by_id=actor.id if actor else None,
        run_after=run_after,
    )
    session.add(job)
    session.flush()
    return job


def start_job(session: Session, job_id: int) -> Job | None:
    """Mark a waiting job running on this process, or None if it is not waiting (a duplicate
    delivery from the queue, or a job a person already settled)."""
    job = session.scalar(select(Job).where(Job.id == job_id).with_for_update())
    if job is None or job.state is not JobState.WAITING:
        return None
    job.state = JobState.RUNNING
    job.started_at = utcnow()
    job.finished_at = None
    job.attempts += 1
    job.worker = this_process()
    job.error = None
    return job


def finish_job(session: Session, job_id: int, outcome: str | None) -> None:
    job = session.get(Job, job_id, with_for_update=True)
    if job is not None:
        job.state = JobState.DONE
        job.finished_at = utcnow()
        job.outcome = outcome or None


def fail_job(session: Session, job_id: int, error: str) -> None:
    job = session.get(Job, job_id, with_for_update=True)
    if job is not None:
        job.state = JobState.FAILED
        job.finished_at = utcnow()
        job.error = error


def job_error_words(error: BaseException) -> str:
    """What a person reads about a failed job: the error's own sentence, or one that says what
    kind of trouble it was. Never the SQL, its parameters or a traceback: those go to the log."""
    message = getattr(error, "message", None)
    if isinstance(message, str) and message:
        return message
    if isinstance(error, DBAPIError):
        return said(
            "The database was busy or could not be reached, so the job stopped. Retry it once "
            "the database is back; the worker's log has the details."
        )
    return said(
        "The job stopped on an unexpected error (%(kind)s); the worker's log has the details.",
        kind=type(error).__name__,
    )


def postpone_job(session: Session, job_id: int, run_after: dt.datetime, outcome: str) -> None:
    """Back to waiting until ``run_after`` (letters the mail server asked to send later)."""
    job = session.get(Job, job_id, with_for_update=True)
    if job is not None:
        job.state = JobState.WAITING
        job.run_after = run_after
        job.outcome = outcome


def retry_job(session: Session, job: Job, *, actor: User) -> Job:
    """Put a failed job back in the queue, as the queue page's retry button does."""
    if job.state is not JobState.FAILED:
        raise OperationError(_("Only a failed job can be retried."))
    job.state = JobState.WAITING
    job.error = None
    job.run_after = None
    audit.record(session, "job.retry", actor=actor, obj=job, after={"kind": job.kind})
    return job


def requeue_waiting(session: Session, job: Job, *, actor: User, now: dt.datetime) -> Job:
    """Note that a person put a waiting job on the queue again (the queue page's button)."""
    if job.state is not JobState.WAITING:
        raise OperationError(_("Only a waiting job can be queued again."))
    job.requeued_at = now
    audit.record(session, "job.requeue", actor=actor, obj=job, after={"kind": job.kind})
    return job


def beat(session: Session, worker: str, now: dt.datetime, *, queue_ok: bool) -> None:
    """Record a worker's sign of life, and forget workers silent for a week."""
    row = session.get(WorkerBeat, worker)
    if row is None:
        session.add(WorkerBeat(worker=worker, started_at=now, beat_at=now, queue_ok=queue_ok))
    else:
        row.beat_at, row.queue_ok = now, queue_ok
    session.execute(delete(WorkerBeat).where(WorkerBeat.beat_at < now - FORGET_BEATS_AFTER))


def interrupted_jobs(session: Session) -> list[Job]:
    """Running jobs whose process is gone from this host, or silent past STALE_AFTER."""
    running = session.scalars(
        select(Job).where(Job.state == JobState.RUNNING).with_for_update()
    ).all()
    stale = utcnow() - STALE_AFTER
    return [
        job
        for job in running
        if process_is_gone(job.worker) or (job.started_at is not None and job.started_at < stale)
    ]


def release_interrupted_jobs(session: Session, resumable: Collection[str]) -> list[int]:
    """After a crash: jobs of a ``resumable`` kind go back to waiting (their work is claimed
    item by item, so running them again repeats nothing); the others are failed with a
    message, for a person to retry. Returns the ids to queue again."""
    again = []
    for job in interrupted_jobs(session):
        if job.kind in resumable:
            job.state = JobState.WAITING
            again.append(job.id)
        else:
            job.state = JobState.FAILED
            job.finished_at = utcnow()
            job.error = INTERRUPTED
    return again
