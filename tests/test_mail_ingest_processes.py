"""`hilltrack mail ingest` as a mail server runs it: a real process per message, on a real
database. Whatever a message holds, the command stores it and exits 0; reading a hostile message
never keeps the write lock from the rest of the app; the same message delivered eight times at
once is stored once, every delivery answered 0."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import make_url

from tests import mail_shapes as shapes
from tests.conftest import on_postgres_server
from tracker.cli import alembic_config

HILLTRACK = str(Path(sys.executable).parent / "hilltrack")
SECRET = "processes-test-secret"
DELIVERIES = 8


@pytest.fixture
def own_database(
    request: pytest.FixtureRequest, database_url: str, tmp_path: Path
) -> Iterator[str]:
    """A migrated database of its own, that processes commit to for real: a SQLite file, or a
    scratch PostgreSQL database with --db postgres."""
    if request.config.getoption("--db") != "postgres":
        address = f"sqlite:///{tmp_path / 'ingest.sqlite3'}"
        command.upgrade(alembic_config(address), "head")
        yield address
        return
    url = make_url(database_url)
    scratch = url.set(database=f"{url.database}_ingest")
    drop = f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)'
    on_postgres_server(database_url, drop, f'CREATE DATABASE "{scratch.database}"')
    address = scratch.render_as_string(hide_password=False)
    try:
        command.upgrade(alembic_config(address), "head")
        yield address
    finally:
        on_postgres_server(database_url, drop)


def environment(database: str, instance: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(
        TRACKER_DATABASE_URL=database,
        TRACKER_INSTANCE_PATH=str(instance),
        TRACKER_SECRET_KEY=SECRET,
    )
    return env


def ingest(database: str, instance: Path, raw: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [HILLTRACK, "mail", "ingest"],
        input=raw,
        env=environment(database, instance),
        capture_output=True,
        check=False,
    )


def messages(database: str) -> list[sa.Row[tuple[int, object, str]]]:
    engine = sa.create_engine(database)
    try:
        with engine.connect() as conn:
            return list(
                conn.execute(sa.text("SELECT id, sent_at, kind FROM inbound_message ORDER BY id"))
            )
    finally:
        engine.dispose()


HOSTILE = {
    "year-9999-at-minus-12": shapes.dated(
        shapes.gmail_reply_en("a@else.example", "letters@coalition.example", None),
        "Fri, 31 Dec 9999 23:59:59 -1200",
    ),
    "year-1800": shapes.dated(
        shapes.gmail_reply_en("a@else.example", "letters@coalition.example", None),
        "Wed, 01 Jan 1800 00:00:00 +0000",
    ),
    "quote-bomb-65-kb": shapes.quote_bomb(),
    "references-5-mb": shapes.long_references(5 * 1024 * 1024),
}


@pytest.mark.parametrize("raw", list(HOSTILE.values()), ids=list(HOSTILE))
def test_the_pipe_stores_a_hostile_message_and_exits_0_so_postfix_never_bounces_it(
    own_database: str, tmp_path: Path, raw: bytes
) -> None:
    done = ingest(own_database, tmp_path / "instance", raw)
    assert done.returncode == 0, done.stderr.decode()
    (stored,) = messages(own_database)
    if b"9999" in raw or b"1800" in raw:
        assert stored.sent_at is None  # an absurd date is kept as unknown


def test_the_pipe_says_try_again_later_only_when_the_database_is_unreachable(
    tmp_path: Path,
) -> None:
    unreachable = f"sqlite:///{tmp_path}/no/such/folder/db.sqlite3"
    done = ingest(unreachable, tmp_path / "instance", HOSTILE["year-9999-at-minus-12"])
    assert done.returncode == 75
    assert b"try again later" in done.stderr


def test_the_same_message_delivered_eight_times_at_once_is_stored_once_and_every_delivery_exits_0(
    request: pytest.FixtureRequest, own_database: str, tmp_path: Path
) -> None:
    """PostgreSQL runs the eight side by side: each must find the others' record, never fail.
    SQLite runs one writer at a time, and a delivery that waited past the busy timeout (a
    loaded machine) is told to try again later (75), which the mail server does."""
    raw = shapes.with_attachment("aide@office.example", "letters@coalition.example", None, 200)
    # Eight processes on two cores already overlap in every step; twenty only took longer.
    with ThreadPoolExecutor(max_workers=DELIVERIES) as pool:
        done = list(
            pool.map(lambda _: ingest(own_database, tmp_path / "instance", raw), range(DELIVERIES))
        )
    answers = [d.returncode for d in done]
    why = [d.stderr.decode()[-400:] for d in done if d.returncode]
    if request.config.getoption("--db") == "postgres":
        assert answers == [0] * DELIVERIES, why
    else:
        assert set(answers) <= {0, 75} and 0 in answers, why
        assert all("database is locked" in reason for reason in why), why
    assert len(messages(own_database)) == 1


def test_reading_a_hostile_message_never_keeps_the_rest_of_the_app_from_saving(
    tmp_path: Path,
) -> None:
    """While `mail ingest` takes in the 65 KB quote bomb (51 s under the write lock before),
    another connection holds the write lock, then saves again and again: none of its saves
    waits past a 5-second busy timeout, and the message is stored."""
    path = tmp_path / "busy.sqlite3"
    address = f"sqlite:///{path}"
    command.upgrade(alembic_config(address), "head")
    other = sqlite3.connect(path, timeout=5, isolation_level=None)
    other.execute("CREATE TABLE other_saves (n INTEGER)")
    other.execute("BEGIN IMMEDIATE")  # the app is saving something when the message arrives
    message = tmp_path / "bomb.eml"
    message.write_bytes(shapes.quote_bomb())
    errors = tmp_path / "stderr.txt"
    with errors.open("wb") as stderr:
        child = subprocess.Popen(
            [HILLTRACK, "mail", "ingest", str(message)],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=environment(address, tmp_path / "instance"),
        )
    other.execute("INSERT INTO other_saves VALUES (0)")
    other.execute("COMMIT")
    saves = 0
    while child.poll() is None or saves == 0:
        other.execute("BEGIN IMMEDIATE")  # raises "database is locked" after 5 s of waiting
        other.execute("INSERT INTO other_saves VALUES (?)", (saves,))
        other.execute("COMMIT")
        saves += 1
        # People's saves come a few milliseconds apart, not back to back: a loop that takes
        # the lock again at once can starve any other writer (SQLite's lock is not fair).
        time.sleep(0.005)
    other.close()
    assert child.wait() == 0, errors.read_text()
    assert len(messages(address)) == 1
