"""Figures coordinators can trust: responsiveness with counts and intervals, campaign progress.

Every figure carries its count; intervals are given only where n >= 10, and smaller groups are
listed as too small rather than ranked (as WriteToThem does for its response tables).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from tracker.models import Campaign, Official, Recipient, Role

MIN_GROUP = 10
Z95 = 1.959963984540054
GROUPINGS = {"official": "Official", "party": "Party", "role_kind": "Role", "campaign": "Campaign"}


@dataclass(frozen=True)
class Figure:
    """One group's responsiveness."""

    name: str
    sent: int
    replied: int
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


def _group_key(by: str) -> tuple[Any, ...]:
    """The columns a grouping is keyed and named by (officials and campaigns by id, so two
    people with the same name stay two)."""
    if by == "official":
        return Official.id, Official.given_name, Official.family_name
    if by == "party":
        return (Official.party,)
    if by == "role_kind":
        return (Role.kind,)
    return Campaign.id, Campaign.title


def _group_name(by: str, key: tuple[Any, ...]) -> str:
    if by == "official":
        return f"{key[1]} {key[2]}"
    if by == "party":
        return key[0] or "No party"
    if by == "role_kind":
        return key[0].label if key[0] else "Not recorded"
    return str(key[1])


def _reply_days(
    session: Session, by: str, since: dt.date | None, until: dt.date | None
) -> dict[tuple[Any, ...], tuple[int, list[int]]]:
    """Per group: how many recipients were sent a letter in the period, and the days each
    reply took, sorted. One GROUP BY over the stored facts: a histogram of days to reply per
    group, so the rows fetched grow with the number of distinct delays, not with the log."""
    key = _group_key(by)
    query = select(*key, Recipient.reply_days, func.count()).select_from(Recipient)
    # Join only the table the grouping names: each join costs a lookup per recipient.
    if by in ("official", "party"):
        query = query.join(Official, Official.id == Recipient.official_id)
    elif by == "role_kind":
        query = query.outerjoin(Role, Role.id == Recipient.role_id)
    else:
        query = query.join(Campaign, Campaign.id == Recipient.campaign_id)
    query = (
        query.where(Recipient.first_sent_on.is_not(None))
        .group_by(*key, Recipient.reply_days)
        .order_by(Recipient.reply_days)
    )
    if since:
        query = query.where(Recipient.first_sent_on >= since)
    if until:
        query = query.where(Recipient.first_sent_on <= until)
    groups: dict[tuple[Any, ...], tuple[int, list[int]]] = {}
    for *group, days, count in session.execute(query):
        sent, replies = groups.get(tuple(group), (0, []))
        if days is not None:
            replies.extend([days] * count)
        groups[tuple(group)] = (sent + count, replies)
    return groups


def responsiveness(
    session: Session, by: str, since: dt.date | None = None, until: dt.date | None = None
) -> list[Figure]:
    """Reply rate and median days to reply per group; ranked groups first, by reply rate.
    A reply counts when it came on or after the first send (see operations.recipient_facts)."""
    if by not in GROUPINGS:
        raise ValueError(by)
    # Officials and campaigns are told apart by id; parties and roles by the name shown, so a
    # blank party and a missing one are both "No party".
    merged: dict[Hashable, tuple[str, int, list[int]]] = {}
    for key, (sent, days) in _reply_days(session, by, since, until).items():
        name = _group_name(by, key)
        identity = key[0] if by in ("official", "campaign") else name
        _, earlier_sent, earlier_days = merged.get(identity, (name, 0, []))
        merged[identity] = (name, earlier_sent + sent, sorted(earlier_days + days))
    figures = [_figure(name, sent, days) for name, sent, days in merged.values()]
    return sorted(figures, key=lambda f: (not f.ranked, -f.rate if f.ranked else 0, f.name))


def _figure(name: str, sent: int, days: list[int]) -> Figure:
    replied = len(days)
    return Figure(
        name=name,
        sent=sent,
        replied=replied,
        rate=replied / sent,
        rate_interval=wilson_interval(replied, sent) if sent >= MIN_GROUP else None,
        median_days=float(statistics.median(days)) if days else None,
        median_interval=(
            median_interval([float(d) for d in days]) if replied >= MIN_GROUP else None
        ),
    )


@dataclass(frozen=True)
class CampaignProgress:
    campaign: Campaign
    recipients: int
    sent: int
    delivered: int
    replied: int
    met: int
    waiting: int


def progress(
    session: Session, campaigns: list[Campaign], waiting_days: int, today: dt.date
) -> list[CampaignProgress]:
    """For each campaign: how many were sent, delivered, replied, met, and waiting longer than
    ``waiting_days`` for an answer (one GROUP BY over the stored facts)."""
    r = Recipient
    answered = r.first_reply_on.is_not(None) | r.meeting
    cutoff = today - dt.timedelta(days=waiting_days)

    def number(condition: ColumnElement[bool]) -> Any:
        return func.count(case((condition, 1)))

    query = (
        select(
            r.campaign_id,
            func.count(),
            func.count(r.first_sent_on),
            number(r.delivery_confirmed | answered),
            func.count(r.first_reply_on),
            number(r.meeting_held.is_(True)),
            number((r.first_sent_on < cutoff) & ~answered),
        )
        .where(r.campaign_id.in_([c.id for c in campaigns]))
        .group_by(r.campaign_id)
    )
    counts = {row[0]: row[1:] for row in session.execute(query)}
    return [
        CampaignProgress(campaign, *counts.get(campaign.id, (0, 0, 0, 0, 0, 0)))
        for campaign in campaigns
    ]
