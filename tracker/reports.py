"""Figures coordinators can trust: responsiveness with counts and intervals, campaign progress.

Every figure carries its count; intervals are given only where n >= 10, and smaller groups are
listed as too small rather than ranked (as WriteToThem does for its response tables).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from tracker.models import Campaign, Interaction, InteractionKind, Official, Recipient, Role
from tracker.queries import as_date, recipient_facts
from tracker.status import Facts

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


def _facts(session: Session, since: dt.date | None, until: dt.date | None) -> pd.DataFrame:
    """One row per recipient sent a letter in the period: groups, replied, days to reply.

    One aggregate query: the first send and the first reply of each recipient (a reply dated
    before the first send is not counted as an answer to it).
    """
    sent = func.min(case((Interaction.kind == InteractionKind.SENT, Interaction.occurred_on)))
    replied = func.min(
        case((Interaction.kind == InteractionKind.REPLY_RECEIVED, Interaction.occurred_on))
    )
    query = (
        select(
            Official.given_name,
            Official.family_name,
            Official.party,
            Role.kind,
            Campaign.title,
            sent,
            replied,
        )
        .select_from(Recipient)
        .join(Official, Official.id == Recipient.official_id)
        .join(Campaign, Campaign.id == Recipient.campaign_id)
        .outerjoin(Role, Role.id == Recipient.role_id)
        .join(Interaction, Interaction.recipient_id == Recipient.id)
        .group_by(
            Recipient.id,
            Official.given_name,
            Official.family_name,
            Official.party,
            Role.kind,
            Campaign.title,
        )
    )
    rows: list[dict[str, Any]] = []
    for given, family, party, kind, title, first_sent, first_reply in session.execute(query):
        first_sent, first_reply = as_date(first_sent), as_date(first_reply)
        if first_sent is None or (since and first_sent < since) or (until and first_sent > until):
            continue
        answered = first_reply is not None and first_reply >= first_sent
        days = (first_reply - first_sent).days if first_reply and answered else None
        rows.append(
            {
                "official": f"{given} {family}",
                "party": party or "No party",
                "role_kind": kind.label if kind else "Not recorded",
                "campaign": title,
                "replied": answered,
                "days": days,
            }
        )
    return pd.DataFrame(
        rows, columns=["official", "party", "role_kind", "campaign", "replied", "days"]
    )


def responsiveness(
    session: Session, by: str, since: dt.date | None = None, until: dt.date | None = None
) -> list[Figure]:
    """Reply rate and median days to reply per group; ranked groups first, by reply rate."""
    if by not in GROUPINGS:
        raise ValueError(by)
    facts = _facts(session, since, until)
    figures = []
    for name, group in facts.groupby(by, sort=True):
        sent, replied = len(group), int(group["replied"].sum())
        days = [float(d) for d in group["days"].dropna()]
        figures.append(
            Figure(
                name=str(name),
                sent=sent,
                replied=replied,
                rate=replied / sent,
                rate_interval=wilson_interval(replied, sent) if sent >= MIN_GROUP else None,
                median_days=float(pd.Series(days).median()) if days else None,
                median_interval=median_interval(days) if len(days) >= MIN_GROUP else None,
            )
        )
    return sorted(figures, key=lambda f: (not f.ranked, -f.rate if f.ranked else 0, f.name))


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
    """For each campaign: how many were sent, delivered, replied, met, and waiting too long
    (one aggregate query, see queries.recipient_facts)."""
    facts: dict[int, list[Facts]] = {c.id: [] for c in campaigns}
    for campaign_id, found in recipient_facts(session, list(facts)):
        facts[campaign_id].append(found)
    result = []
    for campaign in campaigns:
        rows = facts[campaign.id]
        answered = [f.first_reply is not None or f.meeting for f in rows]
        result.append(
            CampaignProgress(
                campaign=campaign,
                recipients=len(rows),
                sent=sum(f.first_sent is not None for f in rows),
                delivered=sum(
                    f.delivery_confirmed or a for f, a in zip(rows, answered, strict=True)
                ),
                replied=sum(f.first_reply is not None for f in rows),
                met=sum(f.meeting_held for f in rows),
                waiting=sum(
                    1
                    for f, a in zip(rows, answered, strict=True)
                    if f.first_sent and not a and (today - f.first_sent).days > waiting_days
                ),
            )
        )
    return result
