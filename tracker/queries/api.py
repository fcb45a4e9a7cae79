"""Reads for the JSON API: tokens by their secret, and each resource a window at a time in the
order of its ids (a cursor is the last id seen, so a sync never skips or repeats a row)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, joinedload, selectinload

from tracker.models import (
    ApiIdempotentAnswer,
    ApiToken,
    Campaign,
    FollowUp,
    InboundMessage,
    Interaction,
    Letter,
    Official,
    Recipient,
    Role,
)
from tracker.queries.facts import stored_facts
from tracker.rules.status import RecipientStatus, StatusInfo, status_from

T = TypeVar("T")
MAX_LIMIT = 100
DEFAULT_LIMIT = 50


@dataclass(frozen=True)
class Window(Generic[T]):
    """Rows after a cursor, and the id to continue after when there are more."""

    items: list[T]
    next_after: int | None


@dataclass(frozen=True)
class Filters:
    """What a syncing tool narrows a list by; None means any."""

    after: int | None = None
    limit: int = DEFAULT_LIMIT
    updated_since: dt.datetime | None = None
    campaign: int | None = None
    official: int | None = None
    status: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _window(session: Session, query: Select[Any], id_column: Any, flt: Filters) -> Window[Any]:
    """The next ``limit`` rows by id after the cursor; reads one more to know if there are more."""
    if flt.after is not None:
        query = query.where(id_column > flt.after)
    rows: list[Any] = list(session.scalars(query.order_by(id_column).limit(flt.limit + 1)).unique())
    more = len(rows) > flt.limit
    rows = rows[: flt.limit]
    return Window(rows, rows[-1].id if more and rows else None)


Condition = Callable[[Any], ColumnElement[bool]]


@dataclass(frozen=True)
class Narrowing:
    """How one resource's rows answer each filter a syncing tool may give; a filter the
    resource has no answer for (None) is not offered for it and is passed over."""

    campaign: Condition | None = None
    official: Condition | None = None
    status: Condition | None = None
    updated_since: Condition | None = None


def _narrowed(query: Select[Any], flt: Filters, by: Narrowing) -> Select[Any]:
    """The query keeping only the rows that answer every filter given."""
    for value, condition in (
        (flt.campaign, by.campaign),
        (flt.official, by.official),
        (flt.status, by.status),
        (flt.updated_since, by.updated_since),
    ):
        if value is not None and condition is not None:
            query = query.where(condition(value))
    return query


def _logged(model: type[Interaction | FollowUp], status_column: Any) -> Narrowing:
    """Rows kept about an official and, when about a letter, placed on its recipient (the log's
    entries, follow-ups): ``status`` filters by the given column."""
    return Narrowing(
        campaign=lambda campaign: _on_recipients(
            model.recipient_id, Recipient.campaign_id == campaign
        ),
        official=lambda official: model.official_id == official,
        status=lambda status: status_column == status,
        updated_since=lambda since: model.updated_at >= since,
    )


def _on_recipients(
    recipient_id: InstrumentedAttribute[int | None], where: ColumnElement[bool]
) -> ColumnElement[bool]:
    """Rows placed on a recipient that answers ``where``."""
    return recipient_id.in_(select(Recipient.id).where(where))


def token_by_hash(session: Session, digest: str) -> ApiToken | None:
    """The token whose secret has this hash, with its owner loaded."""
    return session.scalar(
        select(ApiToken).where(ApiToken.secret_hash == digest).options(joinedload(ApiToken.user))
    )


def tokens_of(session: Session, user_id: int) -> Sequence[ApiToken]:
    """A person's tokens, newest first (revoked ones too: the page says so)."""
    return session.scalars(
        select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())
    ).all()


def remembered_answer(session: Session, token_id: int, key: str) -> ApiIdempotentAnswer | None:
    """What an earlier write with this Idempotency-Key answered, if there was one."""
    return session.scalar(
        select(ApiIdempotentAnswer).where(
            ApiIdempotentAnswer.token_id == token_id, ApiIdempotentAnswer.key == key
        )
    )


def official_id_by_person_id(session: Session, person_id: int) -> int | None:
    """The id of the official with this House of Commons PersonId, if there is one."""
    return session.scalar(select(Official.id).where(Official.ourcommons_id == person_id))


