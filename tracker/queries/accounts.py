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
