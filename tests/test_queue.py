"""The job queue on its real engines (a SQLite file, and Redis): a page queues, the worker
runs, the queue page shows what waits, runs, failed (with its error) and can be retried."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import post_form
from tests.letters import letter_campaign, mail_config, send_ticked
from tests.mailserver import Recorder, free_port, running_server
from tests.queues import ENGINES, queue_settings
from tracker.jobs.queue import queue, queue_nightly_import
from tracker.models import Job, JobState, Letter, LetterState, User, UserRole


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def smtp() -> Iterator[tuple[Recorder, int]]:
    recorder = Recorder()
    for _, port in running_server(recorder):
        yield recorder, port


@pytest.fixture
def test_config(
    test_config: dict[str, Any], engine_name: str, tmp_path: Path, smtp: tuple[Recorder, int]
) -> dict[str, Any]:
    return {**test_config, **mail_config(smtp[1]), **queue_settings(engine_name, tmp_path)}


@pytest.fixture
def app(app: Flask) -> Iterator[Flask]:
    jobs = queue(app)
    jobs.huey.flush()  # Redis outlives a test: start from an empty queue
    yield app
    jobs.huey.flush()


def work_off(app: Flask) -> int:
    """What `hilltrack worker` does for each message on the queue: take it, run it."""
    huey = queue(app).huey
    done = 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        done += 1
    return done


def jobs(db: Session) -> list[Job]:
    db.expire_all()
    return list(db.scalars(select(Job).order_by(Job.id)))


def test_letters_wait_on_the_queue_until_the_worker_sends_them(
    app: Flask,
    client: FlaskClient,
    db: Session,
    smtp: tuple[Recorder, int],
    signed_in: Callable[[UserRole], User],
) -> None:
    letter = letter_campaign(app, db)
    signed_in(UserRole.COORDINATOR)
    send_ticked(client, letter.campaign.id)
    assert smtp[0].received == []  # the request only queued them
    queue_page = client.get("/queue/").get_data(as_text=True)
    assert "Letters of campaign" in queue_page and 'id="jobs-waiting">Waiting' in queue_page
    assert queue(app).huey.pending_count() == 1

    assert work_off(app) == 1
    assert len(smtp[0].received) == 14
    (job,) = jobs(db)
    assert job.state is JobState.DONE and job.outcome == "14 sent"
    assert "14 sent" in client.get("/queue/").get_data(as_text=True)


def test_a_failed_job_shows_its_error_and_a_retry_sends_once_the_setting_is_fixed(
    app: Flask,
    client: FlaskClient,
    db: Session,
    smtp: tuple[Recorder, int],
    signed_in: Callable[[UserRole], User],
) -> None:
    letter = letter_campaign(app, db)
    signed_in(UserRole.COORDINATOR)
    good_port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = free_port()
    send_ticked(client, letter.campaign.id)
    work_off(app)
    (job,) = jobs(db)
    assert job.state is JobState.FAILED
    queue_page = client.get("/queue/").get_data(as_text=True)
    assert "Could not reach the mail server" in queue_page and "Retry" in queue_page

    app.config["MAIL_PORT"] = good_port
    response = post_form(client, f"/queue/{job.id}/retry", {}, token_page="/queue/")
    assert response.status_code == 302
    assert work_off(app) == 1
    assert len(smtp[0].received) == 14
    assert {x.state for x in db.scalars(select(Letter))} == {LetterState.SENT}
    assert jobs(db)[0].state is JobState.DONE


def test_the_nightly_import_is_queued_once_after_its_time_and_never_when_turned_off(
    app: Flask, db: Session, engine_name: str, make_user: Any
) -> None:
    if engine_name != "sqlite":
        pytest.skip("the schedule does not depend on the engine")
    toronto = ZoneInfo("America/Toronto")
    make_user(UserRole.ADMIN, created_at=dt.datetime(2026, 11, 1, tzinfo=toronto))  # installed
    before = dt.datetime(2026, 11, 30, 3, 0, tzinfo=toronto)
    after = dt.datetime(2026, 11, 30, 3, 40, tzinfo=toronto)
    assert queue_nightly_import(app, before) is None
    first = queue_nightly_import(app, after)
    assert first is not None
    assert queue_nightly_import(app, after + dt.timedelta(minutes=10)) is None
    assert [j.kind for j in jobs(db)] == ["import_officials"]
    assert jobs(db)[0].params == {"nightly": True}

    app.config["NIGHTLY_IMPORT"] = False
    assert queue_nightly_import(app, after + dt.timedelta(days=1)) is None


FRENCH = {"Accept-Language": "fr-CA,fr;q=0.9"}


def test_a_job_the_queue_lost_can_be_queued_again_once_from_the_queue_page_in_both_languages(
    app: Flask,
    client: FlaskClient,
    db: Session,
    smtp: tuple[Recorder, int],
    signed_in: Callable[[UserRole], User],
) -> None:
    letter = letter_campaign(app, db)
    signed_in(UserRole.COORDINATOR)
    send_ticked(client, letter.campaign.id)
    queue(app).huey.flush()  # the queue lost it (a Redis restart), the database has it
    (job,) = jobs(db)
    assert "Queue again" not in client.get("/queue/").get_data(as_text=True)  # not yet too long

    waited = dt.timedelta(minutes=app.config["QUEUE_AGAIN_AFTER_MINUTES"] + 1)
    job.created_at -= waited
    db.commit()
    assert "Queue again" in client.get("/queue/").get_data(as_text=True)
    assert "Remettre en file" in client.get("/queue/", headers=FRENCH).get_data(as_text=True)

    for _click in range(2):  # a second click (or a second coordinator) adds nothing
        response = post_form(client, f"/queue/{job.id}/again", {}, token_page="/queue/")
        assert response.status_code == 302
    assert queue(app).huey.pending_count() == 1
    assert "Queue again" not in client.get("/queue/").get_data(as_text=True)

    assert work_off(app) == 1
    assert len(smtp[0].received) == 14
    (job,) = jobs(db)
    assert job.state is JobState.DONE and job.attempts == 1
