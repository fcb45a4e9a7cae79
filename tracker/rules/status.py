"""A recipient's status, derived from what was recorded, and what the letter counts in every
figure. The rule lives here and in rules/counting.py alone: the status and figures stored on
each recipient (operations/recipient_facts.py) are this rule applied to the log."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from tracker.models import Interaction, InteractionKind
from tracker.models.enums import N_, translated
from tracker.rules.counting import (
    CLOSING_REPLIES,
    FULL_REPLIES,
    MEETINGS,
    CountsAs,
    LetterFigures,
    counts_as,
)


class RecipientStatus(enum.IntEnum):
    """In the order a letter's life moves through them (sorting follows it)."""

    NOT_SENT = 0
    BOUNCED = 1  # not delivered: to be sent another way
    SENT = 2
    ACKNOWLEDGED = 3
    REPLIED = 4
    MEETING = 5
    CLOSED = 6

    @property
    def english(self) -> str:
        return STATUS_LABELS[self][1]

    @property
    def label(self) -> str:
        """The status in the page's language."""
        return translated(*STATUS_LABELS[self])

    @property
    def slug(self) -> str:
        return self.name.lower().replace("_", "-")


STATUS_LABELS = {
    RecipientStatus.NOT_SENT: N_("RecipientStatus", "Not sent"),
    RecipientStatus.BOUNCED: N_("RecipientStatus", "Bounced"),
    RecipientStatus.SENT: N_("RecipientStatus", "Sent"),
    RecipientStatus.ACKNOWLEDGED: N_("RecipientStatus", "Acknowledged"),
    RecipientStatus.REPLIED: N_("RecipientStatus", "Replied"),
    RecipientStatus.MEETING: N_("RecipientStatus", "Meeting"),
    RecipientStatus.CLOSED: N_("RecipientStatus", "Closed"),
}


@dataclass(frozen=True)
class StatusInfo:
    status: RecipientStatus
    sent_on: dt.date | None = None
    replied_on: dt.date | None = None
    bounced: bool = False
    days_waiting: int | None = None


@dataclass(frozen=True)
class Facts:
    """What a recipient's interactions amount to; computed in Python or in one SQL aggregate."""

    first_sent: dt.date | None = None
    last_sent: dt.date | None = None
    last_bounced: dt.date | None = None
    first_reply: dt.date | None = None
    closing_reply: bool = False
    full_reply: bool = False
    meeting: bool = False
    delivery_confirmed: bool = False
    meeting_held: bool = False
    # Not kept on the recipient (its reply_days is): the first reply that counts as one, on or
    # after the first send when there is one (a reply logged before the letter went out does
    # not hide a later answer to it).
    first_counted_reply: dt.date | None = None


def facts_from(interactions: Iterable[Interaction]) -> Facts:
    """The facts of a list of interactions."""
    items = list(interactions)
    sends = [i.occurred_on for i in items if i.kind is InteractionKind.SENT]
    bounces = [i.occurred_on for i in items if i.kind is InteractionKind.BOUNCED]
    replies = [i for i in items if i.kind is InteractionKind.REPLY_RECEIVED]
    counted = [r.occurred_on for r in replies if counts_as(r.kind, r.reply_class) is CountsAs.REPLY]
    if sends:
        counted = [day for day in counted if day >= min(sends)]
    return Facts(
        first_sent=min(sends, default=None),
        last_sent=max(sends, default=None),
        last_bounced=max(bounces, default=None),
        first_reply=min((r.occurred_on for r in replies), default=None),
        closing_reply=any(r.reply_class in CLOSING_REPLIES for r in replies),
        # A reply that came by mail and waits to be classified counts as a full one.
        full_reply=any(r.reply_class in FULL_REPLIES or r.reply_class is None for r in replies),
        meeting=any(i.kind in MEETINGS for i in items),
        delivery_confirmed=any(i.kind is InteractionKind.DELIVERY_CONFIRMED for i in items),
        meeting_held=any(i.kind is InteractionKind.MEETING_HELD for i in items),
        first_counted_reply=min(counted, default=None),
    )


