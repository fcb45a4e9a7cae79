"""The queue recovers by itself: the database is the truth, the queue only a doorbell.

Each test runs the real `hilltrack worker` in its own process, on its own SQLite database, with
a Redis server of the test's own that the test stops and starts again (a restart keeps nothing:
no queue, no schedule), and never restarts the worker. The worker re-scans every second here
(QUEUE_RESCAN_SECONDS), every minute by default.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from flask import Flask
from sqlalchemy import select, update

from tests.letters import address_of, letter_campaign, mail_config
from tests.mailserver import Recorder, running_server
from tests.queues import OwnRedis
from tests.workers import HILLTRACK, as_environment, states, wait_until
from tracker import create_app
from tracker.cli import alembic_config
from tracker.clock import utcnow
from tracker.jobs.letters import SendStarted, start_sending
from tracker.jobs.queue import queue
from tracker.models import Job, JobState, Letter, LetterState, UserRole
from tracker.operations.accounts import create_user
from tracker.web.db import state

OUTAGE = "cannot be reached"
RECOVERED = "answers again"


@pytest.fixture
def smtp() -> Iterator[tuple[Recorder, int]]:
    recorder = Recorder()
    for _, port in running_server(recorder):
        yield recorder, port


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[OwnRedis]:
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def settings(
    tmp_path: Path, smtp: tuple[Recorder, int], redis_server: OwnRedis, request: Any
) -> dict[str, Any]:
    if request.config.getoption("--db") != "sqlite":
        pytest.skip("the worker's own database is a SQLite file in both runs")
    values = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'recovery.sqlite3'}",
        "SECRET_KEY": "queue-recovery-test",
        "PASSWORD_HASHER": "fast-insecure-for-tests",
        "NIGHTLY_IMPORT": False,
        "QUEUE_IMMEDIATE": False,
        "REDIS_URL": redis_server.url,
        "QUEUE_RESCAN_SECONDS": 1,
        **mail_config(smtp[1]),
    }
    command.upgrade(alembic_config(values["DATABASE_URL"]), "head")
    return values


@pytest.fixture
def app(settings: dict[str, Any], tmp_path: Path) -> Flask:
    os.environ["TRACKER_INSTANCE_PATH"] = str(tmp_path / "instance")
    try:
        return create_app(settings)
    finally:
        del os.environ["TRACKER_INSTANCE_PATH"]


class Worker:
    """`hilltrack worker` in its own process, its log in a file."""

    def __init__(self, settings: dict[str, Any], folder: Path) -> None:
        self.log = folder / "worker.log"
        env = as_environment(settings, folder / "instance")
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [HILLTRACK, "worker", "--threads", "1"], env=env, stderr=log, stdout=log
            )

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def lines_with(self, words: str) -> list[str]:
        return [line for line in self.text().splitlines() if words in line]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


@pytest.fixture
def worker(app: Flask, settings: dict[str, Any], tmp_path: Path) -> Iterator[Worker]:
    running = Worker(settings, tmp_path)
    wait_until(lambda: "Hilltrack worker on the" in running.text(), "the worker to start")
    yield running
    if running.process.poll() is None:
        running.stop()
    # Shown by pytest only when the test failed: what the worker said meanwhile.
    print(f"--- the worker's log\n{running.text()}")


def send_the_letter(app: Flask, smtp: Recorder, *, deferring: str | None = None) -> SendStarted:
    """Queue the 2023 letter, as its page does; the mail server asks to try the letter to
    ``deferring`` (a family name) again later."""
    with app.app_context(), state(app).sessions() as session:
        letter = letter_campaign(app, session)
        if deferring:
            busy = address_of(letter.by_name(deferring))
            smtp.rcpt_replies[busy] = ["451 4.3.0 Mailbox busy, try again later"]
        coordinator = create_user(
            session,
            email="coord@example.org",
            name="Coordinator",
            role=UserRole.COORDINATOR,
            password="a long enough password",
            actor=None,
        )
        session.commit()
        # The write lock from the first statement, as a page's POST takes it: the worker's
        # heartbeat writes meanwhile, and a read turned write would find the database locked.
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        return start_sending(app, session, letter.campaign, coordinator)


def test_a_job_queued_while_redis_was_down_runs_once_redis_is_back_without_a_worker_restart(
    app: Flask, worker: Worker, redis_server: OwnRedis, smtp: tuple[Recorder, int]
) -> None:
    redis_server.stop()
    started = send_the_letter(app, smtp[0])
    assert not started.on_queue  # the page could not ring: the job waits in the database
    assert states(app)[LetterState.QUEUED] == 14

    redis_server.start()
    wait_until(lambda: states(app)[LetterState.SENT] == 14, "the letters to be sent", 60)
    assert len(smtp[0].received) == 14
    assert worker.process.poll() is None  # the same worker, never restarted


def test_the_worker_logs_one_line_when_redis_goes_down_and_one_when_it_is_back(
    app: Flask, worker: Worker, redis_server: OwnRedis
) -> None:
    redis_server.stop()
    wait_until(lambda: worker.lines_with(OUTAGE), "the worker to notice the outage", 30)
    # Three seconds of polling: huey alone wrote a traceback for every poll of every thread.
    time.sleep(3)
    redis_server.start()
    wait_until(lambda: worker.lines_with(RECOVERED), "the worker to notice Redis is back", 30)
    worker.stop()

    lines = worker.text().splitlines()
    assert len(worker.lines_with(OUTAGE)) == 1
    assert len(worker.lines_with(RECOVERED)) == 1
    down = next(n for n, line in enumerate(lines) if OUTAGE in line)
    assert RECOVERED in lines[down + 1], "\n".join(lines)  # nothing logged in between
    assert "Traceback" not in worker.text()


def test_a_deferred_letter_is_sent_when_its_time_comes_after_a_redis_restart(
    app: Flask, worker: Worker, redis_server: OwnRedis, smtp: tuple[Recorder, int]
) -> None:
    recorder = smtp[0]
    send_the_letter(app, recorder, deferring="Joly")
    wait_until(lambda: states(app)[LetterState.SENT] == 13, "the other letters to be sent", 60)
    # The database's word that the job waits for the mail server: whether the worker's own
    # note on Redis's schedule got there first (a loaded machine can make Redis miss its
    # one-second deadline) does not matter, the restart below loses it either way.
    wait_until(lambda: job_states(app) == [JobState.WAITING], "the send job to wait for later")
    # ...and the worker's note on the schedule made (or Redis found away) before the restart:
    # one made after it would hold the job minutes ahead on the new Redis.
    wait_until(
        lambda: queue(app).huey.scheduled_count() == 1 or worker.lines_with(OUTAGE),
        "the worker to put the retry on Redis's schedule, or to say Redis is away",
    )

    redis_server.stop()  # the retry's place on the schedule, if it had one, is lost with Redis
    redis_server.start()
    with state(app).sessions() as session:  # the pause is minutes: let them pass
        a_moment_ago = utcnow() - dt.timedelta(seconds=1)
        session.execute(
            update(Letter)
            .where(Letter.state == LetterState.QUEUED)
            .values(next_attempt_at=a_moment_ago)
        )
        session.execute(
            update(Job).where(Job.state == JobState.WAITING).values(run_after=a_moment_ago)
        )
        session.commit()

    wait_until(lambda: states(app)[LetterState.SENT] == 14, "the deferred letter to be sent", 60)
    assert len(recorder.received) == 14  # the deferred one once, when it was accepted
    # The job is marked done as it ends, a moment after its last letter is recorded sent.
    wait_until(lambda: job_states(app) == [JobState.DONE], "the send job to be done", 30)


def job_states(app: Flask) -> list[JobState]:
    with state(app).sessions() as session:
        return list(session.scalars(select(Job.state)))
