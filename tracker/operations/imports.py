"""Running an import of officials: one at a time, fetch outside any transaction, apply in one.

Phases, each its own transaction: begin (claim the single import slot and record the run),
collect (network or files, no transaction; progress is written as it goes), apply (reconcile
everything in one transaction, or roll it all back), and finish (record the outcome).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Connection, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

import importers
from importers.errors import FeedError
from importers.http import FeedClient
from importers.said import Said, said, said_plural, said_together
from importers.sources import ESSENTIAL, SOURCE_NAMES, Collector
from tracker.clock import utcnow
from tracker.errors import OperationError
from tracker.models import ImportRun, ImportStatus, Official, Role, RoleKind, User
from tracker.operations import audit
from tracker.operations.processes import process_is_gone, this_process
from tracker.operations.reconcile import Reconciler, Report

# A running import writes a heartbeat every few seconds from a thread of its own; one silent
# this long was cut off (its process killed, its server restarted). A run whose process is gone
# from this very host is released at once.
HEARTBEAT_EVERY = 5.0  # seconds
STALE_AFTER = dt.timedelta(seconds=30)


class ImportBusy(OperationError):
    """Another import is running."""

    def __init__(self, running_id: int) -> None:
        super().__init__(
            _("Another import (run %(id)s) is running; wait for it to finish.", id=running_id)
        )
        self.running_id = running_id


@dataclass
class ImportOptions:
    sources: list[str] = field(default_factory=lambda: list(SOURCE_NAMES))
    from_dir: Path | None = None
    as_of: dt.datetime | None = None
    dry_run: bool = False
    force: bool = False
    feed_cache: Path | None = None


def bundled_snapshot() -> tuple[Path, dt.datetime]:
    """The folder of real feed copies shipped with Hilltrack, and the date its data is as of."""
    folder = Path(importers.__file__).resolve().parent / "snapshot"
    manifest = json.loads((folder / "SNAPSHOT.json").read_text())
    return folder, dt.datetime.fromisoformat(manifest["as_of"])


def saved_files_time(folder: Path) -> dt.datetime:
    """When a folder of saved feeds was taken: its newest file's time (so a replay is a no-op)."""
    times = [p.stat().st_mtime for p in folder.rglob("*") if p.is_file()]
    newest = max(times) if times else utcnow().timestamp()
    return dt.datetime.fromtimestamp(int(newest), dt.UTC)


def lock_import_slot(session: Session) -> None:
    """Serialise the check-then-claim of the import slot across workers."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection().exec_driver_sql("SELECT pg_advisory_xact_lock(7207001)")
    # SQLite: the caller's transaction began IMMEDIATE, which already excludes other writers.


def is_abandoned(run: ImportRun) -> bool:
    """True for a running run whose process has stopped: silent past STALE_AFTER, or gone."""
    if run.status is not ImportStatus.RUNNING:
        return False
    silent = run.heartbeat_at is not None and run.heartbeat_at < utcnow() - STALE_AFTER
    return silent or process_is_gone(run.owner)


def fail_abandoned_runs(session: Session) -> int:
    """Record as failed every run whose process stopped before it finished: its heartbeat is
    older than STALE_AFTER, or its process on this host is gone."""
    running = session.scalars(
        select(ImportRun).where(ImportRun.status == ImportStatus.RUNNING)
    ).all()
    abandoned = [run for run in running if is_abandoned(run)]
    for run in abandoned:
        run.status = ImportStatus.FAILED
        run.finished_at = utcnow()
        run.error = said(
            "Cut off before it finished (its process stopped or the server restarted); "
            "nothing from it was applied. Run the import again."
        )
    return len(abandoned)


def begin_run(session: Session, options: ImportOptions, actor: User | None) -> ImportRun:
    """Claim the single import slot and record a running run, or raise ImportBusy."""
    lock_import_slot(session)
    fail_abandoned_runs(session)
    running = session.scalar(select(ImportRun).where(ImportRun.status == ImportStatus.RUNNING))
    if running is not None:
        raise ImportBusy(running.id)
    now = utcnow()
    run = ImportRun(
        source=", ".join(options.sources),
        status=ImportStatus.RUNNING,
        started_at=now,
        heartbeat_at=now,
        as_of=options.as_of or now,
        is_preview=options.dry_run,
        triggered_by_id=actor.id if actor else None,
        owner=this_process(),
        progress={"step": "starting", "done": 0, "total": 0},
    )
    session.add(run)
    session.flush()
    audit.record(
        session,
        "import.start",
        actor=actor,
        obj=run,
        after={"sources": options.sources, "dry_run": options.dry_run, "force": options.force},
    )
    return run


def known_sitting_person_ids(session: Session) -> list[int]:
    """PersonIds of officials with a current MP role, for fetching their profiles."""
    return list(
        session.scalars(
            select(Official.ourcommons_id)
            .join(Role, Role.official_id == Official.id)
            .where(
                Role.kind == RoleKind.MP, Role.end_on.is_(None), Official.ourcommons_id.is_not(None)
            )
            .distinct()
        )
    )


def apply_snapshots(
    session: Session, run: ImportRun, collector_result: Any, options: ImportOptions
) -> Report:
    """Reconcile every snapshot in the caller's transaction and return the report."""
    as_of = run.as_of or utcnow()
    reconciler = Reconciler(session, as_of, force=options.force)
    reconciler.run_id = run.id
    for snapshot in collector_result.snapshots:
        reconciler.apply_snapshot(snapshot)
    reconciler.build_french_titles()
    for name, why in collector_result.skipped.items():
        reconciler.report.warnings.append(
            said("%(source)s: skipped, %(why)s", source=name, why=why)
        )
    for name, why in collector_result.failed.items():
        reconciler.report.warnings.append(
            said("%(source)s: failed, %(why)s; its roles stay as they were", source=name, why=why)
        )
    return reconciler.report


