"""Backups: a consistent copy while the app runs, and a restore that brings the data back and
never sends a letter twice."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from tests.mailserver import Recorder, running_server
from tests.workers import settings, states, wait_until, worker_site
from tracker import create_app
from tracker.cli import alembic_config
from tracker.jobs.letters import settle_letter, start_sending
from tracker.models import JobState, Letter, LetterState


@pytest.fixture
def mail_server() -> Iterator[tuple[Recorder, int]]:
    recorder = Recorder()
    for _, port in running_server(recorder):
        yield recorder, port


@pytest.fixture
def live_app(tmp_path: Path, instance_path: Path) -> object:
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    command.upgrade(alembic_config(url), "head")
    return create_app(
        {"DATABASE_URL": url, "SECRET_KEY": "x", "PASSWORD_HASHER": "fast-insecure-for-tests"}
    )


def officials(url: str) -> list[str]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        names = list(conn.scalars(sa.text("SELECT family_name FROM official ORDER BY id")))
    engine.dispose()
    return names


def add_official(url: str, family: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO official (given_name, family_name, name_key, offices, edited_fields, "
                "created_at, updated_at, version) VALUES ('A', :f, :k, '[]', '[]', "
                "'2026-01-01', '2026-01-01', 1)"
            ),
            {"f": family, "k": f"a {family}"},
        )
    engine.dispose()


def test_backup_and_restore_round_trip(live_app: object, tmp_path: Path) -> None:
    url = live_app.config["DATABASE_URL"]  # type: ignore[attr-defined]
    runner = live_app.test_cli_runner()  # type: ignore[attr-defined]
    add_official(url, "Before")
    backup_file = tmp_path / "hilltrack-backup.sqlite3"
    result = runner.invoke(args=["backup", str(backup_file)])
    assert result.exit_code == 0, result.output
    add_official(url, "After")
    assert officials(url) == ["Before", "After"]
    restored = runner.invoke(args=["restore", str(backup_file), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert officials(url) == ["Before"]


def test_backup_refuses_to_overwrite_and_restore_refuses_a_foreign_file(
    live_app: object, tmp_path: Path
) -> None:
    runner = live_app.test_cli_runner()  # type: ignore[attr-defined]
    existing = tmp_path / "exists.sqlite3"
    existing.write_text("keep me")
    assert "exists already" in runner.invoke(args=["backup", str(existing)]).output
    assert existing.read_text() == "keep me"
    stranger = tmp_path / "other.sqlite3"
    sa.create_engine(f"sqlite:///{stranger}").connect().close()
    result = runner.invoke(args=["restore", str(stranger), "--yes"])
    assert result.exit_code == 1
    assert "is not a Hilltrack backup" in result.output
    not_db = tmp_path / "notes.txt"
    not_db.write_text("hello " * 1000)
    assert (
        "is not a SQLite database" in runner.invoke(args=["restore", str(not_db), "--yes"]).output
    )


def test_backup_on_postgresql_points_to_pg_dump(tmp_path: Path, instance_path: Path) -> None:
    app = create_app(
        {"DATABASE_URL": "postgresql+psycopg://u@db.example/hilltrack", "SECRET_KEY": "x"}
    )
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b.sqlite3")])
    assert result.exit_code == 1
    assert "pg_dump" in result.output


def test_a_restore_holds_the_letters_that_were_on_their_way_and_the_worker_sends_none_again(
    tmp_path: Path, request: pytest.FixtureRequest, mail_server: tuple[Recorder, int]
) -> None:
    """A backup taken mid-batch, the batch finished, then the backup restored and the worker
    started: the letters queued or sending in the copy are held, and nobody gets one twice."""
    if request.config.getoption("--db") != "sqlite":
        pytest.skip("backup and restore are SQLite's (PostgreSQL uses pg_dump)")
    copy = tmp_path / "mid-batch.sqlite3"
    recorder, port = mail_server
    # The server answers the fifth letter once the backup is made: the worker waits that long.
    site = worker_site(settings("sqlite", tmp_path, port, MAIL_TIMEOUT=120), tmp_path)

    def back_up_at_the_fifth(number: int) -> None:
        if number == 5:  # four sent, the fifth with the server, nine waiting
            made = site.run("backup", str(copy))
            assert made.returncode == 0, made.stderr

    recorder.on_accept = back_up_at_the_fifth
    with site.app.app_context(), site.session() as session:
        campaign, coordinator = site.campaign(session), site.coordinator(session)
        start_sending(site.app, session, campaign, coordinator)
    with site.worker():
        wait_until(lambda: states(site.app) == Counter({LetterState.SENT: 14}), "the batch")

    restored = site.run("restore", str(copy), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert "Held 10 letters that were queued or being sent" in restored.stdout
    assert states(site.app) == Counter({LetterState.SENT: 4, LetterState.RESTORED: 10})
    (job,) = site.jobs()
    assert job.state is JobState.DONE
    assert "Ended by a restore from a backup: 10 letters wait" in (job.outcome or "")

    with site.worker("after-restore.log"):
        # A person checks one held letter, finds it did not go, and sends it: once that
        # has gone, the worker has been through everything the restore left it.
        checked = site.letters()[-1]
        with site.app.app_context(), site.session() as session:
            letter = session.get_one(Letter, checked.id)
            settle_letter(
                site.app, session, letter, was_sent=False, actor=site.coordinator(session)
            )
        wait_until(lambda: states(site.app)[LetterState.SENT] == 5, "the letter sent again by hand")
    per_address = Counter(r.envelope_to[0] for r in recorder.received)
    assert per_address.pop(checked.to_address) == 2  # the person's choice
    assert set(per_address.values()) == {1}, "a letter from before the backup went again"
    assert states(site.app) == Counter({LetterState.SENT: 5, LetterState.RESTORED: 9})
