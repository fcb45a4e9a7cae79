"""The audit trail for admins: who did what, when, with the values before and after."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from tracker.formats.audit_sentences import describe, who
from tracker.models import UserRole
from tracker.models.base import as_id
from tracker.queries.accounts import users_by_name
from tracker.queries.audit import AuditFilter, audit_actions, audit_names, audit_page
from tracker.web.access import require_role
from tracker.web.db import get_session
from tracker.web.http import date_arg

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")


@bp.before_request
def _admins_only() -> None:
    require_role(UserRole.ADMIN)


@bp.get("/")
def index() -> ResponseReturnValue:
    """Audit events, newest first, filtered by action, person, record and dates."""
    db = get_session()
    actor = request.args.get("actor", "")
    flt = AuditFilter(
        action=request.args.get("action", "").strip(),
        actor_id=as_id(actor),
        object_type=request.args.get("object_type", "").strip(),
        since=date_arg("since"),
        until=date_arg("until"),
    )
    page = audit_page(db, flt, request.args.get("page", 1, type=int) or 1)
    names = audit_names(db, page.items)
    return render_template(
        "admin/audit.html",
        events=[(event, who(event), describe(event, names)) for event in page.items],
        users=users_by_name(db),
        actions=audit_actions(db),
        total=page.total,
        page=page.number,
        pages=page.pages,
    )
