"""The job queue: huey on a SQLite file by default, on Redis when REDIS_URL is set.

The queue carries only a job's id. What the job is and how it went live in the ``job`` table
(tracker.operations.jobs), so the queue page reads one database whichever engine carries the
work, and a worker that starts re-queues what the database says is still waiting.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, has_app_context
from flask_babel import gettext as _
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
from sqlalchemy import select
from sqlalchemy.orm import Session

from importers.said import said
from tracker.clock import utcnow
from tracker.errors import OperationError
from tracker.models import Job, JobState, User
from tracker.operations.jobs import (
    create_job,
    fail_job,
    finish_job,
    job_error_words,
    postpone_job,
    release_interrupted_jobs,
    retry_job,
    start_job,
)
from tracker.web.db import state

log = logging.getLogger(__name__)
EXTENSION = "hilltrack_queue"


@dataclass(frozen=True)
class Later:
    """A job's answer when part of its work must wait (letters a mail server deferred)."""

    at: dt.datetime
    outcome: str


@dataclass(frozen=True)
class Handler:
    run: Callable[[Flask, int, dict[str, Any]], str | Later]
    # Safe to run again after a crash: its work is claimed item by item.
    resumable: bool = False
    describe: Callable[[dict[str, Any]], str] = lambda params: ""
    # What a retry puts back before the job runs again (the letters a bad setting failed).
    on_retry: Callable[[Session, int, dict[str, Any]], None] | None = None
    # Written with the job's failure: what the job leaves behind is put right at once (a
    # letter it could not record becomes "unknown", not "sending" until the worker restarts).
    on_failure: Callable[[Session, int, dict[str, Any], Exception], None] | None = None


HANDLERS: dict[str, Handler] = {}
# Work the worker does on a schedule, by name: (the app's schedule, the work).
PERIODIC: dict[str, tuple[Callable[[Flask], Any], Callable[[Flask], None]]] = {}


def periodic(name: str, schedule: Callable[[Flask], Any]) -> Callable[..., Any]:
    """Register ``work(app)`` to run in the worker on ``schedule(app)`` (a huey crontab)."""

    def register(work: Callable[[Flask], None]) -> Callable[[Flask], None]:
        PERIODIC[name] = (schedule, work)
        return work

    return register


def handler(
    kind: str,
    *,
    resumable: bool = False,
    describe: Any = None,
    on_retry: Any = None,
    on_failure: Any = None,
) -> Callable[..., Any]:
    """Register the function that does jobs of ``kind``."""

    def register(fn: Callable[[Flask, int, dict[str, Any]], str | Later]) -> Any:
        HANDLERS[kind] = Handler(
            fn, resumable, describe or (lambda params: ""), on_retry, on_failure
        )
        return fn

    return register


@contextmanager
def writing(app: Flask) -> Iterator[Session]:
    """A session that holds the write lock from its first statement, committed at the end."""
    session = state(app).sessions()
    session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _engine(app: Flask) -> Huey:
    config = app.config
    if config.get("QUEUE_IMMEDIATE"):
        return MemoryHuey("hilltrack", immediate=True, results=False)
    if config.get("REDIS_URL"):
        return RedisHuey("hilltrack", url=config["REDIS_URL"], results=False)
    path = config.get("QUEUE_FILE") or str(Path(app.instance_path) / "queue.sqlite3")
    return SqliteHuey("hilltrack", filename=path, results=False)


