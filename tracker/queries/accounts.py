"""Reads of user accounts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import (
    User,
)


def active_users(session: Session) -> list[User]:
    """Everyone who can be given a follow-up, by name."""
    return list(session.scalars(select(User).where(User.is_active.is_(True)).order_by(User.name)))


def all_users(session: Session) -> list[User]:
    """Every account, active ones first, by name."""
    return list(session.scalars(select(User).order_by(User.is_active.desc(), User.name)))


def users_by_name(session: Session) -> list[User]:
    """Every account by name (for filter menus)."""
    return list(session.scalars(select(User).order_by(User.name)))


def user_names(session: Session) -> list[tuple[int, str]]:
    """(id, name) of everyone active, by name: for long assignee menus, without whole rows."""
    return [
        (user_id, name)
        for user_id, name in session.execute(
            select(User.id, User.name).where(User.is_active.is_(True)).order_by(User.name)
        )
    ]


def user_by_calendar_token(session: Session, token: str) -> User | None:
    """The active user whose calendar feed has this secret address, if any."""
    return session.scalar(
        select(User).where(User.calendar_token == token, User.is_active.is_(True))
    )
