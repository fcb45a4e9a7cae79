"""Reads of user accounts."""

from __future__ import annotations

from sqlalchemy import select, union_all
from sqlalchemy.orm import Session

from tracker.models import (
    User,
)
from tracker.queries.inline import inline_limit


def all_users(session: Session) -> list[User]:
    """Every account, active ones first, by name."""
    return list(session.scalars(select(User).order_by(User.is_active.desc(), User.name)))


def users_by_name(session: Session) -> list[User]:
    """Every account by name (for filter menus)."""
    return list(session.scalars(select(User).order_by(User.name)))


# An assignee menu lists this many people: the one planning, and those who signed in last.
ASSIGNEES_SHOWN = 100


def assignee_choices(session: Session, me: tuple[int, str]) -> tuple[list[tuple[int, str]], bool]:
    """(id, name) of the people an assignee menu offers, by name: the person planning (``me``,
    their id and name as the request already holds them: no statement) and the active users
    who signed in most recently, up to ASSIGNEES_SHOWN; and whether other active users exist
    (then the form also takes an e-mail). A coalition of thousands of volunteers gets a menu
    of the same length as one of ten."""
    me_id = me[0]
    room = ASSIGNEES_SHOWN - 1  # beside me; one more is read to know whether others exist
    active_others = (User.is_active.is_(True), User.id != me_id)
    # Both groups in one statement (one round trip to PostgreSQL, not two): those who signed
    # in, the most recent first, then those who never did, the latest accounts first.
    signed = (
        select(User.id, User.name, User.last_login_at)
        .where(*active_others, User.last_login_at.is_not(None))
        .order_by(User.last_login_at.desc(), User.id)
        .limit(inline_limit(room + 1))
        .subquery()
    )
    never = (
        select(User.id, User.name, User.last_login_at)
        .where(*active_others, User.last_login_at.is_(None))
        .order_by(User.id.desc())
        .limit(inline_limit(room + 1))
        .subquery()
    )
    rows = session.execute(union_all(select(signed), select(never))).all()
    by_sign_in = sorted((r for r in rows if r.last_login_at is not None), key=lambda r: r.id)
    by_sign_in.sort(key=lambda r: r.last_login_at, reverse=True)  # stable: ties by id
    never_signed = sorted((r for r in rows if r.last_login_at is None), key=lambda r: -r.id)
    others = [(r.id, r.name) for r in (*by_sign_in, *never_signed)][: room + 1]
    shown = [(uid, name) for uid, name in [me, *others[:room]]]
    shown.sort(key=lambda row: (row[1].casefold(), row[0]))
    return shown, len(others) > room


def active_user_by_email(session: Session, email: str) -> User | None:
    """The active account with this e-mail (as typed: any case, spaces around)."""
    return session.scalar(
        select(User).where(User.email == email.strip().lower(), User.is_active.is_(True))
    )


def user_by_calendar_token(session: Session, token: str) -> User | None:
    """The active user whose calendar feed has this secret address, if any."""
    return session.scalar(
        select(User).where(User.calendar_token == token, User.is_active.is_(True))
    )
