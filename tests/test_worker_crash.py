"""A worker killed in the middle of a batch, then started again, sends no one twice.

The worker is the real `hilltrack worker`, in its own process, on its own SQLite database and
queue engine; the mail server (aiosmtpd) takes the third message and never answers, and the
test kills the worker (SIGKILL) right then: the server has that letter, the worker never heard.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import select

from tests.letters import letter_campaign, mail_config
from tests.mailserver import Recorder, running_server
from tests.queues import ENGINES, queue_settings
from tracker import create_app
from tracker.cli import alembic_config
from tracker.jobs.letters import start_sending
from tracker.jobs.queue import queue
from tracker.models import Letter, LetterState, UserRole
from tracker.operations.accounts import create_user
from tracker.web.db import state

SECRET = "worker-crash-test"
HILLTRACK = str(Path(sys.executable).parent / "hilltrack")


@pytest.fixture
def smtp() -> Iterator[tuple[Recorder, int]]:
    recorder = Recorder(hold_at=3)
    for _, port in running_server(recorder):
        yield recorder, port


def settings(engine: str, folder: Path, port: int) -> dict[str, Any]:
    return {
        "DATABASE_URL": f"sqlite:///{folder / 'crash.sqlite3'}",
        "SECRET_KEY": SECRET,
        "PASSWORD_HASHER": "fast-insecure-for-tests",
        "NIGHTLY_IMPORT": False,
        **mail_config(port),
        **queue_settings(engine, folder),
    }


def as_environment(values: dict[str, Any], instance: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env["TRACKER_INSTANCE_PATH"] = str(instance)
    for name, value in values.items():
        env[f"TRACKER_{name}"] = str(value).lower() if isinstance(value, bool) else str(value)
    return env


def states(app: Any) -> Counter[LetterState]:
    with state(app).sessions() as session:
        return Counter(session.scalars(select(Letter.state)))


def wait_until(condition: Any, what: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_worker_killed_mid_batch_and_restarted_sends_no_one_twice(
    engine: str, tmp_path: Path, smtp: tuple[Recorder, int], request: pytest.FixtureRequest
) -> None:
    if request.config.getoption("--db") != "sqlite":
        pytest.skip("the worker's own database is a SQLite file in both runs")
    recorder, port = smtp
    values = settings(engine, tmp_path, port)
    command.upgrade(alembic_config(values["DATABASE_URL"]), "head")
    instance = tmp_path / "instance"
    os.environ["TRACKER_INSTANCE_PATH"] = str(instance)
    try:
        app = create_app(values)
    finally:
        del os.environ["TRACKER_INSTANCE_PATH"]
    queue(app).huey.flush()
    with app.app_context(), state(app).sessions() as session:
        letter = letter_campaign(app, session)
        coordinator = create_user(
            session,
            email="coord@example.org",
            name="Coordinator",
            role=UserRole.COORDINATOR,
            password="a long enough password",
            actor=None,
        )
        session.commit()
        assert start_sending(app, session, letter.campaign, coordinator).count == 14

    env = as_environment(values, instance)
    worker = subprocess.Popen([HILLTRACK, "worker", "--threads", "1"], env=env)
    try:
        assert recorder.held.wait(90), "the worker never reached the third letter"
    finally:
        worker.kill()
        worker.wait()
    assert states(app)[LetterState.SENT] == 2
    assert states(app)[LetterState.SENDING] == 1  # its fate is unknown: the server has it

    again = subprocess.Popen([HILLTRACK, "worker", "--threads", "1"], env=env)
    try:
        wait_until(
            lambda: states(app)[LetterState.QUEUED] + states(app)[LetterState.SENDING] == 0,
            "the restarted worker to finish",
        )
    finally:
        again.terminate()
        again.wait(30)
        queue(app).huey.flush()

    final = states(app)
    assert final == Counter({LetterState.SENT: 13, LetterState.UNKNOWN: 1})
    per_address = Counter(r.envelope_to[0] for r in recorder.received)
    assert len(per_address) == 14
    assert set(per_address.values()) == {1}, "someone got the letter twice"
