"""Downloading exports from the pages (coordinators)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request, stream_with_context
from flask.typing import ResponseReturnValue
from flask_login import current_user

from tracker import clock
from tracker.errors import OperationError
from tracker.models import UserRole
from tracker.models.base import as_id
from tracker.operations.exports import record_export
from tracker.queries.exports import KINDS, ExportFilter, csv_chunks, file_name
from tracker.web.access import require_role
from tracker.web.db import get_session, restart_as_writer
from tracker.web.http import date_arg

bp = Blueprint("exports", __name__, url_prefix="/exports")


@bp.before_request
def _coordinators_only() -> None:
    require_role(UserRole.COORDINATOR)


@bp.get("/<kind>.csv")
def download(kind: str) -> ResponseReturnValue:
    """Stream an export as a CSV download that opens cleanly in Excel."""
    if kind not in KINDS:
        abort(404)
    campaign = request.args.get("campaign", "")
    flt = ExportFilter(
        campaign_id=as_id(campaign),
        since=date_arg("since"),
        until=date_arg("until"),
    )
    try:
        chunks = csv_chunks(get_session(), kind, flt)
    except OperationError:
        abort(400)
    # Commit the audit event before any row is sent: a GET starts as a reader.
    db = get_session()
    restart_as_writer(db)
    record_export(db, kind, flt, current_user.id, "download")
    db.commit()
    name = file_name(kind, flt, clock.today())
    return Response(
        stream_with_context(chunks),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )
