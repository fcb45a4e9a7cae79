"""Freshness a coordinator can quote: unchanged officials keep their version, "data as of" comes
from each source's last successful run, a preview is called a preview, and a new installation
waits for the next night."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import responses
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import post_form
from tests.feeds import feed_folder
from tests.importing import run_import
from tracker.jobs.queue import queue_nightly_import
from tracker.models import ImportStatus, Job, JobState, Official, User, UserRole

FRENCH = {"Accept-Language": "fr-CA,fr;q=0.9"}
TORONTO = ZoneInfo("America/Toronto")
BROKEN_MEMBERS = b"<ArrayOfMemberOfParliament><MemberOfParliament>"


@pytest.fixture
def test_config(test_config: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    # The Imports page previews from a folder whose members feed is broken.
    folder = feed_folder(tmp_path / "broken-feeds")
    (folder / "members.xml").write_bytes(BROKEN_MEMBERS)
    return {**test_config, "IMPORT_FROM_DIR": str(folder), "QUEUE_IMMEDIATE": True}


def import_officials(app: Flask, *args: str) -> None:
    result = app.test_cli_runner().invoke(args=["import", "officials", *args])
    assert result.exit_code == 0, result.output


def versions(db: Session) -> dict[int, tuple[int, object]]:
    db.expire_all()
    rows = db.execute(select(Official.id, Official.version, Official.updated_at))
    return {official_id: (version, updated) for official_id, version, updated in rows}


def test_a_second_import_of_the_same_files_leaves_every_officials_version_as_it_was(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    folder = feed_folder(tmp_path / "feeds", with_constructed=True)
    import_officials(app, "--from-dir", str(folder), "--as-of", "2026-01-10")
    before = versions(db)
    # The next night: the same files, fetched a day later.
    import_officials(app, "--from-dir", str(folder), "--as-of", "2026-01-11")
    assert versions(db) == before
    carney = db.scalars(select(Official).where(Official.ourcommons_id == 28286)).one()
    assert carney.last_seen_in_feed_at is not None
    assert carney.last_seen_in_feed_at.date().isoformat() == "2026-01-11"


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=TORONTO)


def test_a_new_installation_waits_for_the_next_night_to_import(
    app: Flask, db: Session, make_user: Callable[..., User]
) -> None:
    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("the schedule does not depend on the engine")
    # Installed at 09:00 (`make run` creates the first account), after the 03:30 import time.
    make_user(UserRole.ADMIN, created_at=at(30, 9))
    assert queue_nightly_import(app, at(30, 9, 10)) is None
    assert queue_nightly_import(app, at(30, 23, 50)) is None
    assert db.scalars(select(Job)).all() == []
    next_night = dt.datetime(2026, 12, 1, 3, 40, tzinfo=TORONTO)
    assert queue_nightly_import(app, next_night) is not None


def test_an_installation_that_existed_at_import_time_still_catches_up(
    app: Flask, db: Session, make_user: Callable[..., User]
) -> None:
    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("the schedule does not depend on the engine")
    make_user(UserRole.ADMIN, created_at=at(2, 9))
    # The worker was down at 03:30; it starts at 09:00 and queues the night's import.
    assert queue_nightly_import(app, at(30, 9)) is not None


def source_dates_line(client: FlaskClient, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return next(line for line in page.splitlines() if "Data as of" in line)


def test_data_as_of_comes_from_each_sources_last_successful_run_never_a_failed_one(
    app: Flask,
    db: Session,
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    tmp_path: Path,
) -> None:
    first, second, third = (dt.datetime(2026, 1, d, 17, 0, tzinfo=dt.UTC) for d in (10, 11, 12))
    folder = feed_folder(tmp_path / "feeds", with_constructed=True)
    assert run_import(app, folder, as_of=first).status is ImportStatus.SUCCEEDED
    (folder / "represent.json").write_text("{")  # Represent breaks alone the next night
    assert run_import(app, folder, as_of=second).status is ImportStatus.PARTIAL
    (folder / "members.xml").write_bytes(BROKEN_MEMBERS)  # then everything fails
    assert run_import(app, folder, as_of=third).status is ImportStatus.FAILED
    signed_in(UserRole.COORDINATOR)
    for path in ("/officials/", "/imports/"):
        line = source_dates_line(client, path)
        assert "2026-01-11 12:00 EST (members, " in line, path
        assert "2026-01-10 12:00 EST (represent)" in line, path
        assert "2026-01-12" not in line, path
    history = client.get("/imports/").get_data(as_text=True)
    assert "2026-01-12 12:00" not in history  # the failed run dates nothing
    french = client.get("/officials/", headers=FRENCH).get_data(as_text=True)
    assert "Données en date du 2026-01-11 12:00 HNE (members, " in french


def test_a_preview_that_fails_is_still_called_a_preview(
    client: FlaskClient, db: Session, signed_in: Callable[[UserRole], User]
) -> None:
    signed_in(UserRole.COORDINATOR)
    start = post_form(
        client, "/imports/start", {"dry_run": "1"}, token_page="/imports/", follow_redirects=True
    )
    detail = start.get_data(as_text=True)
    assert "Preview failed (nothing written)" in detail
    assert "This was a preview: nothing was written." in detail
    assert "Preview failed (nothing written)" in client.get("/imports/").get_data(as_text=True)
    assert "Dry run" not in client.get("/imports/").get_data(as_text=True)
    job = db.scalars(select(Job)).one()
    assert job.state is JobState.FAILED
    queue_page = client.get("/queue/").get_data(as_text=True)
    assert f"Preview {job.params['run_id']} failed: members:" in queue_page
    french = unescape(client.get("/imports/", headers=FRENCH).get_data(as_text=True))
    assert "Aperçu échoué (rien d'écrit)" in french


def test_a_preview_from_the_command_line_is_called_a_preview_even_when_it_fails(
    app: Flask, tmp_path: Path
) -> None:
    folder = feed_folder(tmp_path / "feeds")
    (folder / "members.xml").write_bytes(BROKEN_MEMBERS)
    result = app.test_cli_runner().invoke(
        args=["import", "officials", "--from-dir", str(folder), "--dry-run"]
    )
    assert result.exit_code == 1
    failed = result.stderr.splitlines()[-1]  # after the progress lines
    assert failed.startswith("Preview failed; nothing was written. members: ")


@responses.activate
def test_an_import_without_network_says_so_in_one_calm_line(app: Flask) -> None:
    # Every address is unreachable: the `responses` library refuses what no test registered.
    result = app.test_cli_runner().invoke(args=["import", "officials", "--source", "members"])
    assert result.exit_code == 1
    *progress, said = result.stderr.strip().splitlines()
    assert all(line.startswith("Reading ") for line in progress)
    assert said == (
        "Import failed; nothing was changed. members: could not reach www.ourcommons.ca: "
        "no network connection?"
    )
