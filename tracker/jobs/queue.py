"""The job queue: huey on a SQLite file by default, on Redis when REDIS_URL is set.

The queue carries only a job's id. What the job is and how it went live in the ``job`` table
(tracker.operations.jobs), so the queue page reads one database whichever engine carries the
work, and the worker re-queues what the database says is still waiting: when it starts, then
every QUEUE_RESCAN_SECONDS (tracker.jobs.doorbell).
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
from redis import Redis
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from importers.said import said
from tracker.clock import utcnow
from tracker.errors import OperationError
from tracker.jobs.doorbell import Outage, WatchedStorage, unreachable
from tracker.models import ImportRun, Job, JobState, User
from tracker.operations.jobs import (
    beat,
    create_job,
    fail_job,
    finish_job,
    job_error_words,
    postpone_job,
    release_interrupted_jobs,
    requeue_waiting,
    retry_job,
    start_job,
)
from tracker.queries.jobs import due_waiting_jobs, last_beat
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
        self.outage = Outage(f"The job queue ({self.engine_name})")
        if not self.huey.immediate:
            self.huey.storage = WatchedStorage(self.huey.storage, self.outage)
        self._task = self.huey.task(name="hilltrack.run_job")(self._run)
        self._pinger: Redis | None = None
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
        except Exception as error:
            if not unreachable(error):
                log.exception("could not queue job %s", job_id)
            # else the outage was logged once, when it began
            return False
        return True

    def holds(self) -> set[int]:
        """The ids of the jobs the queue holds, waiting or scheduled for later."""
        tasks = [*self.huey.pending(), *self.huey.scheduled()]
        return {int(task.args[0]) for task in tasks if task.name == self._task.name}

    def queue_again(self, job_ids: list[int]) -> list[int]:
        """Put on the queue each of ``job_ids`` it does not hold (the doorbell rung again once,
        never twice). Returns those queued; raises when the queue cannot be read."""
        held = self.holds()
        return [job_id for job_id in job_ids if job_id not in held and self.submit(job_id)]

    def reachable(self) -> bool:
        """Whether the queue answers now (for /healthz: a second at most for Redis)."""
        try:
            if self.app.config.get("REDIS_URL") and not self.huey.immediate:
                self._ping_client().ping()
            else:
                self.huey.pending_count()
        except Exception as error:
            if unreachable(error):
                return False
            raise
        return True

    def _ping_client(self) -> Redis:
        """One client kept for the health checks: its pool keeps the connection open, so a
        monitor polling /healthz does not open a connection to Redis per call."""
        if self._pinger is None:
            url = self.app.config["REDIS_URL"]
            self._pinger = Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        return self._pinger

    def rescan(self, worker: str) -> list[int]:
        """The worker's minute: its heartbeat, then the queue rung again for each waiting job
        whose time has come and that the queue lost. Returns the ids queued again."""
        now = utcnow()
        try:
            with self.app.app_context(), writing(self.app) as session:
                beat(session, worker, now, queue_ok=not self.outage.down)
                due = due_waiting_jobs(session, now)
        except SQLAlchemyError as error:
            log.warning("the worker's re-scan could not read the database: %s", error)
            return []
        try:
            again = self.queue_again(due)
        except Exception as error:
            if unreachable(error):
                return []  # the outage's line said so; the next re-scan tries again
            raise
        if again:
            log.info("queued again %d waiting job(s) the queue did not hold: %s", len(again), again)
        return again

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
        try:
            held = self.holds()
        except Exception as error:
            if not unreachable(error):
                raise
            held = set()  # nothing can be queued now; the re-scan queues them when it answers
        for job_id, run_after in waiting:
            if job_id not in held:
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


def requeue(app: Flask, session: Session, job: Job, *, actor: User) -> bool:
    """The queue page's "queue again" for a job waiting too long: noted, committed, and on the
    queue unless it holds the job already (a second click adds nothing). Returns whether the
    queue has it."""
    requeue_waiting(session, job, actor=actor, now=utcnow())
    session.commit()
    jobs = queue(app)
    try:
        return job.id in jobs.holds() or jobs.submit(job.id)
    except Exception as error:
        if unreachable(error):
            return False
        raise


def health(app: Flask, session: Session, now: dt.datetime) -> dict[str, Any]:
    """What /healthz says of the queue and the workers: whether the queue answers, and the
    latest worker heartbeat ("silent" past three re-scans). In-process queues need neither."""
    jobs = queue(app)
    if jobs.huey.immediate:
        return {"queue": "in-process", "worker": "in-process", "worker_heartbeat": None}
    last = last_beat(session)
    silent_after = dt.timedelta(seconds=3 * float(app.config["QUEUE_RESCAN_SECONDS"]))
    worker = "never"
    if last is not None:
        worker = "ok" if now - last.beat_at <= silent_after else "silent"
    return {
        "queue": "ok" if jobs.reachable() else "unreachable",
        "worker": worker,
        "worker_heartbeat": last.beat_at.isoformat() if last else None,
    }


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
        _record_outcome(app, job_id, result)
        if isinstance(result, Later):
            queue(app).submit(job_id, at=result.at)


def _record_outcome(app: Flask, job_id: int, result: Any) -> None:
    """The job ended (or waits for later): say so, trying again while the database is busy or
    away. Given up at once, the job would stay "running" until a worker restarted."""
    from tracker.jobs.patience import write_patiently

    def record(session: Session) -> None:
        if isinstance(result, Later):
            postpone_job(session, job_id, result.at, result.outcome)
        else:
            finish_job(session, job_id, result)

    write_patiently(app, record, what=f"job {job_id}'s outcome")


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


def _installed_by(session: Session, due: dt.datetime) -> bool:
    """Whether the installation existed at tonight's import time (its first account or import
    is older): one set up after it waits for the next night instead of importing at once."""
    firsts = [
        session.scalar(select(func.min(User.created_at))),
        session.scalar(select(func.min(ImportRun.started_at))),
    ]
    known = [first for first in firsts if first is not None]
    return bool(known) and min(known) <= due


def queue_nightly_import(app: Flask, now: dt.datetime | None = None) -> int | None:
    """Queue tonight's officials import if its time has come, the installation existed then,
    and no import job was queued since (several workers share the check: the first one queues
    it)."""
    now = now or utcnow()
    local_today = now.astimezone(ZoneInfo(app.config["TIMEZONE"])).date()
    due = nightly_time(app, local_today)
    if due is None or now < due:
        return None
    with writing(app) as session:
        from tracker.operations.imports import lock_import_slot

        lock_import_slot(session)
        if not _installed_by(session, due):
            return None
        queued_since = session.scalar(
            select(Job.id).where(Job.kind == "import_officials", Job.created_at >= due).limit(1)
        )
        if queued_since is not None:
            return None
        job = create_job(session, "import_officials", {"nightly": True}, actor=None)
        job_id = job.id
    queue(app).submit(job_id)
    return job_id
