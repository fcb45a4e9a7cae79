"""Reads for the reports dashboard: the active campaigns, overdue follow-ups, latest activity."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from tracker.models import (
    Campaign,
    CampaignStatus,
    FollowUp,
    FollowUpStatus,
    Interaction,
    Official,
    Recipient,
    User,
)
from tracker.queries.campaigns import NEWEST_FIRST
from tracker.queries.inline import inline, inline_limit
from tracker.queries.pagination import COUNT_CAP, Count, Page, bounded_count, paginate

RECENT_ACTIVITY = 15


def active_campaigns(session: Session, limit: int | None = None) -> list[Campaign]:
    """Active campaigns, latest letter first (undated drafts before them)."""
    return list(
        session.scalars(
            select(Campaign)
            .where(Campaign.status == CampaignStatus.ACTIVE)
            .order_by(*NEWEST_FIRST)
            .limit(inline_limit(limit))
        )
    )


ACTIVE_PER_PAGE = 20


def active_campaigns_page(session: Session, number: int) -> Page[Campaign]:
    """A page of the active campaigns, latest letter first."""
    return paginate(
        session,
        select(Campaign).where(Campaign.status == CampaignStatus.ACTIVE).order_by(*NEWEST_FIRST),
        number,
        ACTIVE_PER_PAGE,
    )


def overdue_follow_up_count(session: Session, today: dt.date) -> Count:
    """How many open follow-ups are past their due date, everyone's (up to COUNT_CAP)."""
    overdue = select(FollowUp.id).where(
        FollowUp.status == FollowUpStatus.OPEN, FollowUp.due_on < today
    )
    return bounded_count(session, overdue, COUNT_CAP)


def recent_activity(session: Session) -> list[Interaction]:
    """The latest interactions recorded, with official, recorder and campaign title."""
    return list(
        session.scalars(
            select(Interaction)
            # Each entry has one of each (many-to-one): joined in the same statement.
            .options(
                joinedload(Interaction.official).load_only(
                    Official.given_name, Official.family_name, raiseload=True
                ),
                joinedload(Interaction.recorded_by).load_only(User.name, raiseload=True),
                joinedload(Interaction.recipient)
                .load_only(Recipient.campaign_id, raiseload=True)
                .joinedload(Recipient.campaign)
                .load_only(Campaign.title, raiseload=True),
            )
            .order_by(Interaction.id.desc())  # the latest recorded; ids only grow
            .limit(inline(RECENT_ACTIVITY))  # planned once (queries/inline.py)
        )
    )