class Queue:
    """The app's queue: submit a job's id, run it in the worker, and the nightly import."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.huey = _engine(app)
        self._task = self.huey.task(name="hilltrack.run_job")(self._run)
        self.huey.periodic_task(crontab(minute="*/10"), name="hilltrack.nightly")(self._nightly)
        self.periodic = {}
        for name, (schedule, work) in PERIODIC.items():
            run = self._in_context(work)
            self.periodic[name] = run
            self.huey.periodic_task(schedule(app), name=f"hilltrack.{name}")(run)

    def _in_context(self, work: Callable[[Flask], None]) -> Callable[[], None]:
        def run() -> None:
            with self.app.app_context():
                work(self.app)

        return run

    @property
    def engine_name(self) -> str:
        return {"RedisHuey": "Redis", "SqliteHuey": "SQLite"}.get(
            type(self.huey).__name__, "in-process"
        )

    def submit(self, job_id: int, *, at: dt.datetime | None = None) -> bool:
        """Put job ``job_id`` on the queue. False (logged) when the queue cannot be reached:
        the job stays waiting in the database and the worker queues it when it starts."""
        try:
            if at is not None and at > utcnow():
                self._task.schedule(args=(job_id,), eta=at)
            else:
                self._task(job_id)
        except Exception:
            log.exception("could not queue job %s", job_id)
            return False
        return True

    def _run(self, job_id: int) -> None:
        run_job(self.app, job_id)

    def _nightly(self) -> None:
        with self.app.app_context():
            queue_nightly_import(self.app)

    def prepare_worker(self) -> int:
        """Before the consumer starts: release what a dead worker held, and queue again every
        job the database says is waiting (the queue's own copy may be gone)."""
        resumable = {kind for kind, h in HANDLERS.items() if h.resumable}
        with self.app.app_context():
            with writing(self.app) as session:
                from tracker.operations.letters import release_interrupted_letters

                release_interrupted_letters(session, utcnow())
                release_interrupted_jobs(session, resumable)
            with writing(self.app) as session:
                waiting = session.execute(
                    select(Job.id, Job.run_after).where(Job.state == JobState.WAITING)
                ).all()
        for job_id, run_after in waiting:
            self.submit(job_id, at=run_after)
        return len(waiting)


def queue(app: Flask) -> Queue:
    existing: Queue | None = app.extensions.get(EXTENSION)
    if existing is None:
        existing = Queue(app)
        app.extensions[EXTENSION] = existing
    return existing


def enqueue(
    app: Flask,
    session: Session,
    kind: str,
    params: dict[str, Any],
    *,
    actor: User | None,
) -> tuple[int, bool]:
    """Record a job of ``kind`` in ``session``, commit, then put it on the queue.
    Returns (job id, whether the queue took it)."""
    if kind not in HANDLERS:
        raise OperationError(_("No such kind of job: %(kind)s", kind=kind))
    job = create_job(session, kind, params, actor=actor)
    session.commit()
    return job.id, queue(app).submit(job.id)


def retry(app: Flask, session: Session, job: Job, *, actor: User) -> bool:
    """The queue page's retry: the failed job waits again (with what it failed on put back),
    is committed, and goes on the queue. Returns whether the queue took it."""
    retry_job(session, job, actor=actor)
    job_handler = HANDLERS.get(job.kind)
    if job_handler is not None and job_handler.on_retry is not None:
        job_handler.on_retry(session, job.id, dict(job.params or {}))
    session.commit()
    return queue(app).submit(job.id)


def run_job(app: Flask, job_id: int) -> None:
    """Run one job in the worker: mark it running, call its handler, record the outcome.
    Inside a request (the tests' in-request queue) it keeps the request's context: a new one
    would load the signed-in user again, in the middle of the job's own transactions."""
    with nullcontext() if has_app_context() else app.app_context():
        with writing(app) as session:
            job = start_job(session, job_id)
            if job is None:
                return
            kind, params = job.kind, dict(job.params or {})
        job_handler = HANDLERS.get(kind)
        try:
            if job_handler is None:
                raise OperationError(
                    said("This worker does not know jobs of kind %(kind)s.", kind=kind)
                )
            result = job_handler.run(app, job_id, params)
        except Exception as error:
            log.exception("job %s (%s) failed", job_id, kind)
            _record_failure(app, job_id, job_handler, params, error)
            return
        with writing(app) as session:
            if isinstance(result, Later):
                postpone_job(session, job_id, result.at, result.outcome)
            else:
                finish_job(session, job_id, result)
        if isinstance(result, Later):
            queue(app).submit(job_id, at=result.at)


def _record_failure(
    app: Flask, job_id: int, job_handler: Handler | None, params: dict[str, Any], error: Exception
) -> None:
    """The job failed: say so in a sentence (the details are in the log), and let its handler
    put right what it leaves behind, trying again while the database is busy or away."""
    from tracker.jobs.patience import write_patiently

    def record(session: Session) -> None:
        fail_job(session, job_id, job_error_words(error))
        if job_handler is not None and job_handler.on_failure is not None:
            job_handler.on_failure(session, job_id, params, error)

    patience = 5 * float(app.config.get("WORKER_WRITE_PATIENCE", 60))
    write_patiently(app, record, what=f"job {job_id}'s failure", patience=patience)


def nightly_time(app: Flask, today: dt.date) -> dt.datetime | None:
    """Today's nightly import time as an instant, or None when nightly imports are off."""
    setting = app.config.get("NIGHTLY_IMPORT")
    at = str(app.config.get("NIGHTLY_IMPORT_AT") or "")
    if not setting or str(setting).lower() in ("0", "false", "off", "no") or not at:
        return None
    hour, _, minute = at.partition(":")
    local = dt.datetime.combine(today, dt.time(int(hour), int(minute or 0)))
    return local.replace(tzinfo=ZoneInfo(app.config["TIMEZONE"]))


def queue_nightly_import(app: Flask, now: dt.datetime | None = None) -> int | None:
    """Queue tonight's officials import if its time has come and no import job was queued
    since (several workers share the check: the first one queues it)."""
    now = now or utcnow()
    local_today = now.astimezone(ZoneInfo(app.config["TIMEZONE"])).date()
    due = nightly_time(app, local_today)
    if due is None or now < due:
        return None
    with writing(app) as session:
        from tracker.operations.imports import lock_import_slot

        lock_import_slot(session)
        queued_since = session.scalar(
            select(Job.id).where(Job.kind == "import_officials", Job.created_at >= due).limit(1)
        )
        if queued_since is not None:
            return None
        job = create_job(session, "import_officials", {"nightly": True}, actor=None)
        job_id = job.id
    queue(app).submit(job_id)
    return job_id
