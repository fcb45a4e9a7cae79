"""Figures coordinators can trust: responsiveness with counts and intervals, campaign progress.

Every figure carries its count; intervals are given only where n >= 10, and smaller groups are
listed as too small rather than ranked (as WriteToThem does for its response tables).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Integer, case, cast, func, select
from sqlalchemy.orm import Session

from tracker.models import (
    Campaign,
    CampaignStatus,
    CampaignTally,
    Official,
    Recipient,
    ReplyTally,
    RoleKind,
)
from tracker.queries.pagination import Page, page_of
from tracker.rules.tallies import ACKNOWLEDGED_ONLY, month_of

MIN_GROUP = 10
Z95 = 1.959963984540054
GROUPINGS = {
    "official": _l("Official"),
    "party": _l("Party"),
    "role_kind": _l("Role"),
    "campaign": _l("Campaign"),
}


@dataclass(frozen=True)
class Figure:
    """One group's responsiveness."""

    name: str
    sent: int
    replied: int
    acknowledged: int  # acknowledged only: no reply yet
    rate: float
    rate_interval: tuple[float, float] | None
    median_days: float | None
    median_interval: tuple[float, float] | None

    @property
    def ranked(self) -> bool:
        return self.sent >= MIN_GROUP


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a proportion (sound at small n and near 0 or 1)."""
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def median_interval(values: list[float], z: float = Z95) -> tuple[float, float]:
    """A distribution-free ~95% interval for the median, from order statistics."""
    ordered = sorted(values)
    n = len(ordered)
    low = max(1, math.floor(n / 2 - z * math.sqrt(n) / 2))
    high = min(n, math.ceil(1 + n / 2 + z * math.sqrt(n) / 2))
    return ordered[low - 1], ordered[high - 1]


# The tally each grouping is counted from (models.ReplyTally), and for a group per id, the
# recipient column whose shown groups' days to reply are read from the recipients.
DIMENSIONS = {"official": "official", "party": "party", "role_kind": "role", "campaign": "campaign"}
ID_COLUMNS = {"official": Recipient.official_id, "campaign": Recipient.campaign_id}


def period_months(since: dt.date | None, until: dt.date | None) -> tuple[dt.date, dt.date]:
    """The whole months a period covers: responsiveness is counted by the month a letter was
    first sent, from the first day of ``since``'s month to the last of ``until``'s."""
    first = month_of(since) if since else dt.date.min
    last = month_of(until) if until else dt.date.max.replace(day=1)
    return first, last


def _month_after(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)


def _tallied(
    session: Session, by: str, since: dt.date | None, until: dt.date | None
) -> dict[str, Counter[int]]:
    """Per group key: how many letters of the period got no reply (NO_REPLY), an
    acknowledgement only (ACKNOWLEDGED_ONLY), and a reply after each number of days (by
    official or campaign: 0 for every reply). One GROUP BY over a few rows a month, however
    many letters the months hold."""
    first, last = period_months(since, until)
    query = (
        select(ReplyTally.key, ReplyTally.reply_days, cast(func.sum(ReplyTally.n), Integer))
        .where(
            ReplyTally.dimension == DIMENSIONS[by],
            ReplyTally.month >= first,
            ReplyTally.month <= last,
        )
        .group_by(ReplyTally.key, ReplyTally.reply_days)
    )
    found: dict[str, Counter[int]] = {}
    for key, days, n in session.execute(query):
        if n:
            counts = found.get(key)
            if counts is None:  # (setdefault would make a Counter for every row)
                counts = found[key] = Counter()
            counts[days] += n
    return found


def _tallied_totals(
    session: Session, by: str, since: dt.date | None, until: dt.date | None
) -> dict[str, tuple[int, int, int]]:
    """By official or campaign (a group per id, whose days to reply are read apart): per group
    key, how many letters of the period were sent, replied to and acknowledged only, added up
    by the database (a row per official, rather than one per official and outcome)."""
    first, last = period_months(since, until)
    t = ReplyTally

    def total(value: Any) -> ColumnElement[int]:
        # PostgreSQL's SUM of integers is a bigint.
        return cast(func.sum(value), Integer)

    query = (
        select(
            t.key,
            total(t.n),
            total(case((t.reply_days >= 0, t.n), else_=0)),
            total(case((t.reply_days == ACKNOWLEDGED_ONLY, t.n), else_=0)),
        )
        .where(t.dimension == DIMENSIONS[by], t.month >= first, t.month <= last)
        .group_by(t.key)
    )
    return {key: (sent, replied, ack) for key, sent, replied, ack in session.execute(query) if sent}


def _days_of(
    session: Session, by: str, keys: list[Any], since: dt.date | None, until: dt.date | None
) -> dict[Any, Counter[int]]:
    """By official or campaign, the days to reply of the groups shown, from their recipients
    (read through an index led by the official or campaign: a page of groups at a time)."""
    if not keys:
        return {}
    column = ID_COLUMNS[by]
    keys = [int(key) for key in keys]
    first, last = period_months(since, until)
    query = (
        select(column, Recipient.reply_days, func.count())
        .where(column.in_(keys), Recipient.reply_days.is_not(None))
        .group_by(column, Recipient.reply_days)
    )
    if since:
        query = query.where(Recipient.first_sent_on >= first)
    if until:
        query = query.where(Recipient.first_sent_on < _month_after(last))
    found: dict[Any, Counter[int]] = {}
    for key, days, n in session.execute(query):
        if days is not None:  # (none are: the query asks for replies)
            counts = found.get(key)
            if counts is None:  # (setdefault would make a Counter for every row)
                counts = found[key] = Counter()
            counts[days] += n
    return found


def _names(session: Session, by: str) -> dict[Any, tuple[Hashable, str]]:
    """For each key, the group it belongs to and the name shown. Officials and campaigns are
    told apart by id (two people of the same name stay two); parties and roles by the name, so
    a blank party and a missing one are both "No party"."""
    found: dict[Any, tuple[Hashable, str]] = {"": ("", _("Not recorded"))}
    if by == "party":
        found[""] = ("No party", _("No party"))
    elif by == "official":
        for oid, given, family in session.execute(
            select(Official.id, Official.given_name, Official.family_name)
        ):
            found[str(oid)] = (oid, f"{given} {family}")
    elif by == "role_kind":
        for kind in RoleKind:
            found[kind.value] = (kind.english, kind.label)
    elif by == "campaign":
        for cid, title in session.execute(select(Campaign.id, Campaign.title)):
            found[str(cid)] = (cid, title)
    return found


@dataclass(frozen=True)
class _Group:
    name: str
    sent: int
    replied: int
    acknowledged: int
    key: Any = None  # by official or campaign: the id whose delays are read when shown
    delays: Counter[int] | None = None  # days to reply -> how many replies took that long

    @property
    def order(self) -> tuple[bool, float, str]:
        """Ranked groups first, by reply rate; then the small ones by name."""
        ranked = self.sent >= MIN_GROUP
        return (not ranked, -self.replied / self.sent if ranked else 0, self.name)


def _groups(
    session: Session, by: str, since: dt.date | None, until: dt.date | None
) -> list[_Group]:
    """Every group, counted and ranked. By official or campaign (a group per id, one per MP)
    only replied or not is tallied; the delays of the groups shown are read by _with_delays."""
    if by not in GROUPINGS:
        raise ValueError(by)
    names = _names(session, by)
    if by in ID_COLUMNS:
        return _id_groups(names, _tallied_totals(session, by, since, until))
    shown: dict[Hashable, str] = {}
    sent: dict[Hashable, int] = {}
    replied: dict[Hashable, int] = {}
    acknowledged: dict[Hashable, int] = {}
    days: dict[Hashable, Counter[int]] = {}
    for key, counts in _tallied(session, by, since, until).items():
        identity, shown[identity] = names.get(key, (key, key))
        total = answered = 0
        for d, n in counts.items():
            total += n
            if d >= 0:
                answered += n
        sent[identity] = sent.get(identity, 0) + total
        replied[identity] = replied.get(identity, 0) + answered
        acknowledged[identity] = acknowledged.get(identity, 0) + counts[ACKNOWLEDGED_ONLY]
        kept = days.get(identity)
        if kept is None:
            kept = days[identity] = Counter()
        kept.update({d: n for d, n in counts.items() if d >= 0})
    return sorted(
        (_Group(shown[i], sent[i], replied[i], acknowledged[i], delays=days[i]) for i in shown),
        key=lambda g: g.order,
    )


def _id_groups(
    names: dict[Any, tuple[Hashable, str]], totals: dict[str, tuple[int, int, int]]
) -> list[_Group]:
    """A group per official or campaign, ranked; their delays are read for those shown. (Two
    keys of one id, as a blank and a missing one, are one group.)"""
    shown: dict[Hashable, str] = {}
    added: dict[Hashable, tuple[int, int, int]] = {}
    for key, (sent, replied, acknowledged) in totals.items():
        identity, shown[identity] = names.get(key, (key, key))
        before = added.get(identity)
        if before is not None:
            sent, replied = sent + before[0], replied + before[1]
            acknowledged += before[2]
        added[identity] = (sent, replied, acknowledged)
    return sorted(
        (_Group(shown[i], *added[i], key=i) for i in shown),
        key=lambda g: g.order,
    )


def _with_delays(
    session: Session,
    by: str,
    groups: list[_Group],
    since: dt.date | None,
    until: dt.date | None,
) -> list[_Group]:
    """The groups with their delays, read in one query for those that lack them."""
    wanted = [g.key for g in groups if g.delays is None]
    found = _days_of(session, by, wanted, since, until)
    return [
        g if g.delays is not None else replace(g, delays=found.get(g.key, Counter()))
        for g in groups
    ]


def responsiveness(
    session: Session, by: str, since: dt.date | None = None, until: dt.date | None = None
) -> list[Figure]:
    """Reply rate and median days to reply per group, for the letters first sent in the
    period's months; ranked groups first, by reply rate. A reply counts when it came on or
    after the first send (see operations.recipient_facts)."""
    groups = _groups(session, by, since, until)
    return [_figure(g) for g in _with_delays(session, by, groups, since, until)]


def responsiveness_page(
    session: Session,
    by: str,
    number: int,
    size: int,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Page[Figure]:
    """One page of responsiveness(): every group is counted and ranked, but delays, medians
    and intervals are worked out only for the groups shown (by official, one per MP)."""
    page = page_of(_groups(session, by, since, until), number, size)
    shown = _with_delays(session, by, page.items, since, until)
    return Page([_figure(g) for g in shown], page.number, page.total, size)


def _figure(group: _Group) -> Figure:
    days = sorted((group.delays or Counter()).elements())
    replied, sent = len(days), group.sent
    return Figure(
        name=group.name,
        sent=sent,
        replied=replied,
        acknowledged=group.acknowledged,
        rate=replied / sent,
        rate_interval=wilson_interval(replied, sent) if sent >= MIN_GROUP else None,
        median_days=float(statistics.median(days)) if days else None,
        median_interval=(
            median_interval([float(d) for d in days]) if replied >= MIN_GROUP else None
        ),
    )


@dataclass(frozen=True)
class Progress:
    """How many recipients were sent the letter, had it delivered, replied, only acknowledged
    it, had it bounce, met, and have waited longer than the dashboard's days for an answer
    (what counts as each: rules.counting)."""

    recipients: int = 0
    sent: int = 0
    delivered: int = 0
    replied: int = 0
    acknowledged: int = 0
    bounced: int = 0
    met: int = 0
    waiting: int = 0


FIGURES = (
    "recipients",
    "sent",
    "delivered",
    "replied",
    "acknowledged",
    "bounced",
    "met",
    "waiting",
)


@dataclass(frozen=True)
class CampaignProgress:
    campaign: Campaign
    figures: Progress


def _progress_columns(waiting_days: int, today: dt.date) -> list[ColumnElement[int]]:
    """Progress's figures, in its order, as sums over the campaign tallies."""
    t = CampaignTally
    cutoff = today - dt.timedelta(days=waiting_days)

    def total(value: Any) -> ColumnElement[int]:
        # PostgreSQL's SUM of integers is a bigint or numeric, and NULL over no rows.
        return cast(func.coalesce(func.sum(value), 0), Integer)

    return [
        total(t.recipients),
        total(case((t.sent_on.is_not(None), t.recipients), else_=0)),
        total(t.delivered),
        total(t.replied),
        total(t.acknowledged),
        total(t.bounced),
        total(t.met),
        total(case((t.sent_on < cutoff, t.recipients - t.answered), else_=0)),
    ]


