"""Reads for follow-up lists and calendar feeds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, literal_column, select, union_all
from sqlalchemy.orm import Session, joinedload, selectinload

from tracker.models import (
    Campaign,
    FollowUp,
    FollowUpStatus,
    Official,
    Recipient,
    User,
)
from tracker.models.officials import person_name
from tracker.queries.inline import inline, inline_limit
from tracker.queries.pagination import (
    COUNT_CAP,
    MAX_PAGE,
    Count,
    Page,
    bounded_count,
    bounded_counts,
)

FOLLOW_UP_GROUP_SIZE = 50


@dataclass(frozen=True)
class FollowUpLine:
    """What a line of a follow-up list shows: names and a campaign title as plain columns, not
    whole rows (loading a follow-up, its official, recipient, campaign and assignee as objects
    for each of 150 lines took half of everyone's follow-ups page)."""

    id: int
    official_id: int
    official_name: str  # ``person_name``, as ``Official.full_name`` says it
    note: str | None
    due_on: dt.date
    campaign_id: int | None  # None: not about a letter
    campaign_title: str | None
    assignee_name: str | None  # None: nobody yet


@dataclass(frozen=True)
class FollowUpGroup:
    """Open follow-ups due in one window (overdue, today, upcoming), soonest first: the first
    FOLLOW_UP_GROUP_SIZE of ``total`` (counted up to COUNT_CAP)."""

    name: str
    items: list[FollowUpLine]
    total: Count


_LINE = (
    select(
        FollowUp.id,
        FollowUp.official_id,
        Official.given_name,
        Official.family_name,
        FollowUp.note,
        FollowUp.due_on,
        Recipient.campaign_id,
        Campaign.title,
        User.name,
    )
    .join(Official, Official.id == FollowUp.official_id)
    .outerjoin(Recipient, Recipient.id == FollowUp.recipient_id)
    .outerjoin(Campaign, Campaign.id == Recipient.campaign_id)
    .outerjoin(User, User.id == FollowUp.assignee_id)
)


def open_follow_up_groups(
    session: Session, assignee_id: int | None, today: dt.date
) -> list[FollowUpGroup]:
    """Someone's open follow-ups (everyone's if ``assignee_id`` is None), grouped by when they
    are due, in two statements at most whatever the number of windows (on PostgreSQL each is a
    round trip): the first FOLLOW_UP_GROUP_SIZE of each window, soonest first, read together;
    then, for the windows longer than their page, their counts (up to COUNT_CAP) together."""
    condition = _open_for(assignee_id)
    windows = _windows(today)
    # Each window's ids through its own index walk, stopping at its page, marked with the
    # window's place (the database says which window a line is in: the rule is written once).
    firsts = [
        select(FollowUp.id, literal_column(str(place)).label("window"))
        .where(*condition, when)
        .order_by(FollowUp.due_on, FollowUp.id)
        .limit(inline(FOLLOW_UP_GROUP_SIZE))
        .subquery()
        for place, when in enumerate(windows.values())
    ]
    shown = union_all(*(select(first.c.id, first.c.window) for first in firsts)).subquery()
    names = list(windows)
    lines: dict[str, list[FollowUpLine]] = {name: [] for name in names}
    for *row, place in session.execute(
        _LINE.add_columns(shown.c.window)
        .join(shown, shown.c.id == FollowUp.id)
        .order_by(FollowUp.due_on, FollowUp.id)
    ):
        lines[names[place]].append(_line(row))
    # A window that fits on its page is counted by its rows.
    longer = [name for name, items in lines.items() if len(items) >= FOLLOW_UP_GROUP_SIZE]
    counted = bounded_counts(
        session,
        [select(FollowUp.id).where(*condition, windows[name]) for name in longer],
        COUNT_CAP,
    )
    totals = dict(zip(longer, counted, strict=True))
    return [
        FollowUpGroup(name, items, totals.get(name, Count(len(items))))
        for name, items in lines.items()
    ]


def _open_for(assignee_id: int | None) -> list[ColumnElement[bool]]:
    """Open follow-ups, someone's or (None) everyone's. The state is written into the SQL
    (queries/inline.py): the same statement, planned once, for every request of the day."""
    condition = [FollowUp.status == inline(FollowUpStatus.OPEN, FollowUp.status.type)]
    if assignee_id is not None:
        condition.append(FollowUp.assignee_id == assignee_id)
    return condition


# The windows a list of follow-ups is grouped in, in the order it shows them.
WINDOWS = ("Overdue", "Today", "Upcoming")


def _windows(today: dt.date) -> dict[str, ColumnElement[bool]]:
    """When a follow-up is due, by window: the one rule for the grouped list and for a window
    read page by page."""
    day = inline(today, FollowUp.due_on.type)
    due = FollowUp.due_on
    return dict(zip(WINDOWS, (due < day, due == day, due > day), strict=True))


def _line(row: Sequence[Any]) -> FollowUpLine:
    id_, official, given, family, note, due, campaign, title, who = row
    return FollowUpLine(id_, official, person_name(given, family), note, due, campaign, title, who)


def follow_up_window(
    session: Session, assignee_id: int | None, today: dt.date, name: str, number: int
) -> Page[FollowUpLine]:
    """The ``number``th page of one window ("Overdue", "Today", "Upcoming") of someone's open
    follow-ups (everyone's if ``assignee_id`` is None), soonest first: the rest of a window
    longer than the grouped list shows. Counted as far as the grouped list counts it (so that
    both say the same number), or further for a page beyond that."""
    condition = [*_open_for(assignee_id), _windows(today)[name]]
    size = FOLLOW_UP_GROUP_SIZE
    number = max(1, min(number, MAX_PAGE))
    cap = max(COUNT_CAP, number * size)
    count = bounded_count(session, select(FollowUp.id).where(*condition), cap)
    number = min(number, max(1, -(-count.number // size)))
    rows = session.execute(
        _LINE.where(*condition)
        .order_by(FollowUp.due_on, FollowUp.id)
        .limit(inline_limit(size))
        .offset((number - 1) * size)
    )
    return Page([_line(row) for row in rows], number, count.number, size, count.more)


def all_open_follow_ups(session: Session, assignee_id: int) -> list[FollowUp]:
    """Every open follow-up of one person, soonest first (for their calendar feed)."""
    return list(
        session.scalars(
            select(FollowUp)
            .where(FollowUp.status == FollowUpStatus.OPEN, FollowUp.assignee_id == assignee_id)
            .options(
                joinedload(FollowUp.official),
                joinedload(FollowUp.recipient).joinedload(Recipient.campaign),
            )
            .order_by(FollowUp.due_on, FollowUp.id)
        )
    )


OFFICIAL_FOLLOW_UPS_SHOWN = 50


def official_follow_ups(
    session: Session, official_id: int, limit: int | None = OFFICIAL_FOLLOW_UPS_SHOWN
) -> tuple[list[FollowUp], Count]:
    """An official's open follow-ups, soonest first (the first ``limit``), and how many are
    open (counted up to COUNT_CAP when not all are shown)."""
    condition = (FollowUp.official_id == official_id, FollowUp.status == FollowUpStatus.OPEN)
    found = list(
        session.scalars(
            select(FollowUp)
            .where(*condition)
            .options(selectinload(FollowUp.assignee).load_only(User.name, raiseload=True))
            .order_by(FollowUp.due_on, FollowUp.id)
            .limit(inline_limit(limit))
        )
    )
    if limit is None:
        return found, Count(len(found))
    return found, bounded_count(session, select(FollowUp.id).where(*condition), COUNT_CAP)


@dataclass(frozen=True)
class DueFollowUp:
    """A line of "Due for you" on the home page: whom, what, and since when (plain columns:
    the page shows dozens, and loading each follow-up and its official whole cost more than
    the rest of the list)."""

    official_name: str
    note: str | None
    due_on: dt.date


def my_due_follow_ups(session: Session, assignee_id: int, today: dt.date) -> list[DueFollowUp]:
    """Someone's open follow-ups due today or earlier, soonest first, with the official's
    name (``person_name``, as ``Official.full_name`` says it)."""
    rows = session.execute(
        select(FollowUp.note, FollowUp.due_on, Official.given_name, Official.family_name)
        .join(Official, Official.id == FollowUp.official_id)
        .where(
            FollowUp.assignee_id == assignee_id,
            FollowUp.status == FollowUpStatus.OPEN,
            FollowUp.due_on <= today,
        )
        .order_by(FollowUp.due_on, FollowUp.id)
    )
    return [DueFollowUp(person_name(given, family), note, due) for note, due, given, family in rows]
