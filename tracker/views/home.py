"""The signed-in home page and the public health check."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, jsonify, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from tracker import clock
from tracker.clock import utcnow
from tracker.forms.base import ActionForm
from tracker.jobs.queue import health
from tracker.models import Campaign, ReplyClass
from tracker.queries import campaigns as campaign_reads
from tracker.queries import officials as official_reads
from tracker.queries.dashboard import active_campaigns
from tracker.queries.follow_ups import my_due_follow_ups
from tracker.queries.home import home_figures
from tracker.queries.outcomes import SpokeCount, spoke_counts
from tracker.queries.replies import to_classify
from tracker.queries.webhooks import paused_for_failing
from tracker.web.db import get_session
from tracker.web.fragments import revision_cache

bp = Blueprint("home", __name__)
health_bp = Blueprint("health", __name__)


@bp.get("/")
def index() -> ResponseReturnValue:
    """What needs attention: my follow-ups due, active campaigns' progress, data freshness."""
    db = get_session()
    today = clock.today()
    campaigns = active_campaigns(db, limit=10)
    due = my_due_follow_ups(db, current_user.id, today)
    figures = home_figures(db, current_user.id)
    return render_template(
        "home/index.html",
        campaigns=campaigns,
        summaries=_summaries(db, campaigns, today),
        due=due,
        today=today,
        official_count=figures.officials_in_office,
        data_as_of=figures.data_as_of,
        triage=figures.triage,
        to_classify=to_classify(db),
        reply_classes=list(ReplyClass),
        action=ActionForm(),
        spoke_counts=_spoke_counts(db, campaigns),
        paused_webhooks=paused_for_failing(db, current_user.id) if figures.webhooks_paused else [],
    )


def _summaries(
    db: Session, campaigns: list[Campaign], today: dt.date
) -> dict[int, campaign_reads.CampaignSummary]:
    """Each campaign's progress bar, kept per campaign revision (models/revisions.py: every
    write to a recipient changes it) and day (how long letters have waited)."""
    by_key = {(c.id, c.revision, today): c.id for c in campaigns}

    def count(
        keys: list[tuple[int, int, dt.date]],
    ) -> dict[tuple[int, int, dt.date], campaign_reads.CampaignSummary]:
        made = campaign_reads.campaign_summaries(db, [by_key[k] for k in keys], today)
        return {k: made[by_key[k]] for k in keys}

    kept = revision_cache(current_app, "home summaries").get_many(list(by_key), count)
    return {campaign_id: kept[key] for key, campaign_id in by_key.items()}


def _spoke_counts(db: Session, campaigns: list[Campaign]) -> dict[int, SpokeCount]:
    """Each campaign's "N of M recipients spoke", kept per campaign revision: a reply, a
    role, a subject word or the House record's import changes the revisions it reads."""
    by_key = {(c.id, c.revision): c for c in campaigns}

    def count(keys: list[tuple[int, int]]) -> dict[tuple[int, int], tuple[int, int, int]]:
        made = spoke_counts(db, [by_key[k] for k in keys])
        return {k: _numbers(made[k[0]]) for k in keys}

    kept = revision_cache(current_app, "home spoke counts").get_many(list(by_key), count)
    return {c.id: SpokeCount(c, *kept[key]) for key, c in by_key.items()}


def _numbers(count: SpokeCount) -> tuple[int, int, int]:
    # Plain numbers kept: never a request's Campaign object.
    return count.spoke, count.recipients, count.in_house


@health_bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Report whether the app can reach its database (503 if not), and the queue and the
    worker's heartbeat ("degraded" but 200: pages work, jobs wait), for monitors."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        officials = official_reads.official_count(get_session())
        last = official_reads.data_as_of(get_session())
        jobs = health(app, get_session(), utcnow())
    except SQLAlchemyError:
        return jsonify(status="error", database="error"), 503
    fine = jobs["queue"] in ("ok", "in-process") and jobs["worker"] in ("ok", "in-process")
    finished = last.finished_at.isoformat() if last and last.finished_at else None
    return jsonify(
        status="ok" if fine else "degraded",
        database="ok",
        officials=officials,
        last_import=finished,
        **jobs,
    )