def progress(
    session: Session, campaigns: list[Campaign], waiting_days: int, today: dt.date
) -> list[CampaignProgress]:
    """For each campaign: how many were sent, delivered, replied, met, and waiting longer than
    ``waiting_days`` for an answer (one GROUP BY over the campaigns' tallies: a few rows each,
    whatever their number of recipients)."""
    query = (
        select(CampaignTally.campaign_id, *_progress_columns(waiting_days, today))
        .where(CampaignTally.campaign_id.in_([c.id for c in campaigns]))
        .group_by(CampaignTally.campaign_id)
    )
    counts = {row[0]: _figures(row[1:]) for row in session.execute(query)}
    return [CampaignProgress(c, counts.get(c.id, Progress())) for c in campaigns]


def _figures(values: Sequence[Any]) -> Progress:
    return Progress(**dict(zip(FIGURES, values, strict=True)))


def active_progress(session: Session, waiting_days: int, today: dt.date) -> Progress:
    """Progress over every active campaign at once: one aggregate over their tallies."""
    query = (
        select(*_progress_columns(waiting_days, today))
        .join(Campaign, Campaign.id == CampaignTally.campaign_id)
        .where(Campaign.status == CampaignStatus.ACTIVE)
    )
    return _figures(session.execute(query).one())