def status_from(facts: Facts, today: dt.date) -> StatusInfo:
    """The furthest point reached: a reply (of any class but acknowledgement) is Replied, or
    Closed when it declines; an acknowledgement alone is Acknowledged; a bounce on or after
    the last send, with nothing since that shows the letter arrived, is Bounced."""
    undelivered = facts.last_bounced is not None and (
        facts.last_sent is None or facts.last_bounced >= facts.last_sent
    )
    if facts.closing_reply:
        status = RecipientStatus.CLOSED
    elif facts.meeting:
        status = RecipientStatus.MEETING
    elif facts.full_reply:
        status = RecipientStatus.REPLIED
    elif facts.first_reply is not None:
        status = RecipientStatus.ACKNOWLEDGED
    elif undelivered:
        status = RecipientStatus.BOUNCED
    elif facts.first_sent is not None:
        status = RecipientStatus.SENT
    else:
        status = RecipientStatus.NOT_SENT
    bounced = status is RecipientStatus.BOUNCED
    sent_on = facts.first_sent if not bounced else None
    waiting = (today - sent_on).days if status is RecipientStatus.SENT and sent_on else None
    return StatusInfo(status, sent_on, facts.first_reply, bounced, waiting)


def reply_days_of(facts: Facts) -> int | None:
    """Days from the first send to the first reply that counts as one, if it came on or after
    it: a reply dated before the letter is not an answer to it (nor an acknowledgement)."""
    sent, reply = facts.first_sent, facts.first_counted_reply
    return (reply - sent).days if sent and reply and reply >= sent else None


def figures_of(
    status: int, sent_on: dt.date | None, reply_days: int | None, *, met: bool, confirmed: bool
) -> LetterFigures:
    """What a recipient counts in every figure, from what is kept on it (its status, the day
    it was sent unless it bounced, its days to reply, whether a meeting was held and delivery
    confirmed). The figures count letters that went out: a reply or acknowledgement logged
    without a send shows in the status alone."""
    sent = sent_on is not None
    answered = status in ANSWERED
    return LetterFigures(
        sent=sent,
        bounced=status == RecipientStatus.BOUNCED,
        replied=sent and reply_days is not None,
        acknowledged=sent and status == RecipientStatus.ACKNOWLEDGED,
        met=met,
        answered=answered,
        delivered=sent and (confirmed or answered or status == RecipientStatus.ACKNOWLEDGED),
    )


# The statuses of a letter no longer waiting for an answer (an acknowledgement is not one).
ANSWERED = frozenset({RecipientStatus.REPLIED, RecipientStatus.MEETING, RecipientStatus.CLOSED})


def derive_status(interactions: Iterable[Interaction], today: dt.date) -> StatusInfo:
    """A recipient's status from its interactions, in any order."""
    return status_from(facts_from(interactions), today)


# What a volunteer most likely logs next for a recipient in each status: the quick-log form
# starts there (a reply once the letter went out, not "Sent" again).
NEXT_STEP = {
    RecipientStatus.NOT_SENT: InteractionKind.SENT,
    RecipientStatus.BOUNCED: InteractionKind.SENT,
    RecipientStatus.SENT: InteractionKind.REPLY_RECEIVED,
    RecipientStatus.ACKNOWLEDGED: InteractionKind.REPLY_RECEIVED,
    RecipientStatus.REPLIED: InteractionKind.MEETING_REQUESTED,
    RecipientStatus.MEETING: InteractionKind.MEETING_HELD,
    RecipientStatus.CLOSED: InteractionKind.NOTE,
}

# The optional details each kind of entry records (the date and a summary go with every kind);
# the form shows only these, and the others are not stored.
_MEETING = frozenset({"official_attendees", "coalition_attendees", "asks_made", "commitments"})
KIND_DETAILS: dict[InteractionKind, frozenset[str]] = {
    InteractionKind.SENT: frozenset({"channel"}),
    InteractionKind.DELIVERY_CONFIRMED: frozenset({"channel"}),
    InteractionKind.BOUNCED: frozenset({"channel"}),
    InteractionKind.REPLY_RECEIVED: frozenset({"channel", "reply_class", "stance"}),
    InteractionKind.MEETING_REQUESTED: frozenset({"channel"}),
    InteractionKind.MEETING_HELD: frozenset({"channel", "stance"}) | _MEETING,
    InteractionKind.CALL: frozenset({"channel", "stance", "commitments"}),
    InteractionKind.NOTE: frozenset(),
}
DETAIL_FIELDS = frozenset().union(*KIND_DETAILS.values())


def next_step(status: int) -> InteractionKind:
    """The kind of entry most likely logged next for a recipient in ``status``."""
    return NEXT_STEP[RecipientStatus(status)]
