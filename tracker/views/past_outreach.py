"""Importing a spreadsheet of past outreach: upload, map the columns, preview, confirm."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from importers import interactions_csv
from importers.errors import FeedError
from importers.spreadsheet import ENCODINGS, decode
from tracker.formats.said import in_reader_language
from tracker.forms.base import ActionForm
from tracker.forms.uploads import PastOutreachUploadForm
from tracker.models import UserRole
from tracker.operations.past_work import preview, record_rows
from tracker.rules.campaign_text import LOCALES
from tracker.views.loading import campaign_or_404
from tracker.web import uploads
from tracker.web.access import require_role
from tracker.web.db import get_session, restart_as_writer
from tracker.web.i18n import LANGUAGES

bp = Blueprint("past_work", __name__, url_prefix="/campaigns/<int:campaign_id>/import")

# Each field's name on the page; a column headed with it, in either language, is that field.
FIELD_LABELS = {
    "official": _l("Official"),
    "date": _l("Date"),
    "kind": _l("What happened"),
    "channel": _l("How"),
    "reply": _l("Kind of reply"),
    "summary": _l("Summary or notes"),
}


def labels_in_every_language() -> dict[str, list[str]]:
    """field → its label in English and in French, as the mapping guess compares headers."""
    found: dict[str, list[str]] = {field: [] for field in FIELD_LABELS}
    for language in LANGUAGES:
        with force_locale(LOCALES[language]):
            for field, label in FIELD_LABELS.items():
                found[field].append(str(label))
    return found


@bp.before_request
def _coordinators_only() -> None:
    require_role(UserRole.COORDINATOR)


def _mapping(columns: list[str]) -> dict[str, str]:
    """The mapping chosen on the page, else guessed from the header names."""
    chosen = {f: request.values.get(f"col_{f}", "") for f in interactions_csv.FIELDS}
    if any(chosen.values()):
        return {f: c for f, c in chosen.items() if c in columns}
    return interactions_csv.guess_mapping(columns, labels_in_every_language())


@bp.route("/", methods=["GET", "POST"])
def upload(campaign_id: int) -> ResponseReturnValue:
    """Upload the spreadsheet; nothing is recorded before the preview is confirmed."""
    campaign = campaign_or_404(campaign_id)
    form = PastOutreachUploadForm()
    if form.validate_on_submit():
        data = form.file.data.read()
        encoding = form.encoding.data or None
        try:
            interactions_csv.read(data, encoding)
        except FeedError as error:
            form.file.errors = [in_reader_language(error.message)]
        else:
            token = uploads.keep(data)
            return redirect(
                url_for("past_work.check", campaign_id=campaign.id, token=token, encoding=encoding)
            )
    return render_template("past_work/upload.html", campaign=campaign, form=form)


@bp.route("/<token>", methods=["GET", "POST"])
def check(campaign_id: int, token: str) -> ResponseReturnValue:
    """Preview every row with its problems under a column mapping; confirm to record."""
    campaign = campaign_or_404(campaign_id)
    data = uploads.load(token)
    if data is None:
        flash(_("That upload has expired or was already imported; upload the file again."), "error")
        return redirect(url_for("past_work.upload", campaign_id=campaign.id))
    encoding = request.values.get("encoding") or None
    try:
        decoded = decode(data, interactions_csv.SOURCE, encoding)
        columns = list(interactions_csv.read(data, encoding).columns)
    except FeedError as error:
        flash(in_reader_language(error.message), "error")
        return redirect(url_for("past_work.check", campaign_id=campaign.id, token=token))
    mapping = _mapping(columns)
    db = get_session()
    if request.method == "POST" and ActionForm().validate_on_submit():
        try:
            recorded, repeated = record_rows(
                db,
                campaign,
                data,
                mapping,
                actor=current_user,
                encoding=encoding,
                end_of_batch=lambda: restart_as_writer(db),
            )
        except FeedError as error:
            flash(in_reader_language(error.message), "error")
        else:
            db.commit()
            uploads.discard(token)
            if repeated:
                done = ngettext(
                    "Recorded %(num)d interaction (%(repeated)d were already recorded from "
                    "this file).",
                    "Recorded %(num)d interactions (%(repeated)d were already recorded from "
                    "this file).",
                    recorded,
                    repeated=repeated,
                )
            else:
                done = ngettext(
                    "Recorded %(num)d interaction.", "Recorded %(num)d interactions.", recorded
                )
            flash(done, "success")
            return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
    try:
        rows, problem = preview(db, data, mapping, encoding), None
    except FeedError as error:
        rows, problem = [], error.message
    return render_template(
        "past_work/check.html",
        campaign=campaign,
        token=token,
        columns=columns,
        mapping=mapping,
        rows=rows,
        problem=problem,
        fields=interactions_csv.FIELDS,
        labels=FIELD_LABELS,
        action=ActionForm(),
        good=sum(r.ok for r in rows),
        decoded=decoded,
        encodings=ENCODINGS,
        encoding=encoding or "",
    )
