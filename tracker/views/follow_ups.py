"""Follow-ups: my list (overdue, today, upcoming), planning, completing, snoozing, calendar."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker import clock
from tracker.errors import OperationError
from tracker.formats import follow_up_calendar as calendar
from tracker.forms.base import ActionForm
from tracker.forms.follow_ups import CompleteFollowUpForm, FollowUpForm
from tracker.models import FollowUp, Official, Recipient, User, UserRole
from tracker.models.base import as_id
from tracker.operations.follow_ups import (
    can_work_on,
    complete_follow_up,
    plan_follow_up,
    revoke_calendar_token,
    rotate_calendar_token,
    snooze_follow_up,
)
from tracker.queries import follow_ups as follow_up_reads
from tracker.queries.accounts import active_user_by_email, user_by_calendar_token
from tracker.queries.follow_ups import FollowUpGroup
from tracker.queries.pagination import MAX_PAGE, Count
from tracker.web.access import role_required
from tracker.web.db import get_session
from tracker.web.templating import long_date

bp = Blueprint("follow_ups", __name__, url_prefix="/follow-ups")


@bp.get("/")
def index() -> ResponseReturnValue:
    """My follow-ups, grouped: overdue, due today, upcoming (coordinators can see everyone's);
    with ``when``, one of those windows whole, page by page."""
    everyone = request.args.get("who") == "all" and current_user.has_role(UserRole.COORDINATOR)
    today = clock.today()
    whose = None if everyone else current_user.id
    asked = _list_args(request.args)  # the one reading of which window and page
    page = None
    if "when" in asked:
        name = asked["when"].capitalize()
        number = int(asked.get("page", "1"))
        page = follow_up_reads.follow_up_window(get_session(), whose, today, name, number)
        groups = [FollowUpGroup(name, page.items, Count(page.total, page.more))]
    else:
        groups = follow_up_reads.open_follow_up_groups(get_session(), whose, today)
    return render_template(
        "follow_ups/index.html",
        groups=groups,
        page=page,
        when=asked.get("when"),
        everyone=everyone,
        action=ActionForm(),
        today=today,
        back=_as_query(asked),
    )


def _list_args(args: Mapping[str, str]) -> dict[str, str]:
    """Which list a person is on (whose, which window, which page), from a request's
    arguments: only those three, each one of its known values, so that a redirect back there
    can lead nowhere else."""
    kept = {}
    if args.get("who") == "all":
        kept["who"] = "all"
    when = args.get("when", "").lower()
    if when.capitalize() in follow_up_reads.WINDOWS:
        kept["when"] = when
        try:  # int() and not isdigit(): "²" is a digit to Python, and no page
            number = int(args.get("page", "1"))
        except ValueError:
            number = 1
        if number > 1:
            kept["page"] = str(min(number, MAX_PAGE))
    return kept


def _as_query(kept: Mapping[str, str]) -> str:
    """The list's arguments as a query ("?when=overdue&page=2"), for the links and buttons
    that act on one of its lines and come back to it; "" for the plain list."""
    return "?" + urlencode(kept) if kept else ""


def _back_to_list() -> ResponseReturnValue:
    """Back to the list the person acted from (Done…, Snooze a week)."""
    return redirect(url_for("follow_ups.index") + _as_query(_list_args(request.args)))


def _follow_up_or_404(follow_up_id: int) -> FollowUp:
    follow_up = get_session().get(FollowUp, follow_up_id)
    if follow_up is None:
        abort(404)
    if not can_work_on(follow_up, current_user):
        abort(403)
    return follow_up


@bp.post("/plan")
@role_required(UserRole.COORDINATOR)
def plan() -> ResponseReturnValue:
    """Plan a follow-up for an official (from a campaign row or an official's page)."""
    form = FollowUpForm(prefix="fu")
    form.assignee_id.choices = None  # checked below against real, active users
    db = get_session()
    valid = form.validate_on_submit()
    recipient_id = as_id(form.recipient_id.data) if valid else None
    recipient = db.get(Recipient, recipient_id) if recipient_id else None
    official_id = recipient.official_id if recipient else as_id(form.official_id.data)
    official = db.get(Official, official_id) if valid and official_id else None
    if official is None:
        flash(_("Give a due date and what to do."), "error")
        return redirect(request.referrer or url_for("follow_ups.index"))
    assignee_id = as_id(form.assignee_id.data)
    assignee = db.get(User, assignee_id) if assignee_id else None
    try:
        if recipient is not None and recipient.official_id != official.id:
            raise OperationError(_("That campaign recipient is someone else."))
        if form.assignee_email.data:
            assignee = active_user_by_email(db, form.assignee_email.data)
            if assignee is None:
                raise OperationError(
                    _("No active account has the e-mail %(email)s.", email=form.assignee_email.data)
                )
        plan_follow_up(
            db,
            official=official,
            recipient=recipient,
            due_on=form.due_on.data,
            assignee=assignee,
            note=form.note.data,
            actor=current_user,
        )
    except OperationError as error:
        flash(error.message, "error")
    else:
        db.commit()
        who = assignee.name if assignee else _("nobody yet")
        flash(
            _(
                "Follow-up planned for %(date)s, assigned to %(name)s.",
                date=long_date(form.due_on.data),
                name=who,
            ),
            "success",
        )
    if recipient is not None:
        return redirect(url_for("campaigns.detail", campaign_id=recipient.campaign_id))
    return redirect(url_for("officials.detail", official_id=official.id))


@bp.route("/<int:follow_up_id>/complete", methods=["GET", "POST"])
def complete(follow_up_id: int) -> ResponseReturnValue:
    """Mark a follow-up done with its outcome, and optionally plan the next step."""
    follow_up = _follow_up_or_404(follow_up_id)
    form = CompleteFollowUpForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            following = complete_follow_up(
                db,
                follow_up,
                outcome=form.outcome.data or "",
                next_due_on=form.next_due_on.data,
                next_note=form.next_note.data,
                actor=current_user,
            )
        except OperationError as error:
            form.show_error(error)
        else:
            db.commit()
            flash(_("Done. Next step planned.") if following else _("Done."), "success")
            return _back_to_list()
    return render_template(
        "follow_ups/complete.html",
        follow_up=follow_up,
        form=form,
        back=_as_query(_list_args(request.args)),
    )


@bp.post("/<int:follow_up_id>/snooze")
def snooze(follow_up_id: int) -> ResponseReturnValue:
    """Push a follow-up back by a week."""
    follow_up = _follow_up_or_404(follow_up_id)
    db = get_session()
    try:
        snooze_follow_up(db, follow_up, actor=current_user)
    except OperationError as error:
        flash(error.message, "error")
    else:
        db.commit()
        flash(_("Snoozed to %(date)s.", date=long_date(follow_up.due_on)), "success")
    return _back_to_list()


@bp.post("/calendar")
def calendar_settings() -> ResponseReturnValue:
    """Create a new secret calendar address (the old one stops working), or turn it off."""
    db = get_session()
    user = db.get(User, current_user.id)
    if user is None:
        abort(401)
    if request.form.get("action") == "revoke":
        revoke_calendar_token(db, user)
        flash(_("Calendar address turned off."), "success")
    else:
        had_one = user.calendar_token is not None
        rotate_calendar_token(db, user)
        flash(
            _("New calendar address made; the old one no longer works.")
            if had_one
            else _("Calendar address made: subscribe to it in your calendar app."),
            "success",
        )
    db.commit()
    return redirect(url_for("auth.account", _anchor="calendar"))


@bp.get("/calendar/<token>.ics")
def calendar_feed(token: str) -> ResponseReturnValue:
    """A user's open follow-ups as an iCalendar feed, at a secret address (no sign-in)."""
    user = user_by_calendar_token(get_session(), token)
    if user is None or len(token) < 32:
        abort(404)
    body = calendar.follow_ups_ics(
        follow_up_reads.all_open_follow_ups(get_session(), user.id),
        url_for("follow_ups.index", _external=True),
    )
    return Response(
        body,
        mimetype="text/calendar",
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": "inline; filename=hilltrack.ics",
        },
    )