def _finish(
    session: Session, run_id: int, status: ImportStatus, report: Report | None, error: str | None
) -> ImportRun:
    run = session.get(ImportRun, run_id)
    if run is None:  # pragma: no cover - the row was written by begin_run
        raise LookupError(run_id)
    run.status = status
    run.finished_at = utcnow()
    run.error = error
    if report is not None:
        data = report.as_json()
        run.counts, run.changes = data["counts"], data["changes"]
        to_review = said_plural(
            "%(num)d item to review", "%(num)d items to review", data["reviews"]
        )
        run.warnings = data["warnings"] + [to_review] * bool(data["reviews"])
    run.progress = {**(run.progress or {}), "step": "finished"}
    return run


def start_officials_import(
    sessions: sessionmaker[Session], options: ImportOptions, *, actor_id: int | None = None
) -> int:
    """Claim the import slot and record a running run; returns its id (or raises ImportBusy)."""
    with sessions() as session:
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        actor = session.get(User, actor_id) if actor_id else None
        run = begin_run(session, options, actor)
        session.commit()
        return run.id


def continue_officials_import(
    sessions: sessionmaker[Session],
    run_id: int,
    options: ImportOptions,
    *,
    progress: Callable[[str, int, int], None] | None = None,
    client_factory: Callable[[], FeedClient] | None = None,
) -> ImportRun:
    """Collect the feeds (no transaction open) and apply them; returns the finished run."""

    def report_progress(step: str, done: int, total: int) -> None:
        _heartbeat(sessions, run_id, step, done, total)
        if progress is not None:
            progress(step, done, total)

    client = None
    beat = Heartbeat(sessions, run_id)
    try:
        with sessions() as session:
            known = known_sitting_person_ids(session)
        if options.from_dir is None:
            client = client_factory() if client_factory else FeedClient(options.feed_cache)
        collected = Collector(
            options.sources,
            from_dir=options.from_dir,
            client=client,
            progress=report_progress,
            known_person_ids=known,
        ).collect()
        return _apply_and_finish(sessions, run_id, collected, options)
    except FeedError as error:
        return _fail(sessions, run_id, _feed_error(error))
    except Exception as error:
        unexpected = said("unexpected error: %(error)s", error=f"{type(error).__name__}: {error}")
        _fail(sessions, run_id, unexpected)
        raise
    finally:
        beat.stop()
        if client is not None:
            client.close()


def run_officials_import(
    sessions: sessionmaker[Session],
    options: ImportOptions,
    *,
    actor_id: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    client_factory: Callable[[], FeedClient] | None = None,
) -> ImportRun:
    """Run a whole import in this thread; returns the finished run (succeeded, dry run, failed)."""
    run_id = start_officials_import(sessions, options, actor_id=actor_id)
    return continue_officials_import(
        sessions, run_id, options, progress=progress, client_factory=client_factory
    )


