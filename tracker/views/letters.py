"""Each recipient's own letter: previewed, downloaded as PDF (one or all), and sent by e-mail."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from tracker.errors import OperationError
from tracker.forms.base import ActionForm
from tracker.forms.campaigns import RecipientLanguageForm
from tracker.forms.officials import FrenchTitleForm
from tracker.jobs.letters import (
    campaign_letter_pdfs,
    letter_as_pdf,
    letter_for,
    settle_letter,
    start_sending,
)
from tracker.mail.settings import MailSettings
from tracker.models import Letter, LetterState, UserRole
from tracker.operations.french_titles import write_in_french
from tracker.queries.letters import send_review
from tracker.views.loading import campaign_or_404, recipient_or_404
from tracker.web.access import role_required
from tracker.web.db import get_session, load_or_404

bp = Blueprint("letters", __name__, url_prefix="/campaigns/<int:campaign_id>/letters")


@bp.get("/")
@role_required(UserRole.COORDINATOR)
def index(campaign_id: int) -> ResponseReturnValue:
    """Who will get the letter by e-mail, who cannot (print theirs), and each letter's state."""
    campaign = campaign_or_404(campaign_id)
    review = send_review(get_session(), campaign)
    settings = MailSettings.from_config(current_app.config)
    return render_template(
        "letters/index.html",
        campaign=campaign,
        review=review,
        mail_problems=settings.problems(),
        action=ActionForm(),
        french_form=FrenchTitleForm(),
        language_form=RecipientLanguageForm(prefix="lang"),
        LetterState=LetterState,
    )


@bp.post("/<int:recipient_id>/french")
@role_required(UserRole.COORDINATOR)
def write_french(campaign_id: int, recipient_id: int) -> ResponseReturnValue:
    """Write once in French a title a French letter lacks; its letters are re-addressed."""
    campaign = campaign_or_404(campaign_id)
    recipient = recipient_or_404(campaign, recipient_id)
    form = FrenchTitleForm()
    back = redirect(url_for("letters.index", campaign_id=campaign.id, _anchor="each-heading"))
    if not form.validate_on_submit():
        flash(" ".join(e for field in form for e in field.errors), "error")
        return back
    db = get_session()
    try:
        write_in_french(db, recipient, form.english.data, form.french.data, actor=current_user)
    except OperationError as error:
        db.rollback()
        flash(error.message, "error")
        return back
    db.commit()
    flash(_("Saved in French: “%(title)s”.", title=form.french.data.strip()), "success")
    return back


@bp.get("/<int:recipient_id>")
def preview(campaign_id: int, recipient_id: int) -> ResponseReturnValue:
    """One recipient's letter as it will be sent, in the recipient's language."""
    campaign = campaign_or_404(campaign_id)
    recipient = recipient_or_404(campaign, recipient_id)
    letter = letter_for(get_session(), recipient, dt.date.today())
    return render_template(
        "letters/preview.html", campaign=campaign, recipient=recipient, letter=letter
    )


@bp.get("/<int:recipient_id>.pdf")
def pdf(campaign_id: int, recipient_id: int) -> ResponseReturnValue:
    campaign = campaign_or_404(campaign_id)
    recipient = recipient_or_404(campaign, recipient_id)
    name, pdf_bytes = letter_as_pdf(
        recipient, letter_for(get_session(), recipient, dt.date.today())
    )
    return send_file(
        io.BytesIO(pdf_bytes),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=name,
    )


@bp.get("/all.zip")
@role_required(UserRole.COORDINATOR)
def zip_all(campaign_id: int) -> ResponseReturnValue:
    """Every recipient's letter as a PDF, in one ZIP, named in the letter's order."""
    campaign = campaign_or_404(campaign_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, pdf_bytes in campaign_letter_pdfs(get_session(), campaign, dt.date.today()):
            archive.writestr(name, pdf_bytes)
    buffer.seek(0)
    return send_file(
        buffer,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"letters-campaign-{campaign.id}.zip",
    )


@bp.post("/send")
@role_required(UserRole.COORDINATOR)
def send(campaign_id: int) -> ResponseReturnValue:
    """Queue the letter for everyone who can get it by e-mail and has not; the worker sends."""
    campaign = campaign_or_404(campaign_id)
    if not ActionForm().validate_on_submit():
        flash(_("The form expired; send again."), "error")
        return redirect(url_for("letters.index", campaign_id=campaign.id))
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        started = start_sending(app, get_session(), campaign, current_user)
    except OperationError as error:
        flash(error.message, "error")
        return redirect(url_for("letters.index", campaign_id=campaign.id))
    if started.on_queue:
        flash(
            ngettext(
                "%(num)d letter queued; the statuses below change as they go.",
                "%(num)d letters queued; the statuses below change as they go.",
                started.count,
            ),
            "info",
        )
    else:
        flash(
            ngettext(
                "%(num)d letter saved, but the job queue cannot be reached: it goes when the "
                "worker starts (hilltrack worker).",
                "%(num)d letters saved, but the job queue cannot be reached: they go when the "
                "worker starts (hilltrack worker).",
                started.count,
            ),
            "warning",
        )
    return redirect(url_for("letters.index", campaign_id=campaign.id))


@bp.post("/<int:letter_id>/was-sent")
@role_required(UserRole.COORDINATOR)
def was_sent(campaign_id: int, letter_id: int) -> ResponseReturnValue:
    """A person checked: the letter whose fate was unknown did go. It is logged as sent."""
    return _settle(campaign_id, letter_id, "sent")


@bp.post("/<int:letter_id>/send-again")
@role_required(UserRole.COORDINATOR)
def send_again(campaign_id: int, letter_id: int) -> ResponseReturnValue:
    """A person checked: the letter whose fate was unknown did not go. It is queued again."""
    return _settle(campaign_id, letter_id, "not_sent")


def _settle(campaign_id: int, letter_id: int, answer: str) -> ResponseReturnValue:
    campaign = campaign_or_404(campaign_id)
    letter = load_or_404(Letter, letter_id)
    if letter.campaign_id != campaign.id or not ActionForm().validate_on_submit():
        abort(400)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        settle_letter(app, get_session(), letter, was_sent=answer == "sent", actor=current_user)
    except OperationError as error:
        flash(error.message, "error")
        return redirect(url_for("letters.index", campaign_id=campaign.id))
    flash(
        _("Logged as sent.") if answer == "sent" else _("The letter is back in the queue."), "info"
    )
    return redirect(url_for("letters.index", campaign_id=campaign.id))
