"""Status facts: as stored on each recipient, and as aggregated afresh from the log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Connection, case, func, select
from sqlalchemy.orm import Session

from tracker.models import (
    CampaignTally,
    Interaction,
    InteractionKind,
    Recipient,
    ReplyClass,
)
from tracker.queries.inline import inline, inline_in
from tracker.rules.counting import ACKNOWLEDGING, CLOSING_REPLIES, FULL_REPLIES, MEETINGS
from tracker.rules.status import Facts, figures_of

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
    # Every constant written into the SQL (queries/inline.py): only the recipients vary, and
    # PostgreSQL plans the statement once for all of a connection's writes.
    one, zero = inline(1), inline(0)

    def of_kind(*kinds: InteractionKind) -> ColumnElement[bool]:
        return inline_in(kind, kinds)

    def of_class(classes: Iterable[ReplyClass]) -> ColumnElement[bool]:
        return inline_in(reply, classes)

    def when(condition: ColumnElement[bool], value: Any) -> Any:
        return case((condition, value))

    def flag(condition: ColumnElement[bool]) -> Any:
        return func.max(case((condition, one), else_=zero))

    sent, replied = of_kind(InteractionKind.SENT), of_kind(InteractionKind.REPLY_RECEIVED)
    # Each recipient's first send, joined once: the first counted reply is read from it on.
    first_sends = (
        select(i.recipient_id, func.min(i.occurred_on).label("on"))
        .where(sent, i.recipient_id.in_(recipient_ids))
        .group_by(i.recipient_id)
        .subquery()
    )
    query = (
        select(
            Recipient.id,
            func.min(when(sent, i.occurred_on)),
            func.max(when(sent, i.occurred_on)),
            func.max(when(of_kind(InteractionKind.BOUNCED), i.occurred_on)),
            func.min(when(replied, i.occurred_on)),
            flag(replied & of_class(CLOSING_REPLIES)),
            flag(replied & (of_class(FULL_REPLIES) | reply.is_(None))),
            flag(of_kind(*MEETINGS)),
            flag(of_kind(InteractionKind.DELIVERY_CONFIRMED)),
            flag(of_kind(InteractionKind.MEETING_HELD)),
            # The rule (rules/counting.py): a reply unless it is an acknowledgement, on or
            # after the first send when there is one.
            func.min(
                when(
                    replied
                    & (reply.is_(None) | ~of_class(ACKNOWLEDGING))
                    & (first_sends.c.on.is_(None) | (i.occurred_on >= first_sends.c.on)),
                    i.occurred_on,
                )
            ),
        )
        .outerjoin(i, i.recipient_id == Recipient.id)
        .outerjoin(first_sends, first_sends.c.recipient_id == Recipient.id)
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
                first_counted_reply=as_date(row[10]),
            ),
        )
        for row in db.execute(query)
    ]


def as_date(value: Any) -> dt.date | None:
    # SQLite returns MIN/MAX of dates as text; PostgreSQL as dates.
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


# CampaignTally's columns, in the order campaign_tally_from_recipients gives them.
CAMPAIGN_TALLY_COLUMNS = (
    CampaignTally.campaign_id,
    CampaignTally.sent_on,
    CampaignTally.recipients,
    CampaignTally.delivered,
    CampaignTally.replied,
    CampaignTally.acknowledged,
    CampaignTally.bounced,
    CampaignTally.met,
    CampaignTally.answered,
)
# The figures (rules.counting.LetterFigures) each tally counts, after its recipients.
TALLIED_FIGURES = ("delivered", "replied", "acknowledged", "bounced", "met", "answered")
_KEPT = (
    Recipient.campaign_id,
    Recipient.sent_on,
    Recipient.status,
    Recipient.reply_days,
    Recipient.meeting_held,
    Recipient.delivery_confirmed,
)
TallyRow = tuple[int, dt.date | None, int, int, int, int, int, int, int]


def campaign_tally_from_recipients(
    db: Session | Connection, campaign_ids: list[int] | None = None
) -> list[TallyRow]:
    """What the campaign tallies should hold, counted afresh from the recipients' stored facts
    (of these campaigns, or of all) by the rule (rules.status.figures_of): one row per
    campaign and day sent (None: not sent, or bounced), in CAMPAIGN_TALLY_COLUMNS' order."""
    query = select(*_KEPT)
    if campaign_ids is not None:
        query = query.where(Recipient.campaign_id.in_(campaign_ids))
    counts: dict[tuple[int, dt.date | None], list[int]] = {}
    for campaign_id, sent_on, status, reply_days, met, confirmed in db.execute(
        query.execution_options(yield_per=5000)
    ):
        figures = figures_of(status, sent_on, reply_days, met=met, confirmed=confirmed)
        row = counts.setdefault((campaign_id, sent_on), [0] * (1 + len(TALLIED_FIGURES)))
        row[0] += 1
        for n, name in enumerate(TALLIED_FIGURES, start=1):
            row[n] += getattr(figures, name)
    return [
        (campaign_id, sent_on, *row)  # type: ignore[misc]
        for (campaign_id, sent_on), row in sorted(counts.items(), key=_tally_order)
    ]


def _tally_order(item: tuple[tuple[int, dt.date | None], list[int]]) -> tuple[int, str]:
    (campaign_id, sent_on), _ = item
    return campaign_id, sent_on.isoformat() if sent_on else ""
