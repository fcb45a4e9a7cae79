"""The Imports page: run history, import now or preview, and what imports held for review."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker.errors import OperationError
from tracker.forms.base import ActionForm
from tracker.jobs.imports import start_import, web_import_options
from tracker.models import ImportReview, ImportRun, ImportStatus, UserRole
from tracker.models.base import as_id
from tracker.operations.imports import ImportBusy, is_abandoned
from tracker.operations.reviews import (
    resolve_conflict,
    resolve_different_people,
    resolve_same_person,
)
from tracker.queries.coverage import coverage
from tracker.queries.imports import open_reviews, recent_runs, source_dates
from tracker.web.access import require_role
from tracker.web.db import get_session

bp = Blueprint("imports", __name__, url_prefix="/imports")


@bp.before_request
def _coordinators_only() -> None:
    require_role(UserRole.COORDINATOR)


def _is_cut_off(run: ImportRun) -> bool:
    return is_abandoned(run)


@bp.get("/")
def index() -> ResponseReturnValue:
    """Recent runs, the running one's progress, and the open review items."""
    db = get_session()
    runs = recent_runs(db)
    reviews, candidates = open_reviews(db)
    running = any(r.status is ImportStatus.RUNNING and not _is_cut_off(r) for r in runs)
    return render_template(
        "imports/index.html",
        runs=runs,
        reviews=reviews,
        candidates=candidates,
        running=running,
        action=ActionForm(),
        is_cut_off=_is_cut_off,
        coverage=coverage(db),
        as_of=source_dates(db),
    )


@bp.get("/<int:run_id>")
def detail(run_id: int) -> ResponseReturnValue:
    """One run: its counts, every field change, warnings, and its error if it failed."""
    run = get_session().get(ImportRun, run_id)
    if run is None:
        abort(404)
    return render_template("imports/detail.html", run=run, cut_off=_is_cut_off(run))


@bp.post("/start")
def start() -> ResponseReturnValue:
    """Start an import (or a preview) in the background and show its progress."""
    dry_run = request.form.get("dry_run") == "1"
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        options = web_import_options(app, dry_run=dry_run)
        run_id = start_import(app, get_session(), options, current_user)
    except ImportBusy as busy:
        flash(busy.message, "error")
        return redirect(url_for("imports.index"))
    flash(
        _("Preview started: nothing will be written.") if dry_run else _("Import started."), "info"
    )
    return redirect(url_for("imports.detail", run_id=run_id))


def _review_or_404(review_id: int) -> ImportReview:
    review = get_session().get(ImportReview, review_id)
    if review is None:
        abort(404)
    return review


@bp.post("/reviews/<int:review_id>")
def resolve(review_id: int) -> ResponseReturnValue:
    """Resolve a review item with one click: same person, different people, keep or take."""
    review = _review_or_404(review_id)
    db = get_session()
    answer = request.form.get("answer", "")
    try:
        if answer == "different":
            resolve_different_people(db, review, current_user)
        elif answer.startswith("same:") and (official_id := as_id(answer[5:])):
            resolve_same_person(db, review, official_id, current_user)
        elif answer in {"keep", "take"}:
            resolve_conflict(db, review, take_feed=answer == "take", actor=current_user)
        else:
            raise OperationError(_("Choose one of the answers offered."))
    except OperationError as error:
        flash(error.message, "error")
    else:
        db.commit()
        flash(_("Resolved."), "success")
    return redirect(url_for("imports.index"))
