"""The Reports pages: the progress dashboard and the responsiveness tables."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from tracker import clock
from tracker.models import UserRole
from tracker.queries import reports
from tracker.queries.dashboard import (
    active_campaigns_page,
    overdue_follow_up_count,
    recent_activity,
)
from tracker.queries.inbound import replies_by_mail, triage_count
from tracker.queries.pagination import MAX_PAGE
from tracker.rules.tallies import months_before
from tracker.web.access import require_role
from tracker.web.db import get_session
from tracker.web.fragments import FragmentCache
from tracker.web.http import month_arg
from tracker.web.i18n import current_language

bp = Blueprint("reports", __name__, url_prefix="/reports")
DEFAULT_WAITING_DAYS = 30
# By official, a coalition's figures run to a row per MP: a page of them at a time.
FIGURES_PER_PAGE = 100
DEFAULT_MONTHS = 12


@bp.before_request
def _coordinators_only() -> None:
    require_role(UserRole.COORDINATOR)


@bp.get("/")
def dashboard() -> ResponseReturnValue:
    """Each active campaign's progress, overdue follow-ups, and recent activity: the same for
    every coordinator reading a language, so computed at most every REPORTS_CACHE_SECONDS
    (web/fragments.py)."""
    days = request.args.get("days", DEFAULT_WAITING_DAYS, type=int) or DEFAULT_WAITING_DAYS
    days = min(max(days, 1), 365)
    number = max(1, min(request.args.get("page", 1, type=int) or 1, MAX_PAGE))
    fragment = _fragments().get(
        # The fragment is words as well as figures: one per language.
        # And per day: what is overdue and how long letters have waited change at midnight.
        ("dashboard", current_language(), days, number, clock.today()),
        lambda: _dashboard_body(days, number),
        fresh=request.args.get("fresh") == "1",
    )
    return render_template(
        "reports/dashboard.html", body=fragment.html, computed=fragment.computed, days=days
    )


def _fragments() -> FragmentCache:
    cache = current_app.extensions.get("report_fragments")
    if cache is None:
        cache = FragmentCache(current_app.config["REPORTS_CACHE_SECONDS"])
        current_app.extensions["report_fragments"] = cache
    return cache


def _dashboard_body(days: int, number: int) -> Markup:
    """The active campaigns a page at a time, under the totals over all of them."""
    db = get_session()
    today = clock.today()
    page = active_campaigns_page(db, number)
    overdue = overdue_follow_up_count(db, today)
    recent = recent_activity(db)
    html = render_template(
        "reports/_dashboard_body.html",
        page=page,
        rows=reports.progress(db, page.items, days, today),
        totals=reports.active_progress(db, days, today),
        days=days,
        overdue=overdue,
        recent=recent,
        by_mail=replies_by_mail(db),
        triage=triage_count(db),
    )
    return Markup(html)  # noqa: S704  (a template's output, escaped by Jinja as it rendered)


@bp.get("/responsiveness")
def responsiveness() -> ResponseReturnValue:
    """Reply rates and days to reply, by official, party, role or campaign: like the
    dashboard, the table is computed at most every REPORTS_CACHE_SECONDS per language and
    query (web/fragments.py), and the page says when."""
    by = request.args.get("by", "party")
    if by not in reports.GROUPINGS:
        abort(404)
    since, until = _period()
    number = request.args.get("page", 1, type=int) or 1
    # The fragment's pager keeps the query's own arguments: every one is in the key (and the
    # months they mean, as the default period moves with the month).
    args = {k: v for k, v in request.args.items() if k != "fresh"}
    fragment = _fragments().get(
        ("responsiveness", current_language(), by, since, until, number, *sorted(args.items())),
        lambda: _responsiveness_body(by, number, since, until, args),
        fresh=request.args.get("fresh") == "1",
    )
    return render_template(
        "reports/responsiveness.html",
        body=fragment.html,
        by=by,
        args=args,
        groupings=reports.GROUPINGS,
        since=since,
        until=until,
        computed=fragment.computed,
        min_group=reports.MIN_GROUP,
    )


def _period() -> tuple[dt.date | None, dt.date | None]:
    """The whole months asked for. Unless asked otherwise (an empty "from" means since the
    first letter), the last twelve: the report then reads a year of letters, however long the
    coalition has kept them."""
    this_month = clock.today().replace(day=1)
    since = (
        month_arg("since")
        if "since" in request.args
        else months_before(this_month, DEFAULT_MONTHS - 1)
    )
    return since, month_arg("until")


def _responsiveness_body(
    by: str, number: int, since: dt.date | None, until: dt.date | None, args: dict[str, str]
) -> Markup:
    """A page of the groups' figures: the ranked table, the groups too small to rank, the
    pager."""
    page = reports.responsiveness_page(
        get_session(), by, number, FIGURES_PER_PAGE, since=since, until=until
    )
    html = render_template(
        "reports/_responsiveness_body.html",
        page=page,
        by=by,
        args=args,
        groupings=reports.GROUPINGS,
        min_group=reports.MIN_GROUP,
    )
    return Markup(html)  # noqa: S704  (a template's output, escaped by Jinja as it rendered)
