"""A save that meets a write lock held longer than the busy timeout gets the retry page at that
timeout, under gunicorn, and the worker is never killed for it."""

from __future__ import annotations

import re
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from alembic import command

from tracker import create_app
from tracker.cli import alembic_config
from tracker.models import Campaign, CampaignStatus, Official, Recipient, UserRole
from tracker.operations.accounts import create_user
from tracker.web.db import write_session

PASSWORD = "a long enough test password"
BUSY_SECONDS = 4
# Long enough for one wait on the lock, too short for two: the old retry page, which loaded the
# signed-in user again and so waited twice, had its worker killed.
WORKER_TIMEOUT = 7


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, int, subprocess.Popen[str]]]:
    database = tmp_path / "busy.sqlite3"
    url = f"sqlite:///{database}"
    command.upgrade(alembic_config(url), "head")
    settings = {
        "DATABASE_URL": url,
        "SECRET_KEY": "busy",
        "PASSWORD_HASHER": "fast-insecure-for-tests",
    }
    app = create_app({**settings, "TESTING": True})
    with app.app_context():
        session = write_session()
        create_user(
            session,
            email="v@example.org",
            name="Vi",
            role=UserRole.VOLUNTEER,
            password=PASSWORD,
            actor=None,
        )
        official = Official(given_name="Ali", family_name="Ehsassi", name_key="ali ehsassi")
        campaign = Campaign(title="Letter", status=CampaignStatus.ACTIVE)
        session.add_all([official, campaign])
        session.flush()
        session.add(
            Recipient(
                campaign_id=campaign.id, official_id=official.id, addressed_as="A", salutation="S"
            )
        )
        session.commit()
        official_id = official.id
    app.extensions["hilltrack_db"].engine.dispose()
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "TRACKER_INSTANCE_PATH": str(tmp_path / "instance"),
        "TRACKER_DATABASE_BUSY_TIMEOUT": str(BUSY_SECONDS),
        **{f"TRACKER_{name}": value for name, value in settings.items()},
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "1",
            "--timeout",
            str(WORKER_TIMEOUT),
            "--bind",
            f"127.0.0.1:{port}",
            "tracker.wsgi:app",
        ],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # gunicorn boots in a second or so; a busy machine takes longer
            try:
                if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        yield base, database, official_id, server
    finally:
        if server.returncode is None:  # the test did not stop it itself
            server.terminate()
            server.communicate(timeout=20)


def token(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="([^"]+)"', html)
    assert match, name
    return match.group(1)


def test_a_save_behind_a_long_write_lock_gets_the_retry_page_and_no_worker_dies(
    served: tuple[str, Path, int, subprocess.Popen[str]],
) -> None:
    base, database, official_id, server = served
    browser = requests.Session()
    login = browser.get(f"{base}/login", timeout=10).text
    signed = browser.post(
        f"{base}/login",
        data={
            "email": "v@example.org",
            "password": PASSWORD,
            "csrf_token": token(login, "csrf_token"),
        },
        allow_redirects=False,
        timeout=10,
    )
    assert signed.status_code == 302
    form = browser.get(f"{base}/log/{official_id}", timeout=10).text
    entry = {
        "csrf_token": token(form, "csrf_token"),
        "submission_key": token(form, "submission_key"),
        "recipient_id": re.search(r'name="recipient_id" value="(\d+)"', form).group(1),  # type: ignore[union-attr]
        "kind": "note",
        "occurred_on": "2026-01-12",
        "channel": "",
        "reply_class": "",
        "summary": "Called the office",
    }
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock, for longer than anyone waits
    try:
        refused = browser.post(
            f"{base}/log/{official_id}", data=entry, allow_redirects=False, timeout=30
        )
        assert holder.in_transaction  # the answer came while the lock was still held
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "10"
    assert "nothing you sent was half-saved" in refused.text
    saved = browser.post(f"{base}/log/{official_id}", data=entry, allow_redirects=False, timeout=30)
    assert saved.status_code == 302  # the same worker, free again, saves it
    server.terminate()
    _, errors = server.communicate(timeout=20)
    assert "WORKER TIMEOUT" not in errors
    assert errors.count("Booting worker") == 1
