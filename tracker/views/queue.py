"""The queue page: background jobs waiting, running, failed (with their error) and done."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker.clock import utcnow
from tracker.errors import OperationError
from tracker.forms.base import ActionForm
from tracker.jobs.queue import HANDLERS, queue, requeue
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
    jobs = recent_jobs(get_session())
    too_long = utcnow() - dt.timedelta(minutes=float(app.config["QUEUE_AGAIN_AFTER_MINUTES"]))
    return render_template(
        "queue/index.html",
        jobs=jobs,
        overdue={job.id for job in jobs[JobState.WAITING] if job.waiting_since < too_long},
        JobState=JobState,
        describe=describe,
        engine=queue(app).engine_name,
        action=ActionForm(),
    )


@bp.post("/<int:job_id>/retry")
def retry(job_id: int) -> ResponseReturnValue:
    """Run a failed job again (with what it failed on put back)."""
    return _put_back(job_id, retry_job)


@bp.post("/<int:job_id>/again")
def again(job_id: int) -> ResponseReturnValue:
    """Put a job that has waited too long on the queue again (once, however many clicks)."""
    return _put_back(job_id, requeue)


def _put_back(job_id: int, put_back: Callable[..., bool]) -> ResponseReturnValue:
    job = load_or_404(Job, job_id)
    if not ActionForm().validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return redirect(url_for("queue.index"))
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        on_queue = put_back(app, get_session(), job, actor=current_user)
    except OperationError as error:
        flash(error.message, "error")
        return redirect(url_for("queue.index"))
    if on_queue:
        flash(_("%(value)s: queued again.", value=describe(job)), "info")
    else:
        flash(
            _("Saved, but the queue cannot be reached: the worker queues it when it answers."),
            "warning",
        )
    return redirect(url_for("queue.index"))