def officials(session: Session, flt: Filters) -> Window[Official]:
    """Officials with their roles (and each role's organisation)."""
    query = select(Official).options(
        selectinload(Official.roles).selectinload(Role.organisation),
        selectinload(Official.identifiers),
    )
    query = _narrowed(
        query,
        flt,
        Narrowing(
            official=lambda official: Official.id == official,
            updated_since=lambda since: Official.updated_at >= since,
        ),
    )
    return _window(session, query, Official.id, flt)


def campaigns(session: Session, flt: Filters) -> Window[Campaign]:
    """Campaigns with their signatories."""
    query = select(Campaign).options(selectinload(Campaign.signatories))
    query = _narrowed(
        query,
        flt,
        Narrowing(
            campaign=lambda campaign: Campaign.id == campaign,
            status=lambda status: Campaign.status == status,
            updated_since=lambda since: Campaign.updated_at >= since,
        ),
    )
    return _window(session, query, Campaign.id, flt)


@dataclass(frozen=True)
class RecipientState:
    """A campaign's recipient as the campaign page shows it: status by the one rule, and where
    its e-mailed letter stands (None when it was never e-mailed)."""

    recipient: Recipient
    info: StatusInfo
    letter_state: str | None


def _touched_since(since: dt.datetime) -> ColumnElement[bool]:
    """Recipients added since, or whose log changed since (what changes their status)."""
    changed = select(Interaction.recipient_id).where(
        Interaction.updated_at >= since, Interaction.recipient_id.is_not(None)
    )
    return or_(Recipient.created_at >= since, Recipient.id.in_(changed))


def recipients(session: Session, flt: Filters, today: dt.date) -> Window[RecipientState]:
    """A campaign's (or an official's) recipients, each with its status and letter state."""
    query = _narrowed(
        select(Recipient),
        flt,
        Narrowing(
            campaign=lambda campaign: Recipient.campaign_id == campaign,
            official=lambda official: Recipient.official_id == official,
            status=lambda slug: Recipient.status == RecipientStatus[slug.upper()].value,
            updated_since=_touched_since,
        ),
    )
    window: Window[Recipient] = _window(session, query, Recipient.id, flt)
    letters = _latest_letter_states(session, [r.id for r in window.items])
    return Window(
        [
            RecipientState(r, status_from(stored_facts(r), today), letters.get(r.id))
            for r in window.items
        ],
        window.next_after,
    )


def _latest_letter_states(session: Session, recipient_ids: list[int]) -> dict[int, str]:
    newest = (
        select(Letter.recipient_id, Letter.state)
        .where(Letter.recipient_id.in_(recipient_ids))
        .order_by(Letter.recipient_id, Letter.id)
    )
    # In id order: the last one read for a recipient is its newest.
    return {rid: state.value for rid, state in session.execute(newest)}


def interactions(session: Session, flt: Filters) -> Window[Interaction]:
    """Entries of the log, with the campaign they belong to."""
    query = select(Interaction).options(joinedload(Interaction.recipient))
    query = _narrowed(query, flt, _logged(Interaction, Interaction.kind))
    return _window(session, query, Interaction.id, flt)


def follow_ups(session: Session, flt: Filters) -> Window[FollowUp]:
    """Follow-ups, with the campaign each concerns."""
    query = select(FollowUp).options(joinedload(FollowUp.recipient))
    query = _narrowed(query, flt, _logged(FollowUp, FollowUp.status))
    return _window(session, query, FollowUp.id, flt)


def inbound_messages(session: Session, flt: Filters) -> Window[InboundMessage]:
    """Mail that came back, with the recipient it was placed on."""
    query = select(InboundMessage).options(joinedload(InboundMessage.recipient))
    query = _narrowed(
        query,
        flt,
        Narrowing(
            campaign=lambda campaign: _on_recipients(
                InboundMessage.recipient_id, Recipient.campaign_id == campaign
            ),
            # A message knows its official only through the recipient it was placed on.
            official=lambda official: _on_recipients(
                InboundMessage.recipient_id, Recipient.official_id == official
            ),
            status=lambda state: InboundMessage.state == state,
            updated_since=lambda since: or_(
                InboundMessage.received_at >= since, InboundMessage.handled_at >= since
            ),
        ),
    )
    return _window(session, query, InboundMessage.id, flt)
