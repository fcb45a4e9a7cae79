"""Reads for mail that came back: the triage list, one message, and where replies show."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, joinedload, load_only, selectinload

from tracker.models import (
    Campaign,
    CampaignStatus,
    InboundKind,
    InboundMessage,
    InboundState,
    KnownSender,
    Letter,
    Official,
    Recipient,
)
from tracker.queries.inline import inline, inline_in, inline_limit
from tracker.queries.officials import name_or_riding_matches
from tracker.queries.pagination import COUNT_CAP, Count, Page, bounded_count, paginate

TRIAGE_PAGE = 100
OPEN = (CampaignStatus.ACTIVE, CampaignStatus.DRAFT)


def triage_count(session: Session) -> Count:
    """How many messages wait for a person (counted up to COUNT_CAP)."""
    return bounded_count(session, waiting_for_triage(), COUNT_CAP)


def waiting_for_triage() -> Select[int]:
    """The messages waiting for a person, as a statement to count."""
    return select(InboundMessage.id).where(InboundMessage.state == InboundState.TRIAGE)


# What a line of the triage list shows: not a message's whole text, its HTML and its raw
# headers, nor its guess's whole campaign (the letter's text) and official, for each of 100.
TRIAGE_LINE = (
    load_only(
        InboundMessage.subject,
        InboundMessage.from_name,
        InboundMessage.from_address,
        InboundMessage.received_at,
        InboundMessage.kind,
        InboundMessage.note,
        InboundMessage.text,
        InboundMessage.guess_recipient_id,
        InboundMessage.guess_reason,
        raiseload=True,
    ),
    joinedload(InboundMessage.guess)
    .load_only(Recipient.official_id, Recipient.campaign_id, raiseload=True)
    .joinedload(Recipient.official)
    .load_only(Official.given_name, Official.family_name, raiseload=True),
    joinedload(InboundMessage.guess)
    .joinedload(Recipient.campaign)
    .load_only(Campaign.title, raiseload=True),
)


def triage_messages(session: Session) -> Sequence[InboundMessage]:
    """The messages waiting for a person, oldest first, with Hilltrack's guess."""
    return session.scalars(
        select(InboundMessage)
        .where(InboundMessage.state == InboundState.TRIAGE)
        .options(*TRIAGE_LINE)
        .order_by(InboundMessage.received_at, InboundMessage.id)
        .limit(inline_limit(TRIAGE_PAGE))
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
        .limit(inline_limit(limit))
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
            .where(  # constants in the SQL: planned once (queries/inline.py)
                InboundMessage.state == inline(InboundState.PLACED, InboundMessage.state.type),
                inline_in(InboundMessage.kind, (InboundKind.REPLY, InboundKind.AUTO_REPLY)),
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


# The Mail page: every message, a page at a time.


class MailFilter(StrEnum):
    """What the Mail page shows: everything, or one kind of message."""

    ALL = ""
    WAITING = "waiting"
    PLACED = "placed"
    NOT_OUTREACH = "not-outreach"
    UNREADABLE = "unreadable"


MAIL_PAGE = 50
SEARCH_LIMIT = 100


def _mail_query(shown: MailFilter, search: str) -> Select[InboundMessage]:
    query = select(InboundMessage)
    if shown is MailFilter.WAITING:
        query = query.where(InboundMessage.state == InboundState.TRIAGE)
    elif shown is MailFilter.PLACED:
        query = query.where(InboundMessage.state == InboundState.PLACED)
    elif shown is MailFilter.NOT_OUTREACH:
        query = query.where(InboundMessage.state == InboundState.NOT_OUTREACH)
    elif shown is MailFilter.UNREADABLE:
        query = query.where(InboundMessage.kind == InboundKind.UNREADABLE)
    words = search.casefold().split()[:4]
    for word in words:
        # Each word in the sender's name or address, or in the subject.
        query = query.where(
            or_(
                func.lower(InboundMessage.from_address).contains(word, autoescape=True),
                func.lower(InboundMessage.from_name).contains(word, autoescape=True),
                func.lower(InboundMessage.subject).contains(word, autoescape=True),
            )
        )
    # Newest first, through the indexes on (state or kind, received_at, id) and (received_at, id).
    return query.order_by(InboundMessage.received_at.desc(), InboundMessage.id.desc())


def mail_page(
    session: Session, shown: MailFilter, search: str, number: int
) -> Page[InboundMessage]:
    """One page of the Mail page's list, newest first, counted a few pages ahead only."""
    return paginate(
        session, _mail_query(shown, search[:SEARCH_LIMIT]), number, MAIL_PAGE, count_ahead=5
    )


def first_from_sender(session: Session, messages: Sequence[InboundMessage]) -> set[int]:
    """The ids among ``messages`` that are the first Hilltrack received from their sender: the
    "first message from this sender" label on the Mail page and on the message page."""
    addresses = {m.from_address for m in messages if m.from_address}
    if not addresses:
        return set()
    firsts = session.scalars(
        select(func.min(InboundMessage.id))
        .where(InboundMessage.from_address.in_(addresses))
        .group_by(InboundMessage.from_address)
    )
    return set(firsts) & {m.id for m in messages}


# Where a message could be placed: Hilltrack's guess first, then the open letters of the
# officials its sender is known as, then those a person searched for by name.


def officials_for_sender(session: Session, address: str) -> list[int]:
    """The officials an address belongs to: the directory's address, one a person said is
    theirs, or the address a letter went to (typed on the letter, not on the official)."""
    found = set(
        session.scalars(select(Official.id).where(func.lower(Official.email) == address.lower()))
    )
    found |= set(
        session.scalars(select(KnownSender.official_id).where(KnownSender.address == address))
    )
    found |= set(
        session.scalars(
            select(Recipient.official_id)
            .join(Letter, Letter.recipient_id == Recipient.id)
            .where(func.lower(Letter.to_address) == address.lower())
        )
    )
    return sorted(found)


def open_recipients_of(session: Session, official_id: int) -> list[Recipient]:
    """An official's letters in open campaigns, the latest letter first."""
    return list(
        session.scalars(
            select(Recipient)
            .join(Campaign, Campaign.id == Recipient.campaign_id)
            .where(Recipient.official_id == official_id, Campaign.status.in_(OPEN))
            .options(joinedload(Recipient.official), joinedload(Recipient.campaign))
            .order_by(Campaign.letter_on.desc().nulls_last(), Recipient.id.desc())
        )
    )


SENDER_OFFICIALS = 5


def placing_choices(session: Session, message: InboundMessage, search: str = "") -> list[Recipient]:
    """The letters a message could be placed on, the most likely first: Hilltrack's guess
    (operations/inbound.place), then the open letters of the officials the sender is known as,
    then the open letters of officials named like ``search``."""
    found: list[Recipient] = [message.guess] if message.guess is not None else []
    if message.from_address and message.kind is not InboundKind.BOUNCE:
        for official_id in officials_for_sender(session, message.from_address)[:SENDER_OFFICIALS]:
            found.extend(open_recipients_of(session, official_id))
    if search:
        found.extend(open_recipients_named(session, search))
    unique: dict[int, Recipient] = {}
    for recipient in found:
        unique.setdefault(recipient.id, recipient)
    return list(unique.values())
