"""What each interaction counts as, and what a letter counts as in every figure.

Every figure a coordinator can quote reads this rule: the recipient's status (rules/status.py),
the campaign and reply tallies (operations/tallies.py), the dashboard, Responsiveness, the
campaign and official pages and the exports.

- A reply received counts as a **reply** unless its class is "acknowledgement"; a reply nobody
  has classified yet counts as a reply until someone does.
- An **acknowledgement** (an automatic notice, a "we received your letter") counts as
  acknowledged, never as replied.
- A **bounce** means the letter did not arrive: bounced, until it is sent again.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from tracker.models import InteractionKind, ReplyClass

ACKNOWLEDGING = frozenset({ReplyClass.ACKNOWLEDGEMENT})
# Replies that close the matter (a refusal, nothing more to expect) and the other replies.
CLOSING_REPLIES = frozenset({ReplyClass.DECLINED, ReplyClass.NOT_EXPECTED})
FULL_REPLIES = frozenset({ReplyClass.SUBSTANTIVE, ReplyClass.FORM_LETTER})
# Every class is one of the three (and an unclassified reply is a full one): a class added to
# ReplyClass must be placed here (tests/test_figures.py checks it).
MEETINGS = frozenset({InteractionKind.MEETING_HELD, InteractionKind.MEETING_REQUESTED})


class CountsAs(enum.Enum):
    """What one interaction counts as in the figures."""

    SENT = "sent"
    DELIVERED = "delivered"
    BOUNCED = "bounced"
    REPLY = "replied"
    ACKNOWLEDGEMENT = "acknowledged"
    MEETING = "meeting"
    NOTHING = ""


def counts_as(kind: InteractionKind, reply_class: ReplyClass | None) -> CountsAs:
    """What an interaction of this kind (and, for a reply, this class) counts as."""
    if kind is InteractionKind.REPLY_RECEIVED:
        return CountsAs.ACKNOWLEDGEMENT if reply_class in ACKNOWLEDGING else CountsAs.REPLY
    return _BY_KIND.get(kind, CountsAs.NOTHING)


_BY_KIND = {
    InteractionKind.SENT: CountsAs.SENT,
    InteractionKind.DELIVERY_CONFIRMED: CountsAs.DELIVERED,
    InteractionKind.BOUNCED: CountsAs.BOUNCED,
    InteractionKind.MEETING_REQUESTED: CountsAs.MEETING,
    InteractionKind.MEETING_HELD: CountsAs.MEETING,
}


def is_reply(kind: InteractionKind, reply_class: ReplyClass | None) -> bool:
    return counts_as(kind, reply_class) is CountsAs.REPLY


@dataclass(frozen=True)
class LetterFigures:
    """What one recipient's letter counts in: each flag is one recipient in that figure.

    ``sent``: the letter went out and did not bounce back; ``bounced``: it came back and was
    not sent again (the status Bounced); ``replied``: a reply came (of any class but
    acknowledgement); ``acknowledged``: acknowledged and nothing further (the status
    Acknowledged); ``met``: a meeting was held; ``answered``: a reply or a meeting, no longer
    waiting; ``delivered``: known to have arrived."""

    sent: bool
    bounced: bool
    replied: bool
    acknowledged: bool
    met: bool
    answered: bool
    delivered: bool


FIGURE_NAMES = ("sent", "bounced", "replied", "acknowledged", "met", "answered", "delivered")
