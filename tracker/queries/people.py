"""The directory as the people matcher reads it (rules/person_match.py)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.models import Official, Role
from tracker.rules.person_match import PersonIndex


def person_index(session: Session) -> PersonIndex:
    """Every official with their roles, to match a spreadsheet's or a list's lines: three
    queries whatever the size of the directory."""
    officials = session.scalars(
        select(Official).options(selectinload(Official.roles).selectinload(Role.organisation))
    )
    return PersonIndex(officials)
