"""Writes the worker must not lose: what became of a letter the mail server just answered.

A database that is locked for a while (SQLite) or that dropped the connection (PostgreSQL
restarted, a backend terminated) is tried again with a growing pause, up to
WORKER_WRITE_PATIENCE seconds, before the write is given up.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from flask import Flask
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from tracker.jobs.queue import writing

log = logging.getLogger(__name__)
T = TypeVar("T")
FIRST_PAUSE = 0.25
LONGEST_PAUSE = 8.0


def passing_trouble(error: DBAPIError) -> bool:
    """A locked database or a lost connection: worth trying again, unlike a broken rule."""
    return error.connection_invalidated or type(error).__name__ in (
        "OperationalError",
        "InterfaceError",
    )


def write_patiently(
    app: Flask,
    work: Callable[[Session], T],
    *,
    what: str,
    patience: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run ``work`` in a writing session and commit, trying again while the database is busy
    or away; re-raises the last error once ``patience`` seconds have passed."""
    patience = float(app.config.get("WORKER_WRITE_PATIENCE", 60) if patience is None else patience)
    deadline = time.monotonic() + patience
    pause = FIRST_PAUSE
    while True:
        try:
            with writing(app) as session:
                return work(session)
        except DBAPIError as error:
            if not passing_trouble(error) or time.monotonic() + pause > deadline:
                log.error("could not record %s; gave up after %.0f s", what, patience)
                raise
            log.warning("could not record %s yet (%s); trying again", what, type(error).__name__)
        sleep(pause)
        pause = min(pause * 2, LONGEST_PAUSE)
