"""A recipient's status, derived from what was recorded: never stored, so never stale."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from tracker.models import Interaction, InteractionKind, ReplyClass


class RecipientStatus(enum.IntEnum):
    """In the order a letter's life moves through them (sorting follows it)."""

    NOT_SENT = 0
    SENT = 1
    ACKNOWLEDGED = 2
    REPLIED = 3
    MEETING = 4
    CLOSED = 5

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").capitalize()

    @property
    def slug(self) -> str:
        return self.name.lower().replace("_", "-")


CLOSING_REPLIES = {ReplyClass.DECLINED, ReplyClass.NOT_EXPECTED}


@dataclass(frozen=True)
class StatusInfo:
    status: RecipientStatus
    sent_on: dt.date | None = None
    replied_on: dt.date | None = None
    bounced: bool = False
    days_waiting: int | None = None


def derive_status(interactions: Iterable[Interaction], today: dt.date) -> StatusInfo:
    """The furthest point reached, from this recipient's interactions in any order."""
    by_date = sorted(interactions, key=lambda i: (i.occurred_on, i.id or 0))
    sends = [i.occurred_on for i in by_date if i.kind is InteractionKind.SENT]
    bounced = [i.occurred_on for i in by_date if i.kind is InteractionKind.BOUNCED]
    replies = [i for i in by_date if i.kind is InteractionKind.REPLY_RECEIVED]
    kinds = {i.kind for i in by_date}
    # A bounce after the last send means the letter has not reached them.
    undelivered = bool(bounced) and (not sends or bounced[-1] >= sends[-1])
    sent_on = sends[0] if sends and not undelivered else None
    replied_on = replies[0].occurred_on if replies else None
    if any(r.reply_class in CLOSING_REPLIES for r in replies):
        status = RecipientStatus.CLOSED
    elif kinds & {InteractionKind.MEETING_HELD, InteractionKind.MEETING_REQUESTED}:
        status = RecipientStatus.MEETING
    elif any(r.reply_class in {ReplyClass.SUBSTANTIVE, ReplyClass.FORM_LETTER} for r in replies):
        status = RecipientStatus.REPLIED
    elif replies:
        status = RecipientStatus.ACKNOWLEDGED
    elif sent_on is not None:
        status = RecipientStatus.SENT
    else:
        status = RecipientStatus.NOT_SENT
    waiting = (today - sent_on).days if status is RecipientStatus.SENT and sent_on else None
    return StatusInfo(status, sent_on, replied_on, undelivered, waiting)
