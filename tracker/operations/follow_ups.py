"""Follow-ups: planned by coordinators, done (or snoozed) by whoever they are assigned to."""

from __future__ import annotations

import datetime as dt
import secrets

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from tracker import clock
from tracker.clock import utcnow
from tracker.errors import OperationError
from tracker.models import FollowUp, FollowUpStatus, Official, Recipient, User, UserRole
from tracker.models.base import LATEST_DATE
from tracker.operations import audit

SNOOZE = dt.timedelta(days=7)


def plan_follow_up(
    session: Session,
    *,
    official: Official,
    recipient: Recipient | None,
    due_on: dt.date,
    assignee: User | None,
    note: str | None,
    actor: User,
    previous: FollowUp | None = None,
) -> FollowUp:
    """Plan a next step for an official (and the campaign recipient it concerns)."""
    if assignee is not None and not assignee.is_active:
        raise OperationError(_("That person's account is deactivated."), field="assignee")
    follow_up = FollowUp(
        official_id=official.id,
        recipient_id=recipient.id if recipient else None,
        due_on=due_on,
        assignee_id=assignee.id if assignee else None,
        created_by_id=actor.id,
        note=(note or "").strip() or None,
        previous_id=previous.id if previous else None,
    )
    session.add(follow_up)
    session.flush()
    audit.record(
        session,
        "follow_up.create",
        actor=actor,
        obj=follow_up,
        after={
            "official_id": official.id,
            "due_on": due_on.isoformat(),
            "assignee_id": follow_up.assignee_id,
            "note": follow_up.note,
        },
    )
    return follow_up


def can_work_on(follow_up: FollowUp, user: User) -> bool:
    """Coordinators act on any follow-up; volunteers on those assigned to them."""
    return user.has_role(UserRole.COORDINATOR) or follow_up.assignee_id == user.id


def _check_open(follow_up: FollowUp, user: User) -> None:
    if not can_work_on(follow_up, user):
        raise PermissionError("not assigned to this user")
    if follow_up.status is not FollowUpStatus.OPEN:
        raise OperationError(_("This follow-up is already done."))


def complete_follow_up(
    session: Session,
    follow_up: FollowUp,
    *,
    outcome: str,
    next_due_on: dt.date | None = None,
    next_note: str | None = None,
    actor: User,
) -> FollowUp | None:
    """Mark done with what came of it; optionally plan the next step (same assignee)."""
    _check_open(follow_up, actor)
    if not outcome.strip():
        raise OperationError(_("Say what came of it."), field="outcome")
    follow_up.status = FollowUpStatus.DONE
    follow_up.completion_note = outcome.strip()
    follow_up.completed_at = utcnow()
    audit.record(
        session,
        "follow_up.complete",
        actor=actor,
        obj=follow_up,
        after={"completion_note": follow_up.completion_note},
    )
    if next_due_on is None:
        session.flush()
        return None
    return plan_follow_up(
        session,
        official=follow_up.official,
        recipient=follow_up.recipient,
        due_on=next_due_on,
        assignee=follow_up.assignee or actor,
        note=next_note,
        actor=actor,
        previous=follow_up,
    )


def snooze_follow_up(
    session: Session, follow_up: FollowUp, *, actor: User, today: dt.date | None = None
) -> None:
    """Push the due date a week past today (or past the due date, if that is later)."""
    _check_open(follow_up, actor)
    base = max(follow_up.due_on, today or clock.today())
    if base > LATEST_DATE - SNOOZE:
        raise OperationError(
            _(
                "This follow-up is due %(date)s: a week later is past %(year)d. "
                "Correct its due date instead.",
                date=follow_up.due_on.isoformat(),
                year=LATEST_DATE.year,
            )
        )
    before = {"due_on": follow_up.due_on.isoformat()}
    follow_up.due_on = base + SNOOZE
    session.flush()
    audit.record(
        session,
        "follow_up.snooze",
        actor=actor,
        obj=follow_up,
        before=before,
        after={"due_on": follow_up.due_on.isoformat()},
    )


def rotate_calendar_token(session: Session, user: User) -> str:
    """A new secret calendar URL for ``user``; the old one stops working."""
    user.calendar_token = secrets.token_urlsafe(32)
    audit.record(session, "calendar.rotate", actor=user, obj=user)
    return user.calendar_token


def revoke_calendar_token(session: Session, user: User) -> None:
    """Turn the calendar feed off."""
    user.calendar_token = None
    audit.record(session, "calendar.revoke", actor=user, obj=user)
