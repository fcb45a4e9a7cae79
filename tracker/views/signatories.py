"""A campaign's co-signatories: added one by one or as a pasted list, reordered, edited, and
given one lead author, in one save."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from tracker.errors import OperationError
from tracker.forms.campaigns import PastedSignatoriesForm, SignatoryForm, SignatoryListForm
from tracker.models import Campaign, SignatoryKind, UserRole
from tracker.models.base import as_id
from tracker.operations.signatories import (
    SignatoryEdit,
    add_pasted_signatories,
    add_signatory,
    read_pasted_list,
    save_signatory_list,
)
from tracker.views.loading import campaign_or_404
from tracker.web.access import role_required
from tracker.web.db import get_session

bp = Blueprint("signatories", __name__, url_prefix="/campaigns")


def _back_to_list(campaign: Campaign) -> ResponseReturnValue:
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id, _anchor="signatories"))


def signatory_list_form(campaign: Campaign) -> SignatoryListForm:
    """The editable list, filled with the campaign's signatories in order."""
    lead = next((s.id for s in campaign.signatories if s.is_lead), None)
    rows = [
        {"id": s.id, "position": s.position, "name": s.name, "note": s.note or ""}
        for s in campaign.signatories
    ]
    return SignatoryListForm(prefix="sigs", data={"rows": rows, "lead": lead or ""})


@bp.post("/<int:campaign_id>/signatories")
@role_required(UserRole.COORDINATOR)
def add(campaign_id: int) -> ResponseReturnValue:
    """Add a co-signatory at the end of the list."""
    campaign = campaign_or_404(campaign_id)
    form = SignatoryForm(prefix="sig")
    if form.validate_on_submit():
        db = get_session()
        add_signatory(
            db,
            campaign,
            name=form.name.data or "",
            kind=SignatoryKind(form.kind.data),
            is_lead=bool(form.is_lead.data),
            note=form.note.data,
            actor=current_user,
        )
        db.commit()
        flash(_("Added %(data)s as a signatory.", data=form.name.data), "success")
    else:
        flash(_("Give the signatory's name."), "error")
    return _back_to_list(campaign)


@bp.post("/<int:campaign_id>/signatories/paste")
@role_required(UserRole.COORDINATOR)
def paste(campaign_id: int) -> ResponseReturnValue:
    """A pasted list, one name per line: previewed first, added on confirmation."""
    campaign = campaign_or_404(campaign_id)
    form = PastedSignatoriesForm(prefix="paste")
    if not form.validate_on_submit():
        flash(_("Paste at least one name, one per line."), "error")
        return _back_to_list(campaign)
    db = get_session()
    if not form.confirm.data:
        lines = read_pasted_list(db, campaign, form.names.data or "")
        return render_template(
            "campaigns/signatories_preview.html", campaign=campaign, form=form, lines=lines
        )
    try:
        added = add_pasted_signatories(
            db, campaign, form.names.data or "", SignatoryKind(form.kind.data), actor=current_user
        )
    except OperationError as error:
        flash(error.message, "error")
    else:
        db.commit()
        flash(
            ngettext("Added %(num)d signatory.", "Added %(num)d signatories.", len(added)),
            "success",
        )
    return _back_to_list(campaign)


@bp.post("/<int:campaign_id>/signatories/list")
@role_required(UserRole.COORDINATOR)
def save_list(campaign_id: int) -> ResponseReturnValue:
    """Save the whole list at once: order, names, notes, removals and the lead author."""
    campaign = campaign_or_404(campaign_id)
    form = SignatoryListForm(prefix="sigs")
    db = get_session()
    try:
        if not form.validate_on_submit():
            raise OperationError(_("Give every signatory a name and a position from 1."))
        edits = [
            SignatoryEdit(
                id=as_id(row.id.data) or 0,
                name=row.name.data or "",
                note=row.note.data or "",
                position=row.position.data or 0,
                remove=bool(row.remove.data),
            )
            for row in (entry.form for entry in form.rows)
        ]
        lead = as_id(form.lead.data)
        save_signatory_list(db, campaign, edits, lead, actor=current_user)
    except OperationError as error:
        db.rollback()
        flash(error.message, "error")
    else:
        db.commit()
        flash(_("Signatories saved."), "success")
    return _back_to_list(campaign)
