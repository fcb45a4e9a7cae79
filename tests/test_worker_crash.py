"""The worker and the database failing under a batch of letters, with nobody sent one twice and
no letter left "sending" while the worker lives.

The worker is the real `hilltrack worker`, in its own process, on its own database and queue
engine; the mail server is aiosmtpd on loopback. The failures are real too: the worker killed
(SIGKILL) while the server has a letter, a SQLite write lock held from another connection
while the worker records a send, PostgreSQL backends terminated from another connection.
"""

from __future__ import annotations

import sqlite3
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.conftest import on_postgres_server
from tests.mailserver import Recorder, running_server
from tests.queues import ENGINES
from tests.workers import HILLTRACK, WorkerSite, settings, states, wait_until, worker_site
from tracker.jobs.letters import start_sending
from tracker.models import JobState, LetterState
from tracker.web.db import state


@pytest.fixture
def smtp() -> Iterator[tuple[Recorder, int]]:
    recorder = Recorder(hold_at=3)
    for _, port in running_server(recorder):
        yield recorder, port


WAITING_ON_A_LOCK = (
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
    "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
)


@pytest.fixture
def mail_server() -> Iterator[tuple[Recorder, int]]:
    recorder = Recorder()
    for _, port in running_server(recorder):
        yield recorder, port


def only_on_sqlite(request: pytest.FixtureRequest) -> None:
    if request.config.getoption("--db") != "sqlite":
        pytest.skip("the worker's own database is a SQLite file in both runs")


def start_batch(site: WorkerSite) -> None:
    with site.app.app_context(), site.session() as session:
        campaign, coordinator = site.campaign(session), site.coordinator(session)
        assert start_sending(site.app, session, campaign, coordinator).count == 14


def batch_ended(site: WorkerSite) -> bool:
    return all(job.state in (JobState.DONE, JobState.FAILED) for job in site.jobs())


def each_once(recorder: Recorder) -> None:
    per_address = Counter(r.envelope_to[0] for r in recorder.received)
    assert len(per_address) == 14
    assert set(per_address.values()) == {1}, "someone got the letter twice"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_worker_killed_mid_batch_and_restarted_sends_no_one_twice(
    engine: str, tmp_path: Path, smtp: tuple[Recorder, int], request: pytest.FixtureRequest
) -> None:
    only_on_sqlite(request)
    recorder, port = smtp
    site = worker_site(settings(engine, tmp_path, port), tmp_path)
    start_batch(site)

    worker = subprocess.Popen([HILLTRACK, "worker", "--threads", "1"], env=site.env)
    try:
        assert recorder.held.wait(90), "the worker never reached the third letter"
    finally:
        worker.kill()
        worker.wait()
    assert states(site.app)[LetterState.SENT] == 2
    assert states(site.app)[LetterState.SENDING] == 1  # its fate is unknown: the server has it

    with site.worker("again.log"):
        wait_until(
            lambda: (
                states(site.app)[LetterState.QUEUED] + states(site.app)[LetterState.SENDING] == 0
            ),
            "the restarted worker to finish",
        )
    final = states(site.app)
    assert final == Counter({LetterState.SENT: 13, LetterState.UNKNOWN: 1})
    each_once(recorder)


