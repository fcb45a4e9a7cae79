"""The queue page: background jobs waiting, running, failed (with their error) and done."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker.errors import OperationError
from tracker.forms.base import ActionForm
from tracker.jobs.queue import HANDLERS, queue
from tracker.jobs.queue import retry as retry_job
from tracker.models import Job, JobState, UserRole
from tracker.queries.jobs import recent_jobs
from tracker.web.access import require_role
from tracker.web.db import get_session, load_or_404

bp = Blueprint("queue", __name__, url_prefix="/queue")


@bp.before_request
def _coordinators_only() -> None:
    require_role(UserRole.COORDINATOR)


def describe(job: Job) -> str:
    handler = HANDLERS.get(job.kind)
    return (handler.describe(job.params or {}) if handler else "") or job.kind


@bp.get("/")
def index() -> ResponseReturnValue:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return render_template(
        "queue/index.html",
        jobs=recent_jobs(get_session()),
        JobState=JobState,
        describe=describe,
        engine=queue(app).engine_name,
        action=ActionForm(),
    )


@bp.post("/<int:job_id>/retry")
def retry(job_id: int) -> ResponseReturnValue:
    job = load_or_404(Job, job_id)
    if not ActionForm().validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return redirect(url_for("queue.index"))
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        on_queue = retry_job(app, get_session(), job, actor=current_user)
    except OperationError as error:
        flash(error.message, "error")
        return redirect(url_for("queue.index"))
    if on_queue:
        flash(_("%(value)s: queued again.", value=describe(job)), "info")
    else:
        flash(
            _("Saved, but the queue cannot be reached: it runs when the worker starts."), "warning"
        )
    return redirect(url_for("queue.index"))
