"""Each recipient's own letter: previewed, downloaded as PDF (one or all), and sent by e-mail."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from tracker import clock
from tracker.errors import OperationError
from tracker.formats.said import in_reader_language
from tracker.forms.base import ActionForm
from tracker.forms.campaigns import RecipientLanguageForm
from tracker.forms.contacts import EmailAddressForm
from tracker.forms.letters import SendForm
from tracker.forms.officials import FrenchTitleForm
from tracker.jobs.letters import (
    campaign_letter_pdfs,
    letter_as_pdf,
    letter_for,
    settle_letter,
    start_sending,
)
from tracker.mail.settings import MailSettings
from tracker.models import Campaign, Letter, LetterState, UserRole
from tracker.operations.contacts import set_contacts
from tracker.operations.french_titles import write_in_french
from tracker.queries.letters import SendChecks, SendReview, send_checks, send_review
from tracker.views.loading import campaign_or_404, recipient_or_404
from tracker.web.access import role_required
from tracker.web.db import get_session, load_or_404
from tracker.web.templating import local_datetime

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
        email_form=EmailAddressForm(formdata=None),
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


@bp.post("/<int:recipient_id>/email")
@role_required(UserRole.COORDINATOR)
def add_email(campaign_id: int, recipient_id: int) -> ResponseReturnValue:
    """Add the e-mail address of a recipient who has none, entered by hand on their official."""
    campaign = campaign_or_404(campaign_id)
    recipient = recipient_or_404(campaign, recipient_id)
    form = EmailAddressForm()
    back = redirect(
        url_for("letters.index", campaign_id=campaign.id, _anchor=f"recipient-{recipient.id}")
    )
    if not form.validate_on_submit():
        flash(" ".join(str(e) for field in form for e in field.errors), "error")
        return back
    db = get_session()
    official = recipient.official
    set_contacts(db, official, email=form.email.data, actor=current_user)
    db.commit()
    flash(
        _("Saved %(email)s for %(name)s.", email=official.email, name=official.full_name), "success"
    )
    return back


@bp.get("/<int:recipient_id>")
def preview(campaign_id: int, recipient_id: int) -> ResponseReturnValue:
    """One recipient's letter as it will be sent, in the recipient's language."""
    campaign = campaign_or_404(campaign_id)
    recipient = recipient_or_404(campaign, recipient_id)
    letter = letter_for(get_session(), recipient, clock.today())
    return render_template(
        "letters/preview.html", campaign=campaign, recipient=recipient, letter=letter
    )


@bp.get("/<int:recipient_id>.pdf")
def pdf(campaign_id: int, recipient_id: int) -> ResponseReturnValue:
    campaign = campaign_or_404(campaign_id)
    recipient = recipient_or_404(campaign, recipient_id)
    name, pdf_bytes = letter_as_pdf(recipient, letter_for(get_session(), recipient, clock.today()))
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
        for name, pdf_bytes in campaign_letter_pdfs(get_session(), campaign, clock.today()):
            archive.writestr(name, pdf_bytes)
    buffer.seek(0)
    return send_file(
        buffer,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"letters-campaign-{campaign.id}.zip",
    )


@bp.get("/send")
@role_required(UserRole.COORDINATOR)
def confirm(campaign_id: int) -> ResponseReturnValue:
    """Before the letters leave: how many go by e-mail in each language, how many to print, and
    each warning to tick."""
    campaign = campaign_or_404(campaign_id)
    review = send_review(get_session(), campaign)
    checks = send_checks(get_session(), campaign, review, clock.today())
    return _confirmation(campaign, review, SendForm(checks.warnings), checks)


def _confirmation(
    campaign: Campaign, review: SendReview, form: SendForm, checks: SendChecks, status: int = 200
) -> ResponseReturnValue:
    settings = MailSettings.from_config(current_app.config)
    page = render_template(
        "letters/confirm.html",
        campaign=campaign,
        review=review,
        checks=checks,
        form=form,
        mail_problems=settings.problems(),
    )
    return page, status


@bp.post("/send")
@role_required(UserRole.COORDINATOR)
def send(campaign_id: int) -> ResponseReturnValue:
    """Queue the letter for everyone who can get it by e-mail and has not, once each warning is
    ticked; the worker sends."""
    campaign = campaign_or_404(campaign_id)
    review = send_review(get_session(), campaign)
    checks = send_checks(get_session(), campaign, review, clock.today())
    form = SendForm(checks.warnings)
    ticked = form.validate_on_submit()
    if form.csrf_token.errors:
        flash(_("The form expired; send again."), "error")
        return redirect(url_for("letters.confirm", campaign_id=campaign.id))
    settings = MailSettings.from_config(current_app.config)
    blocked = checks.refusal or settings.problems() or not (review.has_text and review.ready)
    if not ticked and not blocked:  # when blocked, start_sending says why nothing can go
        return _confirmation(campaign, review, form, checks, 400)
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


@bp.get("/status.json")
@role_required(UserRole.COORDINATOR)
def status(campaign_id: int) -> ResponseReturnValue:
    """Where each recipient's letter stands, for the Letters page to follow without a reload."""
    campaign = campaign_or_404(campaign_id)
    review = send_review(get_session(), campaign)
    counts = [(state, review.count(state)) for state in LetterState]
    summary = " · ".join(
        _("%(state)s: %(count)d", state=state.label, count=n) for state, n in counts if n
    )
    return jsonify(
        in_flight=review.in_flight,
        summary=summary,
        letters=[_letter_json(line.letter) for line in review.lines if line.letter],
    )


def _letter_json(letter: Letter) -> dict[str, Any]:
    if letter.error:
        detail = in_reader_language(letter.error)
    elif letter.state is LetterState.SENT:
        detail = local_datetime(letter.finished_at)
    elif letter.state is LetterState.QUEUED and letter.next_attempt_at:
        detail = _("next try %(when)s", when=local_datetime(letter.next_attempt_at))
    else:
        detail = ""
    return {
        "recipient": letter.recipient_id,
        "state": letter.state.value,
        "label": letter.state.label,
        "detail": detail,
        "problem": letter.state.value in ("bounced", "failed", "unknown", "restored"),
    }


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
