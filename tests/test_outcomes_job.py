"""The House's record is read on the queue: every night once the officials import is done, and
when a coordinator asks on the campaign's "What was said" page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import post_form
from tests.outcomes import demo_with_aboultaif, hansard_folder
from tracker.jobs.outcomes import KIND, queue_nightly_fetch
from tracker.jobs.queue import PERIODIC
from tracker.models import HouseIntervention, Job, JobState, User, UserRole

TORONTO = ZoneInfo("America/Toronto")
DUE = dt.datetime(2026, 11, 30, 3, 30, tzinfo=TORONTO)


def _jobs(db: Session) -> list[Job]:
    db.expire_all()
    return list(db.scalars(select(Job).where(Job.kind == KIND).order_by(Job.id)))


def test_the_nightly_reading_waits_for_the_officials_import_then_runs_once(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    assert "fetch_outcomes" in PERIODIC
    demo_with_aboultaif(app, db)
    app.config["OUTCOMES_FROM_DIR"] = str(hansard_folder(tmp_path / "house"))
    tonight = Job(kind="import_officials", params={"nightly": True}, created_at=DUE)
    db.add(tonight)
    db.commit()
    assert queue_nightly_fetch(app, DUE - dt.timedelta(minutes=5)) is None  # not yet time
    assert queue_nightly_fetch(app, DUE + dt.timedelta(minutes=10)) is None  # import waiting
    tonight.state = JobState.DONE
    db.commit()
    job_id = queue_nightly_fetch(app, DUE + dt.timedelta(minutes=20))
    assert job_id is not None
    assert queue_nightly_fetch(app, DUE + dt.timedelta(minutes=30)) is None  # once a night
    (job,) = _jobs(db)
    assert job.state is JobState.DONE, job.error
    assert job.outcome is not None and job.outcome.startswith("1 member(s) read: 303 new")
    assert db.scalar(select(func.count()).select_from(HouseIntervention)) == 303


def test_without_an_officials_import_tonight_the_reading_runs_an_hour_later(
    app: Flask, db: Session
) -> None:
    assert queue_nightly_fetch(app, DUE + dt.timedelta(minutes=30)) is None
    assert queue_nightly_fetch(app, DUE + dt.timedelta(minutes=70)) is not None


def test_a_coordinator_asks_for_a_reading_now(
    app: Flask,
    db: Session,
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    tmp_path: Path,
) -> None:
    campaign, _ = demo_with_aboultaif(app, db)
    app.config["OUTCOMES_FROM_DIR"] = str(hansard_folder(tmp_path / "house"))
    signed_in(UserRole.COORDINATOR)
    page = f"/campaigns/{campaign.id}/said"
    response = post_form(client, f"{page}/check", {}, token_page=page, follow_redirects=True)
    assert "Reading the House&#39;s record" in response.get_data(as_text=True)
    (job,) = _jobs(db)
    assert job.params == {"campaign_id": campaign.id} and job.state is JobState.DONE
    html = client.get(page).get_data(as_text=True)
    assert html.count('<article class="said">') == 9