class HeldLock:
    """A write lock on the worker's SQLite database, taken from another connection (as another
    process writing would hold it) and released when the test says."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.connection: sqlite3.Connection | None = None

    def take(self, _message_number: int) -> None:
        self.connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.connection.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        if self.connection is not None:
            self.connection.execute("ROLLBACK")
            self.connection.close()
            self.connection = None


def test_a_letter_accepted_while_the_database_is_locked_is_recorded_once_the_lock_goes(
    tmp_path: Path, request: pytest.FixtureRequest, mail_server: tuple[Recorder, int]
) -> None:
    only_on_sqlite(request)
    recorder, port = mail_server
    values = settings("sqlite", tmp_path, port, DATABASE_BUSY_TIMEOUT=1)
    site = worker_site(values, tmp_path)
    lock = HeldLock(make_url(values["DATABASE_URL"]).database or "")

    def lock_for_a_while(number: int) -> None:
        if number == 4:  # the server has taken the fourth letter; the worker must say so
            lock.take(number)
            threading.Timer(6, lock.release).start()  # six busy timeouts

    recorder.on_accept = lock_for_a_while
    start_batch(site)
    with site.worker() as worker:
        wait_until(lambda: batch_ended(site), "the batch to end")
        assert worker.poll() is None
    lock.release()
    assert states(site.app) == Counter({LetterState.SENT: 14})
    (job,) = site.jobs()
    assert job.state is JobState.DONE, job.error
    each_once(recorder)


def test_a_letter_whose_fate_cannot_be_recorded_becomes_unknown_as_soon_as_the_job_ends(
    tmp_path: Path, request: pytest.FixtureRequest, mail_server: tuple[Recorder, int]
) -> None:
    only_on_sqlite(request)
    recorder, port = mail_server
    values = settings("sqlite", tmp_path, port, DATABASE_BUSY_TIMEOUT=0.5, WORKER_WRITE_PATIENCE=1)
    site = worker_site(values, tmp_path)
    lock = HeldLock(make_url(values["DATABASE_URL"]).database or "")
    recorder.on_accept = lambda number: lock.take(number) if number == 2 else None
    start_batch(site)
    with site.worker() as worker:
        # The lock stays until the worker has given up recording the second letter.
        wait_until(
            lambda: "gave up after" in site.log() or batch_ended(site),
            "the worker to give up recording the letter",
        )
        lock.release()
        wait_until(lambda: batch_ended(site), "the job to end")
        letters = site.letters()
        assert worker.poll() is None, "the worker is still running"
    assert [x.state for x in letters[:3]] == [
        LetterState.SENT,
        LetterState.UNKNOWN,
        LetterState.QUEUED,
    ]
    assert "The mail server took this letter" in (letters[1].error or "")
    (job,) = site.jobs()
    assert job.state is JobState.FAILED
    assert job.error is not None
    assert job.error.startswith("The database could not record what became of a letter")
    for raw in ("UPDATE", "SELECT", "[parameters", "sqlite3", "OperationalError"):
        assert raw not in job.error
    assert "database is locked" in site.log()  # the details are in the log


def test_letters_accepted_while_postgresql_drops_the_workers_connections_are_each_recorded(
    tmp_path: Path,
    request: pytest.FixtureRequest,
    database_url: str,
    mail_server: tuple[Recorder, int],
) -> None:
    if request.config.getoption("--db") != "postgres":
        pytest.skip("needs PostgreSQL (--db postgres)")
    recorder, port = mail_server
    url = make_url(database_url)
    scratch = url.set(database=f"{url.database}_worker_dropped")
    drop = f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)'
    on_postgres_server(database_url, drop, f'CREATE DATABASE "{scratch.database}"')
    address = scratch.render_as_string(hide_password=False)
    killer = sa.create_engine(address, poolclass=sa.NullPool)

    def terminate_while_it_records(number: int) -> None:
        """Right after the server took the letter: hold its row, so that the worker's write
        waits inside its transaction, then terminate the worker's backend there."""
        if number not in (3, 7):
            return
        holder = killer.connect()
        holder.execute(sa.text("SELECT id FROM letter WHERE state = 'sending' FOR UPDATE"))

        def terminate() -> None:
            with killer.connect() as conn:
                waiting = None
                deadline = time.monotonic() + 60
                while not waiting and time.monotonic() < deadline:
                    waiting = conn.scalars(sa.text(WAITING_ON_A_LOCK)).all()
                for pid in waiting:
                    conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            holder.rollback()
            holder.close()

        threading.Thread(target=terminate).start()

    site = worker_site(settings("sqlite", tmp_path, port, DATABASE_URL=address), tmp_path)
    try:
        recorder.on_accept = terminate_while_it_records
        start_batch(site)
        with site.worker() as worker:
            wait_until(lambda: batch_ended(site), "the batch to end")
            assert worker.poll() is None
        assert states(site.app) == Counter({LetterState.SENT: 14})
        (job,) = site.jobs()
        assert job.state is JobState.DONE, job.error
        each_once(recorder)
    finally:
        killer.dispose()
        state(site.app).engine.dispose()
        on_postgres_server(database_url, drop)
