"""Reads of the audit trail, for the admins' page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from tracker.models import AuditEvent
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
        query = query.where(AuditEvent.at >= dt.datetime.combine(flt.since, dt.time(), dt.UTC))
    if flt.until:
        next_day = dt.datetime.combine(flt.until + dt.timedelta(days=1), dt.time(), dt.UTC)
        query = query.where(AuditEvent.at < next_day)
    return query


def audit_page(session: Session, flt: AuditFilter, number: int) -> Page[AuditEvent]:
    """One page of matching events, newest first, each with who did it."""
    query = _audit_query(flt).options(selectinload(AuditEvent.actor)).order_by(AuditEvent.id.desc())
    return paginate(session, query, number, size=AUDIT_PAGE_SIZE)


def audit_actions(session: Session) -> list[str]:
    """Every action the trail holds, for the filter menu."""
    return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