def _apply_and_finish(
    sessions: sessionmaker[Session], run_id: int, collected: Any, options: ImportOptions
) -> ImportRun:
    with sessions() as session:
        report = _apply_every_usable_source(session, run_id, collected, options)
        failures = [
            said("%(source)s: %(why)s", source=name, why=why)
            for name, why in collected.failed.items()
        ]
        failed = said_together(failures, "; ") if failures else None
        if options.dry_run:
            session.rollback()  # the very same code path, nothing kept
            session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
            run = _finish(session, run_id, ImportStatus.DRY_RUN, report, failed)
        elif failed and not collected.snapshots:
            session.rollback()  # every source chosen failed: nothing to keep
            session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
            run = _finish(session, run_id, ImportStatus.FAILED, None, failed)
        else:
            status = ImportStatus.PARTIAL if failed else ImportStatus.SUCCEEDED
            run = _finish(session, run_id, status, report, failed)
        session.commit()
        return run


def _apply_every_usable_source(
    session: Session, run_id: int, collected: Any, options: ImportOptions
) -> Report:
    """Apply the snapshots in one transaction. A source refused while applying (the mass-end
    guard) is dropped and the rest applied again from the start, so each source is all or
    nothing for itself; the members source, which the others depend on, fails the run."""
    while True:
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        run = session.get(ImportRun, run_id)
        if run is None:  # pragma: no cover
            raise LookupError(run_id)
        _set_progress(run, "applying", 0, 1)
        try:
            return apply_snapshots(session, run, collected, options)
        except FeedError as error:
            sources = {snapshot.source for snapshot in collected.snapshots}
            if error.source == ESSENTIAL or error.source not in sources:
                raise
            session.rollback()
            collected.snapshots = [s for s in collected.snapshots if s.source != error.source]
            collected.failed[error.source] = error.message


def _feed_error(error: FeedError) -> Said:
    """A feed's failure as stored with its run: the source, then what went wrong with it."""
    return said("%(source)s: %(why)s", source=error.source, why=error.message)


def _fail(sessions: sessionmaker[Session], run_id: int, message: str) -> ImportRun:
    with sessions() as session:
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        run = _finish(session, run_id, ImportStatus.FAILED, None, message)
        session.commit()
        return run


def _set_progress(run: ImportRun, step: str, done: int, total: int) -> None:
    run.progress = {"step": step, "done": done, "total": total}
    run.heartbeat_at = utcnow()


def _heartbeat(
    sessions: sessionmaker[Session], run_id: int, step: str, done: int, total: int
) -> None:
    # Per-member fetches report often; write at most every 10th step to keep it cheap.
    if total > 20 and done % 10 and done != total:
        return
    with sessions() as session:
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        run = session.get(ImportRun, run_id)
        if run is not None:
            _set_progress(run, step, done, total)
            session.commit()


class Heartbeat:
    """Writes a run's heartbeat every HEARTBEAT_EVERY seconds from a thread of its own, so a
    long download or a long apply still shows the run is alive, and a killed one shows it is
    not within STALE_AFTER."""

    def __init__(self, sessions: sessionmaker[Session], run_id: int) -> None:
        self.sessions, self.run_id = sessions, run_id
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None
        # A sessionmaker bound to one connection (the tests' rolled-back transaction) cannot be
        # shared with a second thread; such a run has no heartbeat thread.
        if not isinstance(sessions.kw.get("bind"), Connection):
            self.thread = threading.Thread(
                target=self._beat, name=f"hilltrack-heartbeat-{run_id}", daemon=True
            )
            self.thread.start()

    def _beat(self) -> None:
        while not self.stopped.wait(HEARTBEAT_EVERY):
            try:
                with self.sessions() as session:
                    session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
                    session.execute(
                        update(ImportRun)
                        .where(
                            ImportRun.id == self.run_id,
                            ImportRun.status == ImportStatus.RUNNING,
                        )
                        .values(heartbeat_at=utcnow())
                    )
                    session.commit()
            except OperationalError:
                continue  # the apply holds the write lock; the next beat will get through

    def stop(self) -> None:
        self.stopped.set()
        if self.thread is not None:
            self.thread.join(timeout=HEARTBEAT_EVERY * 4)
