"""Officials imports on the queue: the one the Imports page starts, and the nightly one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from importers.said import Said, said
from tracker.jobs.queue import enqueue, handler, writing
from tracker.models import ImportRun, ImportStatus, User
from tracker.operations.imports import (
    ImportBusy,
    ImportOptions,
    begin_run,
    continue_officials_import,
)
from tracker.operations.processes import this_process
from tracker.web.db import state

KIND = "import_officials"


def web_import_options(app: Flask, *, dry_run: bool) -> ImportOptions:
    """What the Imports page runs: live feeds, or IMPORT_FROM_DIR for offline installations."""
    folder = app.config.get("IMPORT_FROM_DIR")
    return ImportOptions(
        dry_run=dry_run,
        from_dir=Path(folder) if folder else None,
        feed_cache=Path(app.instance_path) / "feeds",
    )


def _as_params(options: ImportOptions) -> dict[str, Any]:
    return {
        "sources": list(options.sources),
        "from_dir": str(options.from_dir) if options.from_dir else None,
        "as_of": options.as_of.isoformat() if options.as_of else None,
        "dry_run": options.dry_run,
        "force": options.force,
        "feed_cache": str(options.feed_cache) if options.feed_cache else None,
    }


def _options(params: dict[str, Any]) -> ImportOptions:
    return ImportOptions(
        sources=list(params["sources"]),
        from_dir=Path(params["from_dir"]) if params.get("from_dir") else None,
        as_of=dt.datetime.fromisoformat(params["as_of"]) if params.get("as_of") else None,
        dry_run=bool(params.get("dry_run")),
        force=bool(params.get("force")),
        feed_cache=Path(params["feed_cache"]) if params.get("feed_cache") else None,
    )


def start_import(app: Flask, session: Session, options: ImportOptions, actor: User) -> int:
    """Claim the import slot in the request's own transaction (raising ImportBusy if taken),
    commit it, and queue the rest for the worker.

    The request's transaction already holds SQLite's write lock, so the claim must use it:
    a second connection would wait on our own lock.
    """
    run_id = begin_run(session, options, actor).id
    enqueue(app, session, KIND, {"run_id": run_id, **_as_params(options)}, actor=actor)
    return run_id


def _describe(params: dict[str, Any]) -> str:
    if params.get("nightly"):
        return str(_("Nightly officials import"))
    if params.get("dry_run"):
        return str(_("Officials import, run %(id)s (preview)", id=params.get("run_id")))
    return str(_("Officials import, run %(id)s", id=params.get("run_id")))


@handler(KIND, describe=_describe)
def run_import_job(app: Flask, job_id: int, params: dict[str, Any]) -> Said:
    """Continue the run the page began; a nightly job begins its own."""
    if params.get("nightly"):
        options = web_import_options(app, dry_run=False)
        try:
            with writing(app) as session:
                run_id = begin_run(session, options, None).id
        except ImportBusy as busy:
            return said("Skipped: another import (run %(id)s) was running.", id=busy.running_id)
    else:
        options = _options(params)
        run_id = int(params["run_id"])
        with writing(app) as session:
            run = session.get(ImportRun, run_id)
            if run is None or run.status is not ImportStatus.RUNNING:
                return said("Skipped: the run was settled before the worker reached it.")
            run.owner = this_process()  # the worker, not the web process, now holds it
    run = continue_officials_import(state(app).sessions, run_id, options)
    if run.status is ImportStatus.FAILED and run.is_preview:
        raise ImportFailed(said("Preview %(id)d failed: %(error)s", id=run_id, error=run.error))
    if run.status is ImportStatus.FAILED:
        raise ImportFailed(said("Import run %(id)d failed: %(error)s", id=run_id, error=run.error))
    return said("Import run %(id)d: %(status)s", id=run_id, status=STATUS_WORDS[run.status])


# How a finished run is told in a job's outcome, kept to be read in the reader's language.
STATUS_WORDS = {
    ImportStatus.SUCCEEDED: said("succeeded"),
    ImportStatus.PARTIAL: said("partly applied"),
    ImportStatus.DRY_RUN: said("previewed, nothing written"),
    ImportStatus.FAILED: said("failed"),
    ImportStatus.RUNNING: said("still running"),
}


class ImportFailed(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
