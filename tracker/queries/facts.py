"""Status facts: as stored on each recipient, and as aggregated afresh from the log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, case, func, select
from sqlalchemy.orm import Session

from tracker.models import (
    CampaignTally,
    Interaction,
    InteractionKind,
    Recipient,
)
from tracker.rules.status import (
    CLOSING_REPLIES,
    FULL_REPLIES,
    MEETINGS,
    Facts,
)

# Facts field -> the Recipient column that stores it (operations.recipient_facts writes them).
STORED_FACTS = {
    "first_sent": Recipient.first_sent_on,
    "last_sent": Recipient.last_sent_on,
    "last_bounced": Recipient.last_bounced_on,
    "first_reply": Recipient.first_reply_on,
    "closing_reply": Recipient.closing_reply,
    "full_reply": Recipient.full_reply,
    "meeting": Recipient.meeting,
    "delivery_confirmed": Recipient.delivery_confirmed,
    "meeting_held": Recipient.meeting_held,
}


def stored_facts(recipient: Any) -> Facts:
    """The facts kept on a recipient row (a Recipient, or a row selecting these columns)."""
    return Facts(**{name: getattr(recipient, column.key) for name, column in STORED_FACTS.items()})


def facts_from_log(db: Session | Connection, recipient_ids: list[int]) -> list[tuple[int, Facts]]:
    """(recipient id, status facts) of these recipients, aggregated from the log in one query:
    the interactions themselves are never loaded."""
    i = Interaction
    kind, reply = i.kind, i.reply_class

    def when(condition: ColumnElement[bool], value: Any) -> Any:
        return case((condition, value))

    def flag(condition: ColumnElement[bool]) -> Any:
        return func.max(case((condition, 1), else_=0))

    query = (
        select(
            Recipient.id,
            func.min(when(kind == InteractionKind.SENT, i.occurred_on)),
            func.max(when(kind == InteractionKind.SENT, i.occurred_on)),
            func.max(when(kind == InteractionKind.BOUNCED, i.occurred_on)),
            func.min(when(kind == InteractionKind.REPLY_RECEIVED, i.occurred_on)),
            flag((kind == InteractionKind.REPLY_RECEIVED) & reply.in_(CLOSING_REPLIES)),
            flag(
                (kind == InteractionKind.REPLY_RECEIVED)
                & (reply.in_(FULL_REPLIES) | reply.is_(None))
            ),
            flag(kind.in_(MEETINGS)),
            flag(kind == InteractionKind.DELIVERY_CONFIRMED),
            flag(kind == InteractionKind.MEETING_HELD),
        )
        .outerjoin(i, i.recipient_id == Recipient.id)
        .where(Recipient.id.in_(recipient_ids))
        .group_by(Recipient.id)
    )
    return [
        (
            row[0],
            Facts(
                first_sent=as_date(row[1]),
                last_sent=as_date(row[2]),
                last_bounced=as_date(row[3]),
                first_reply=as_date(row[4]),
                closing_reply=bool(row[5]),
                full_reply=bool(row[6]),
                meeting=bool(row[7]),
                delivery_confirmed=bool(row[8]),
                meeting_held=bool(row[9]),
            ),
        )
        for row in db.execute(query)
    ]


def as_date(value: Any) -> dt.date | None:
    # SQLite returns MIN/MAX of dates as text; PostgreSQL as dates.
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


# CampaignTally's columns, in the order campaign_tally_from_recipients selects them.
CAMPAIGN_TALLY_COLUMNS = (
    CampaignTally.campaign_id,
    CampaignTally.sent_on,
    CampaignTally.recipients,
    CampaignTally.delivered,
    CampaignTally.replied,
    CampaignTally.met,
    CampaignTally.answered,
)


def campaign_tally_from_recipients(
    campaign_ids: list[int] | None = None,
) -> Select[*tuple[Any, ...]]:
    """What the campaign tallies should hold, counted afresh from the recipients' stored facts
    (of these campaigns, or of all): one row per campaign and first-send day."""
    r = Recipient
    answered = r.first_reply_on.is_not(None) | r.meeting.is_(True)

    def number(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.count(case((condition, 1)))

    query: Select[*tuple[Any, ...]] = select(
        r.campaign_id,
        r.first_sent_on,
        func.count(),
        number(r.delivery_confirmed.is_(True) | answered),
        func.count(r.first_reply_on),
        number(r.meeting_held.is_(True)),
        number(answered),
    ).group_by(r.campaign_id, r.first_sent_on)
    if campaign_ids is not None:
        query = query.where(r.campaign_id.in_(campaign_ids))
    return query
