"""Contact details for many officials at once: a pasted or uploaded list, previewed line by
line (who gets what, who matches nobody or several), then saved as entered by hand."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from importers.contacts_list import read_contacts
from importers.errors import FeedError
from importers.spreadsheet import decode
from tracker.formats.said import in_reader_language
from tracker.forms.contacts import ContactsConfirmForm, ContactsListForm
from tracker.forms.uploads import answers_from
from tracker.models import Campaign, UserRole
from tracker.models.base import as_id
from tracker.operations.contacts import ContactPlan, ContactsResult, plan_contacts, save_contacts
from tracker.rules.person_match import who
from tracker.web import uploads
from tracker.web.access import role_required
from tracker.web.db import get_session

bp = Blueprint("contacts", __name__, url_prefix="/officials/contacts")
SKIPS_SHOWN = 20


def _campaign(value: str | None) -> Campaign | None:
    campaign_id = as_id(value or "")
    return get_session().get(Campaign, campaign_id) if campaign_id else None


def _list_text(form: ContactsListForm) -> str:
    upload = form.file.data
    if upload and getattr(upload, "filename", ""):
        return decode(upload.read(), "contacts list", None).text
    return form.text.data or ""


@bp.route("/", methods=["GET", "POST"])
@role_required(UserRole.COORDINATOR)
def paste() -> ResponseReturnValue:
    """Paste or upload e-mail addresses (and phones, addresses) for many officials."""
    form = ContactsListForm(data={"campaign": request.args.get("campaign", "")})
    if form.validate_on_submit():
        try:
            text = _list_text(form)
            read_contacts(text)
        except FeedError as error:
            form.text.errors = [in_reader_language(error.message)]
        else:
            token = uploads.keep(text.encode("utf-8"))
            return redirect(
                url_for("contacts.preview", token=token, campaign=form.campaign.data or None)
            )
    campaign = _campaign(form.campaign.data)
    return render_template("officials/contacts.html", form=form, campaign=campaign)


def _plans(token: str) -> list[ContactPlan] | None:
    data = uploads.load(token)
    if data is None:
        return None
    return plan_contacts(get_session(), read_contacts(data.decode("utf-8")))


@bp.get("/<token>")
@role_required(UserRole.COORDINATOR)
def preview(token: str) -> ResponseReturnValue:
    """Who gets what; which lines match nobody, or ask which official they mean."""
    plans = _plans(token)
    campaign_arg = request.args.get("campaign", "")
    if plans is None:
        flash(_("That list has expired or was already saved; paste it again."), "error")
        return redirect(url_for("contacts.paste", campaign=campaign_arg or None))
    confirm = ContactsConfirmForm(data={"token": token, "campaign": campaign_arg})
    return render_template(
        "officials/contacts_preview.html",
        plans=plans,
        confirm=confirm,
        campaign=_campaign(campaign_arg),
        who=who,
        ready=sum(1 for p in plans if p.line.ok and not p.nobody),
    )


@bp.post("/confirm")
@role_required(UserRole.COORDINATOR)
def confirm() -> ResponseReturnValue:
    """Save the previewed details, as answered, in one go: all of it or, on error, none."""
    form = ContactsConfirmForm()
    token = form.token.data or ""
    plans = _plans(token) if form.validate_on_submit() else None
    if plans is None:
        flash(_("That list has expired or was already saved; paste it again."), "error")
        return redirect(url_for("contacts.paste"))
    db = get_session()
    result = save_contacts(db, plans, answers_from(request.form), actor=current_user)
    db.commit()
    uploads.discard(token)
    flash(contacts_summary(result), "success")
    for why in result.skipped[:SKIPS_SHOWN]:
        flash(in_reader_language(why), "warning")
    campaign = _campaign(form.campaign.data)
    if campaign is not None:
        return redirect(url_for("letters.index", campaign_id=campaign.id))
    return redirect(url_for("officials.index"))


def contacts_summary(result: ContactsResult) -> str:
    """ "3 officials' contact details saved, 1 already had them, 2 lines skipped"."""
    parts = [
        ngettext(
            "Contact details saved for %(num)d official",
            "Contact details saved for %(num)d officials",
            result.updated,
        )
    ]
    if result.unchanged:
        parts.append(
            ngettext("%(num)d already had them", "%(num)d already had them", result.unchanged)
        )
    if result.skipped:
        parts.append(ngettext("%(num)d line skipped", "%(num)d lines skipped", len(result.skipped)))
    return ", ".join(parts) + "."
