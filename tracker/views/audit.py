"""The audit trail for admins: who did what, when, with the values before and after."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from tracker.models import AuditEvent, User, UserRole
from tracker.web.access import require_role
from tracker.web.db import get_session
from tracker.web.http import date_arg

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")
PAGE_SIZE = 100


@bp.before_request
def _admins_only() -> None:
    require_role(UserRole.ADMIN)


@bp.get("/")
def index() -> ResponseReturnValue:
    """Audit events, newest first, filtered by action, person, record and dates."""
    db = get_session()
    query = select(AuditEvent)
    action = request.args.get("action", "").strip()
    if action:
        query = query.where(AuditEvent.action.startswith(action))
    actor = request.args.get("actor", "")
    if actor.isdigit():
        query = query.where(AuditEvent.actor_id == int(actor))
    object_type = request.args.get("object_type", "").strip()
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    since, until = date_arg("since"), date_arg("until")
    if since:
        query = query.where(AuditEvent.at >= dt.datetime.combine(since, dt.time(), dt.UTC))
    if until:
        query = query.where(
            AuditEvent.at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), dt.UTC)
        )
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = max(1, request.args.get("page", 1, type=int) or 1)
    events = db.scalars(
        query.options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    users = db.scalars(select(User).order_by(User.name)).all()
    actions = db.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all()
    return render_template(
        "admin/audit.html",
        events=events,
        users=users,
        actions=actions,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
    )
