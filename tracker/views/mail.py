"""Mail that came back: the triage list, one message, and placing it by hand."""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker.errors import OperationError
from tracker.forms.base import ActionForm
from tracker.jobs.mail import mail_limits
from tracker.mail.files import safe_file_name
from tracker.models import (
    InboundAttachment,
    InboundKind,
    InboundMessage,
    InboundState,
    Recipient,
    UserRole,
)
from tracker.models.base import as_id
from tracker.operations.inbound import (
    PLACEABLE,
    mark_not_outreach,
    place_by_hand,
    undo_not_outreach,
)
from tracker.queries.inbound import (
    MailFilter,
    first_from_sender,
    inbound_message,
    mail_page,
    placing_choices,
    triage_count,
    triage_messages,
)
from tracker.rules.status import RecipientStatus
from tracker.web.access import MESSAGE_BODY_ROLE, require_role
from tracker.web.db import get_session, load_or_404, or_404

bp = Blueprint("mail", __name__, url_prefix="/mail")


@bp.get("/")
def index() -> ResponseReturnValue:
    """Every message that came back, newest first: filtered by where it stands, searched by
    sender or subject."""
    try:
        shown = MailFilter(request.args.get("show", ""))
    except ValueError:
        shown = MailFilter.ALL
    search = request.args.get("q", "").strip()[:100]
    page = mail_page(get_session(), shown, search, request.args.get("page", 1, type=int))
    return render_template(
        "mail/index.html",
        page=page,
        shown=shown,
        search=search,
        filters=MailFilter,
        first=first_from_sender(get_session(), page.items),
        waiting=triage_count(get_session()),
    )


@bp.get("/triage")
def triage() -> ResponseReturnValue:
    """Messages Hilltrack could not place, with its best guess where it has one."""
    return render_template(
        "mail/triage.html", messages=triage_messages(get_session()), action=ActionForm()
    )


@bp.get("/<int:message_id>")
def message(message_id: int) -> ResponseReturnValue:
    """One message: who wrote, what they wrote (sanitised), where it was placed or can be."""
    require_role(MESSAGE_BODY_ROLE)
    found = or_404(inbound_message(get_session(), message_id))
    query = request.args.get("q", "").strip()[:100]
    placeable = found.state in PLACEABLE and found.kind is not InboundKind.UNREADABLE
    return render_template(
        "mail/message.html",
        message=found,
        query=query,
        candidates=placing_choices(get_session(), found, query) if placeable else [],
        placeable=placeable,
        first=first_from_sender(get_session(), [found]),
        status_of=RecipientStatus,
        action=ActionForm(),
        InboundState=InboundState,
    )


def _triage_message(message_id: int) -> InboundMessage:
    found = load_or_404(InboundMessage, message_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    return found


@bp.post("/<int:message_id>/place")
def place(message_id: int) -> ResponseReturnValue:
    """Place the message on a recipient: the guess (one click) or one a person found."""
    found = _triage_message(message_id)
    recipient_id = as_id(request.form.get("recipient_id"))
    recipient = load_or_404(Recipient, recipient_id or 0)
    remember = request.form.get("remember") == "1"
    session = get_session()
    try:
        place_by_hand(
            session,
            found,
            recipient,
            actor=current_user,
            limits=mail_limits(current_app),
            remember_sender=remember,
            placed_as=request.form.get("placed_as"),
        )
    except OperationError as error:
        flash(error.message, "error")
        return redirect(url_for("mail.message", message_id=found.id))
    session.commit()
    kept = (
        " " + _("%(address)s is now known as theirs.", address=found.from_address)
        if remember
        else ""
    )
    flash(
        _(
            "Logged on %(full_name)s (%(title)s).%(kept)s",
            full_name=recipient.official.full_name,
            title=recipient.campaign.title,
            kept=kept,
        ),
        "info",
    )
    return redirect(url_for("mail.triage"))


@bp.post("/<int:message_id>/not-outreach/undo")
def undo_not(message_id: int) -> ResponseReturnValue:
    """A message marked not outreach by mistake goes back with the mail waiting to be placed."""
    found = _triage_message(message_id)
    session = get_session()
    try:
        undo_not_outreach(session, found, actor=current_user)
    except OperationError as error:
        flash(error.message, "error")
    else:
        session.commit()
        flash(_("Back with the mail waiting to be placed."), "info")
    return redirect(url_for("mail.message", message_id=found.id))


@bp.post("/<int:message_id>/not-outreach")
def not_outreach(message_id: int) -> ResponseReturnValue:
    found = _triage_message(message_id)
    session = get_session()
    try:
        mark_not_outreach(session, found, actor=current_user)
    except OperationError as error:
        flash(error.message, "error")
        return redirect(url_for("mail.message", message_id=found.id))
    session.commit()
    flash(_("Marked as not about a letter."), "info")
    return redirect(url_for("mail.triage"))


@bp.get("/<int:message_id>/raw")
def raw(message_id: int) -> ResponseReturnValue:
    """The message as it arrived, as a download (coordinators: it may hold anything)."""
    require_role(UserRole.COORDINATOR)
    found = load_or_404(InboundMessage, message_id)
    path = _inside(Path(current_app.instance_path) / "mail" / "raw", found.raw_path)
    return send_file(
        path, mimetype="message/rfc822", as_attachment=True, download_name=f"{found.id}.eml"
    )


@bp.get("/attachments/<int:attachment_id>")
def attachment(attachment_id: int) -> ResponseReturnValue:
    """A stored attachment, as the type its bytes show, always as a download, under its name
    cleaned again (names stored before names were cleaned may hold line breaks)."""
    found = load_or_404(InboundAttachment, attachment_id)
    if found.path is None:
        abort(404)
    path = _inside(Path(current_app.instance_path) / "mail" / "attachments", found.path)
    name = safe_file_name(found.filename)
    return send_file(path, mimetype=found.content_type, as_attachment=True, download_name=name)


def _inside(folder: Path, relative: str) -> Path:
    path = (folder / relative).resolve()
    if not path.is_relative_to(folder.resolve()) or not path.is_file():
        abort(404)
    return path
