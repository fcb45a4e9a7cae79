"""Reads of the audit trail, for the admins' page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from tracker import clock
from tracker.models import (
    AuditEvent,
    Campaign,
    FollowUp,
    InboundMessage,
    Interaction,
    Official,
    Recipient,
    User,
)
from tracker.queries.pagination import Page, paginate

AUDIT_PAGE_SIZE = 100


@dataclass(frozen=True)
class AuditFilter:
    """What an admin asked the audit trail for."""

    action: str = ""
    actor_id: int | None = None
    object_type: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def _audit_query(flt: AuditFilter) -> Select[AuditEvent]:
    query = select(AuditEvent)
    if flt.action:
        query = query.where(AuditEvent.action.startswith(flt.action))
    if flt.actor_id is not None:
        query = query.where(AuditEvent.actor_id == flt.actor_id)
    if flt.object_type:
        query = query.where(AuditEvent.object_type == flt.object_type)
    if flt.since:
        # Days as the page shows its times: in TIMEZONE.
        start = dt.datetime.combine(flt.since, dt.time(), clock.local_zone())
        query = query.where(AuditEvent.at >= start)
    if flt.until:
        next_day = dt.datetime.combine(
            flt.until + dt.timedelta(days=1), dt.time(), clock.local_zone()
        )
        query = query.where(AuditEvent.at < next_day)
    return query


def audit_page(session: Session, flt: AuditFilter, number: int) -> Page[AuditEvent]:
    """One page of matching events, newest first, each with who did it."""
    query = _audit_query(flt).options(selectinload(AuditEvent.actor)).order_by(AuditEvent.id.desc())
    return paginate(session, query, number, size=AUDIT_PAGE_SIZE)


def audit_actions(session: Session) -> list[str]:
    """Every action the trail holds, for the filter menu."""
    return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


@dataclass
class AuditNames:
    """The names the events of a page refer to, loaded in one query per kind of record."""

    officials: dict[int, str] = field(default_factory=dict)
    campaigns: dict[int, str] = field(default_factory=dict)
    users: dict[int, str] = field(default_factory=dict)
    # recipient and interaction ids -> (official id, campaign id), follow-up id -> official id
    recipients: dict[int, tuple[int, int]] = field(default_factory=dict)
    interactions: dict[int, tuple[int, int | None]] = field(default_factory=dict)
    follow_ups: dict[int, int] = field(default_factory=dict)
    # interaction id -> the inbound message it was logged from
    messages: dict[int, int] = field(default_factory=dict)


def _ids(events: list[AuditEvent], object_type: str, *keys: str) -> set[int]:
    found = {e.object_id for e in events if e.object_type == object_type and e.object_id}
    for event in events:
        for data in (event.before or {}, event.after or {}):
            for key in keys:
                value = data.get(key)
                values = value if isinstance(value, list) else [value]
                found.update(v for v in values if isinstance(v, int))
    return found


def audit_names(session: Session, events: list[AuditEvent]) -> AuditNames:
    """Everything a page of events names, so each reads as a sentence with links."""
    names = AuditNames()
    recipient_ids = _ids(events, "recipient")
    for rid, oid, cid in session.execute(
        select(Recipient.id, Recipient.official_id, Recipient.campaign_id).where(
            Recipient.id.in_(recipient_ids)
        )
    ):
        names.recipients[rid] = (oid, cid)
    interaction_ids = _ids(events, "interaction")
    for iid, oid, cid in session.execute(
        select(Interaction.id, Interaction.official_id, Recipient.campaign_id)
        .outerjoin(Recipient, Recipient.id == Interaction.recipient_id)
        .where(Interaction.id.in_(interaction_ids))
    ):
        names.interactions[iid] = (oid, cid)
    from_mail = {
        e.object_id
        for e in events
        if e.object_id is not None and (e.after or {}).get("logged_from") == "mail"
    }
    if from_mail:
        for message_id, logged_id in session.execute(
            select(InboundMessage.id, InboundMessage.interaction_id).where(
                InboundMessage.interaction_id.in_(from_mail)
            )
        ):
            names.messages[logged_id or 0] = message_id
    for fid, oid in session.execute(
        select(FollowUp.id, FollowUp.official_id).where(FollowUp.id.in_(_ids(events, "follow_up")))
    ):
        names.follow_ups[fid] = oid
    official_ids = _ids(events, "official", "official_id", "official_ids")
    official_ids |= {o for o, _ in names.recipients.values()} | set(names.follow_ups.values())
    official_ids |= {o for o, _ in names.interactions.values()}
    for oid, given, family in session.execute(
        select(Official.id, Official.given_name, Official.family_name).where(
            Official.id.in_(official_ids)
        )
    ):
        names.officials[oid] = f"{given} {family}"
    campaign_ids = _ids(events, "campaign", "campaign_id")
    campaign_ids |= {c for _, c in names.recipients.values()}
    campaign_ids |= {c for _, c in names.interactions.values() if c}
    for cid, title in session.execute(
        select(Campaign.id, Campaign.title).where(Campaign.id.in_(campaign_ids))
    ):
        names.campaigns[cid] = title
    user_ids = _ids(events, "user_account", "assignee_id")
    for uid, name in session.execute(select(User.id, User.name).where(User.id.in_(user_ids))):
        names.users[uid] = name
    return names
