"""Replies waiting for someone to say what they are: logged from mail without a class, they count
as replies (rules/counting.py) until a volunteer classifies them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from tracker.models import (
    Campaign,
    InboundMessage,
    Interaction,
    InteractionKind,
    Official,
    Recipient,
)
from tracker.queries.inline import inline
from tracker.queries.pagination import COUNT_CAP, Count, bounded_count

SHOWN = 20


@dataclass(frozen=True)
class ToClassify:
    """One unclassified reply, as the list shows it."""

    interaction_id: int
    occurred_on: dt.date
    summary: str | None
    official_id: int
    official_name: str
    campaign_id: int | None
    campaign_title: str | None
    message_id: int | None


def _unclassified(campaign_id: int | None) -> Select[Any]:
    # The kind is written into the SQL (queries/inline.py): a plan made for any kind could not
    # use the index of unclassified replies alone (ix_interaction_unclassified).
    reply = inline(InteractionKind.REPLY_RECEIVED, Interaction.kind.type)
    query = select(Interaction.id).where(
        Interaction.kind == reply, Interaction.reply_class.is_(None)
    )
    if campaign_id is not None:
        query = query.where(Interaction.campaign_id == campaign_id)
    return query


def to_classify(
    session: Session, campaign_id: int | None = None, limit: int = SHOWN
) -> tuple[list[ToClassify], Count]:
    """The latest unclassified replies (of one campaign, or all), newest logged first, and how
    many there are (counted up to COUNT_CAP)."""
    # Their ids first, from the index alone: most pages have none, and then the statement
    # that joins their details (planned afresh for each campaign on PostgreSQL) never runs.
    latest = _unclassified(campaign_id).order_by(Interaction.id.desc())
    ids = list(session.scalars(latest.limit(inline(limit))))
    if not ids:
        return [], Count(0)
    query = (
        select(
            Interaction.id,
            Interaction.occurred_on,
            Interaction.summary,
            Official.id,
            Official.given_name,
            Official.family_name,
            Campaign.id,
            Campaign.title,
            InboundMessage.id,
        )
        .join(Official, Official.id == Interaction.official_id)
        .outerjoin(Recipient, Recipient.id == Interaction.recipient_id)
        .outerjoin(Campaign, Campaign.id == Recipient.campaign_id)
        .outerjoin(InboundMessage, InboundMessage.interaction_id == Interaction.id)
        .where(Interaction.id.in_(ids))
        .order_by(Interaction.id.desc())
    )
    found = [
        ToClassify(iid, on, summary, oid, f"{given} {family}", cid, title, mid)
        for iid, on, summary, oid, given, family, cid, title, mid in session.execute(query)
    ]
    if len(found) < limit:
        return found, Count(len(found))
    return found, bounded_count(session, _unclassified(campaign_id), COUNT_CAP)
