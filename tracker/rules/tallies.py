"""What one recipient adds to the responsiveness tallies (models.ReplyTally): a pure rule, so
that keeping the tallies by difference and recounting them from scratch agree by construction.
What counts as a reply or an acknowledgement is rules/counting.py's."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from tracker.rules.status import figures_of

NO_REPLY = -1
ACKNOWLEDGED_ONLY = -2  # acknowledged, and no reply yet
# Kept with each day's count: the groups few enough for a whole distribution (a dozen parties,
# a dozen kinds of role). By official or campaign, a group per id, only replied or not.
WITH_DAYS = ("party", "role")
REPLIED_OR_NOT = ("official", "campaign")

TallyKey = tuple[str, dt.date, str, int]  # dimension, month, key, reply_days


@dataclass(frozen=True)
class Letter:
    """The stored facts of a recipient that the tallies count: ``sent_on`` is the first send
    unless the letter bounced (a letter that did not arrive is not counted)."""

    sent_on: dt.date | None
    reply_days: int | None
    party: str | None
    role_kind: str | None
    official_id: int
    campaign_id: int
    status: int = 0
    # Not in the reply tallies, but in the campaign's (queries.facts.campaign_tally_from_
    # recipients): a letter whose facts are all unchanged leaves its campaign's tally as it was.
    meeting_held: bool = False
    delivery_confirmed: bool = False

    @property
    def outcome(self) -> int:
        """Days to reply; or ACKNOWLEDGED_ONLY or NO_REPLY (rules.status.figures_of)."""
        figures = figures_of(self.status, self.sent_on, self.reply_days, met=False, confirmed=False)
        if figures.replied and self.reply_days is not None:
            return self.reply_days
        return ACKNOWLEDGED_ONLY if figures.acknowledged else NO_REPLY


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_before(month: dt.date, count: int) -> dt.date:
    """The first day of the month ``count`` months before ``month``'s."""
    index = month.year * 12 + month.month - 1 - count
    return dt.date(index // 12, index % 12 + 1, 1)


def contributions(letter: Letter) -> list[TallyKey]:
    """The tally rows this letter counts once in: none until it is sent."""
    if letter.sent_on is None:
        return []
    month = month_of(letter.sent_on)
    days = letter.outcome
    replied = min(days, 0)
    return [
        ("party", month, letter.party or "", days),
        ("role", month, letter.role_kind or "", days),
        ("official", month, str(letter.official_id), replied),
        ("campaign", month, str(letter.campaign_id), replied),
    ]


def tally(letters: Iterable[Letter]) -> Counter[TallyKey]:
    """Every tally row's count, from scratch."""
    counts: Counter[TallyKey] = Counter()
    for letter in letters:
        counts.update(contributions(letter))
    return counts


def difference(before: Iterable[Letter], after: Iterable[Letter]) -> Counter[TallyKey]:
    """What to add to each tally row (negative: to take away) when letters change."""
    change = tally(after)
    change.subtract(tally(before))
    return Counter({key: n for key, n in change.items() if n})
