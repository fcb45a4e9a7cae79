"""A real `hilltrack worker` in its own process, on a database and a queue of its own, for the
tests where the worker, the database or the mail server fails as they do in production."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from flask import Flask
from sqlalchemy import select

from tests.letters import letter_campaign, mail_config
from tests.queues import queue_settings
from tracker import create_app
from tracker.cli import alembic_config
from tracker.jobs.queue import queue
from tracker.models import Campaign, Job, Letter, LetterState, User, UserRole
from tracker.operations.accounts import create_user
from tracker.web.db import state

SECRET = "worker-crash-test"
HILLTRACK = str(Path(sys.executable).parent / "hilltrack")


def settings(engine: str, folder: Path, port: int, **extra: Any) -> dict[str, Any]:
    return {
        "DATABASE_URL": f"sqlite:///{folder / 'crash.sqlite3'}",
        "SECRET_KEY": SECRET,
        "PASSWORD_HASHER": "fast-insecure-for-tests",
        "NIGHTLY_IMPORT": False,
        **mail_config(port),
        **queue_settings(engine, folder),
        **extra,
    }


def as_environment(values: dict[str, Any], instance: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env["TRACKER_INSTANCE_PATH"] = str(instance)
    for name, value in values.items():
        env[f"TRACKER_{name}"] = str(value).lower() if isinstance(value, bool) else str(value)
    return env


def states(app: Flask) -> Counter[LetterState]:
    with state(app).sessions() as session:
        return Counter(session.scalars(select(Letter.state)))


def wait_until(condition: Callable[[], Any], what: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


@dataclass
class WorkerSite:
    """The app of the test's side, its settings as the worker's environment, and the letter
    campaign ready to send by a coordinator."""

    app: Flask
    env: dict[str, str]
    campaign_id: int
    coordinator_id: int
    folder: Path

    def session(self) -> Any:
        return state(self.app).sessions()

    def coordinator(self, session: Any) -> User:
        return session.get_one(User, self.coordinator_id)

    def campaign(self, session: Any) -> Campaign:
        return session.get_one(Campaign, self.campaign_id)

    def jobs(self) -> list[Job]:
        with self.session() as session:
            return list(session.scalars(select(Job).order_by(Job.id)))

    def letters(self) -> list[Letter]:
        with self.session() as session:
            return list(session.scalars(select(Letter).order_by(Letter.id)))

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """A `hilltrack` command in its own process, as an operator types it."""
        return subprocess.run(
            [HILLTRACK, *args], env=self.env, capture_output=True, text=True, timeout=120
        )

    @contextmanager
    def worker(self, log_name: str = "worker.log") -> Iterator[subprocess.Popen[bytes]]:
        """`hilltrack worker --threads 1` running, its log in ``folder/log_name``."""
        with (self.folder / log_name).open("wb") as log:
            process = subprocess.Popen(
                [HILLTRACK, "worker", "--threads", "1"], env=self.env, stderr=log, stdout=log
            )
            try:
                yield process
            finally:
                process.terminate()
                process.wait(30)

    def log(self, log_name: str = "worker.log") -> str:
        return (self.folder / log_name).read_text(encoding="utf-8", errors="replace")


def worker_site(values: dict[str, Any], folder: Path) -> WorkerSite:
    """A migrated database with the letter campaign and a coordinator; the queue emptied."""
    command.upgrade(alembic_config(values["DATABASE_URL"]), "head")
    instance = folder / "instance"
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
        ids = letter.campaign.id, coordinator.id
    return WorkerSite(app, as_environment(values, instance), ids[0], ids[1], folder)
