"""Running an import after the web request that asked for it has answered."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from flask import Flask
from sqlalchemy.orm import Session

from tracker.models import User
from tracker.operations.imports import (
    ImportOptions,
    begin_run,
    continue_officials_import,
)
from tracker.web.db import state

log = logging.getLogger(__name__)


def web_import_options(app: Flask, *, dry_run: bool) -> ImportOptions:
    """What the Imports page runs: live feeds, or IMPORT_FROM_DIR for offline installations."""
    folder = app.config.get("IMPORT_FROM_DIR")
    return ImportOptions(
        dry_run=dry_run,
        from_dir=Path(folder) if folder else None,
        feed_cache=Path(app.instance_path) / "feeds",
    )


def start_import(app: Flask, session: Session, options: ImportOptions, actor: User) -> int:
    """Claim the import slot in the request's own transaction (raising ImportBusy if taken),
    commit it, and run the rest in a thread.

    The request's transaction already holds SQLite's write lock, so the claim must use it:
    a second connection would wait on our own lock.
    """
    run_id = begin_run(session, options, actor).id
    session.commit()
    if app.config.get("IMPORT_IN_BACKGROUND", True):
        worker = threading.Thread(
            target=_work,
            args=(app, run_id, options),
            name=f"hilltrack-import-{run_id}",
            daemon=True,
        )
        worker.start()
    else:
        _work(app, run_id, options)
    return run_id


def _work(app: Flask, run_id: int, options: ImportOptions) -> None:
    with app.app_context():
        try:
            continue_officials_import(state(app).sessions, run_id, options)
        except Exception:
            # Already recorded on the run as failed; the log keeps the traceback for the admin.
            log.exception("import run %s failed unexpectedly", run_id)
