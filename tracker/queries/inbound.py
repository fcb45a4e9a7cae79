"""Reads for mail that came back: the triage list, one message, and where replies show."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from tracker.models import (
    Campaign,
    CampaignStatus,
    InboundMessage,
    InboundState,
    Official,
    Recipient,
)
from tracker.queries.officials import name_or_riding_matches
from tracker.queries.pagination import COUNT_CAP, Count, bounded_count

TRIAGE_PAGE = 100
OPEN = (CampaignStatus.ACTIVE, CampaignStatus.DRAFT)


def triage_count(session: Session) -> Count:
    """How many messages wait for a person (counted up to COUNT_CAP)."""
    waiting = select(InboundMessage.id).where(InboundMessage.state == InboundState.TRIAGE)
    return bounded_count(session, waiting, COUNT_CAP)


def triage_messages(session: Session) -> Sequence[InboundMessage]:
    """The messages waiting for a person, oldest first, with Hilltrack's guess."""
    return session.scalars(
        select(InboundMessage)
        .where(InboundMessage.state == InboundState.TRIAGE)
        .options(
            joinedload(InboundMessage.guess).joinedload(Recipient.official),
            joinedload(InboundMessage.guess).joinedload(Recipient.campaign),
        )
        .order_by(InboundMessage.received_at, InboundMessage.id)
        .limit(TRIAGE_PAGE)
    ).all()


def inbound_message(session: Session, message_id: int) -> InboundMessage | None:
    return session.scalar(
        select(InboundMessage)
        .where(InboundMessage.id == message_id)
        .options(
            selectinload(InboundMessage.attachments),
            joinedload(InboundMessage.recipient).joinedload(Recipient.official),
            joinedload(InboundMessage.recipient).joinedload(Recipient.campaign),
            joinedload(InboundMessage.guess).joinedload(Recipient.official),
            joinedload(InboundMessage.guess).joinedload(Recipient.campaign),
        )
    )


def open_recipients_named(session: Session, query: str, limit: int = 20) -> Sequence[Recipient]:
    """Recipients of open letters whose official's name matches ``query``: where a person can
    place a message from triage."""
    words = name_or_riding_matches(query)
    if not words:
        return []
    statement = (
        select(Recipient)
        .join(Official, Official.id == Recipient.official_id)
        .join(Campaign, Campaign.id == Recipient.campaign_id)
        .where(Campaign.status.in_(OPEN))
        .options(joinedload(Recipient.official), joinedload(Recipient.campaign))
        .order_by(Official.sort_key, Campaign.letter_on.desc())
        .limit(limit)
    )
    return session.scalars(statement.where(*words)).all()


def messages_for_interactions(session: Session, interaction_ids: Iterable[int]) -> dict[int, int]:
    """interaction id → the message it was logged from, for "read the message" links."""
    ids = list(interaction_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(InboundMessage.interaction_id, InboundMessage.id).where(
            InboundMessage.interaction_id.in_(ids)
        )
    ).all()
    return {interaction_id: message_id for interaction_id, message_id in rows if interaction_id}


def replies_by_mail(session: Session) -> int:
    """Replies and acknowledgements logged from mail (the dashboard's count)."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(InboundMessage)
            .where(
                InboundMessage.state == InboundState.PLACED,
                InboundMessage.kind.in_(["reply", "auto_reply"]),
            )
        )
        or 0
    )


def latest_mail_by_recipient(session: Session, campaign_id: int) -> dict[int, int]:
    """recipient id → the latest message logged on them, for the campaign page's rows."""
    rows = session.execute(
        select(InboundMessage.recipient_id, func.max(InboundMessage.id))
        .join(Recipient, Recipient.id == InboundMessage.recipient_id)
        .where(Recipient.campaign_id == campaign_id, InboundMessage.state == InboundState.PLACED)
        .group_by(InboundMessage.recipient_id)
    ).all()
    return {recipient_id: message_id for recipient_id, message_id in rows if recipient_id}
