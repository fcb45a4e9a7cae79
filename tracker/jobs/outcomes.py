"""Reading what recipients said in Parliament, on the queue: on demand, and every night after
the officials import has finished."""

from __future__ import annotations

import datetime as dt
import logging
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from flask_babel import gettext as _
from huey import crontab
from sqlalchemy import select
from sqlalchemy.orm import Session

from importers.http import FeedClient
from importers.said import Said, said, said_together
from tracker.clock import utcnow
from tracker.jobs.queue import enqueue, handler, nightly_time, periodic, queue, writing
from tracker.models import Job, JobState, User
from tracker.operations.jobs import create_job
from tracker.operations.outcomes import FetchReport, fetch_outcomes
from tracker.web.db import state

KIND = "fetch_outcomes"
log = logging.getLogger(__name__)


def user_agent(app: Flask) -> str:
    """Who is asking, for the House's server: Hilltrack, and whom to write to."""
    contact = app.config.get("CONTACT_EMAIL")
    named = f"; contact {contact}" if contact else ""
    return f"Hilltrack/0.1 (outreach tracker for advocacy coalitions{named})"


def house_client(app: Flask) -> FeedClient:
    """The HTTP client for the House's search: polite, cached for conditional GETs."""
    return FeedClient(Path(app.instance_path) / "feeds" / "house", user_agent=user_agent(app))


def run_fetch(app: Flask, campaign_id: int | None, **kwargs: Any) -> FetchReport:
    """Read the House's record for the recipients (of one campaign, or of every active one):
    from OUTCOMES_FROM_DIR when set, else from the House's search."""
    folder = app.config.get("OUTCOMES_FROM_DIR")
    from_dir = Path(folder) if folder else None
    client = None if from_dir else house_client(app)
    try:
        return fetch_outcomes(
            state(app).sessions,
            campaign_id=campaign_id,
            from_dir=from_dir,
            client=client,
            pause=float(app.config.get("OUTCOMES_PAUSE_SECONDS", 2.0)),
            **kwargs,
        )
    finally:
        if client is not None:
            client.close()


def outcome(report: FetchReport) -> Said:
    """What a fetch did, in a sentence kept for each reader's language."""
    parts = [
        said(
            "%(members)s member(s) read: %(new)s new, %(updated)s updated, %(same)s unchanged",
            members=report.members,
            new=report.stored.inserted,
            updated=report.stored.updated,
            same=report.stored.unchanged,
        )
    ]
    if report.others:
        parts.append(
            said(
                "%(num)s item(s) were said by someone else than the member asked for; left out",
                num=report.others,
            )
        )
    if report.failed:
        parts.append(said("failed: %(why)s", why="; ".join(report.failed)))
    return said_together(parts, "; ")


def _describe(params: dict[str, Any]) -> str:
    if params.get("nightly"):
        return str(_("Nightly reading of what recipients said in Parliament"))
    if params.get("campaign_id"):
        return str(
            _("What recipients said in Parliament, campaign %(id)s", id=params["campaign_id"])
        )
    return str(_("What recipients said in Parliament"))


@handler(KIND, describe=_describe)
def run_outcomes_job(app: Flask, job_id: int, params: dict[str, Any]) -> Said:
    """Read the House's record and store what was said."""
    return outcome(run_fetch(app, params.get("campaign_id"), sleep=time.sleep))


def queue_fetch(app: Flask, session: Session, campaign_id: int, actor: User | None) -> int:
    """Queue a reading of the House's record for a campaign now (a coordinator asked)."""
    return enqueue(app, session, KIND, {"campaign_id": campaign_id}, actor=actor)[0]


def _every_ten_minutes(app: Flask) -> object:
    return crontab(minute="*/10")


def queue_nightly_fetch(app: Flask, now: dt.datetime | None = None) -> int | None:
    """Queue tonight's reading once tonight's officials import has finished (or none was
    queued an hour after its time), and only once a night."""
    now = now or utcnow()
    due = nightly_time(app, now.astimezone(ZoneInfo(app.config["TIMEZONE"])).date())
    if due is None or now < due:
        return None
    with writing(app) as session:
        if session.scalar(select(Job.id).where(Job.kind == KIND, Job.created_at >= due).limit(1)):
            return None
        imports = session.scalars(
            select(Job.state).where(Job.kind == "import_officials", Job.created_at >= due)
        ).all()
        waiting = any(s in (JobState.WAITING, JobState.RUNNING) for s in imports)
        if waiting or (not imports and now < due + dt.timedelta(hours=1)):
            return None
        job_id = create_job(session, KIND, {"nightly": True}, actor=None).id
    queue(app).submit(job_id)
    return job_id


@periodic("fetch_outcomes", _every_ten_minutes)
def fetch_outcomes_nightly(app: Flask) -> None:
    """What the worker checks every ten minutes: is tonight's reading due?"""
    job_id = queue_nightly_fetch(app)
    if job_id is not None:
        log.info("queued the nightly reading of the House's record (job %s)", job_id)
