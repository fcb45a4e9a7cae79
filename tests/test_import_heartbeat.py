"""An import whose process is killed (kill -9) blocks no other import for long: its own host sees
the process gone at once, and any server sees its heartbeat stop within 30 seconds."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tracker.cli import alembic_config
from tracker.clock import utcnow
from tracker.models import ImportRun, ImportStatus
from tracker.operations.imports import (
    STALE_AFTER,
    ImportBusy,
    ImportOptions,
    begin_run,
    fail_abandoned_runs,
)
from tracker.web.db import make_engine

# A process that claims the import slot, starts the heartbeat and then hangs, as an import
# stuck on a slow feed would.
HANGING_IMPORT = """
import sys, time
from sqlalchemy.orm import sessionmaker
from tracker.operations.imports import Heartbeat, ImportOptions, start_officials_import
from tracker.web.db import make_engine
sessions = sessionmaker(make_engine(sys.argv[1]), expire_on_commit=False)
run_id = start_officials_import(sessions, ImportOptions())
Heartbeat(sessions, run_id)
print(run_id, flush=True)
time.sleep(600)
"""


def test_an_import_killed_with_kill_9_is_released_and_another_can_start(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'imports.sqlite3'}"
    command.upgrade(alembic_config(url), "head")
    child = subprocess.Popen(
        [sys.executable, "-c", HANGING_IMPORT, url], stdout=subprocess.PIPE, text=True
    )
    sessions = sessionmaker(make_engine(url), expire_on_commit=False)
    try:
        assert child.stdout is not None
        run_id = int(child.stdout.readline())
        with sessions() as session:
            started = session.get(ImportRun, run_id)
            assert started is not None and started.owner and started.heartbeat_at
            first_beat = started.heartbeat_at
        for _ in range(200):  # the heartbeat thread writes every few seconds
            with sessions() as session:
                beat = session.scalar(select(ImportRun.heartbeat_at).where(ImportRun.id == run_id))
            if beat is not None and beat > first_beat:
                break
            time.sleep(0.1)
        else:
            pytest.fail("the running import wrote no heartbeat")
        with sessions() as session, pytest.raises(ImportBusy):
            begin_run(session, ImportOptions(), None)  # alive: the slot stays taken
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
        with sessions() as session:
            session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
            second = begin_run(session, ImportOptions(), None)
            session.commit()
            cut_off = session.get(ImportRun, run_id)
            assert cut_off is not None and cut_off.status is ImportStatus.FAILED
            assert "Cut off before it finished" in (cut_off.error or "")
            assert second.status is ImportStatus.RUNNING
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if child.stdout is not None:
            child.stdout.close()


@pytest.mark.parametrize(
    ("silent_for", "released"),
    [
        (STALE_AFTER + dt.timedelta(seconds=1), True),
        (STALE_AFTER - dt.timedelta(seconds=10), False),
    ],
)
def test_a_run_on_another_server_is_released_once_its_heartbeat_is_30_seconds_old(
    db: Session, silent_for: dt.timedelta, released: bool
) -> None:
    run = ImportRun(
        source="members",
        status=ImportStatus.RUNNING,
        heartbeat_at=utcnow() - silent_for,
        owner="another-server.example:4242",
    )
    db.add(run)
    db.flush()
    assert fail_abandoned_runs(db) == int(released)
    assert (run.status is ImportStatus.FAILED) is released
    assert dt.timedelta(seconds=30) >= STALE_AFTER
