"""A campaign's co-signatories: added in signing order, and removed."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from tracker.forms.campaigns import SignatoryForm
from tracker.models import Signatory, SignatoryKind, UserRole
from tracker.operations.campaigns import add_signatory, remove_signatory
from tracker.views.loading import campaign_or_404
from tracker.web.access import role_required
from tracker.web.db import get_session, or_404

bp = Blueprint("signatories", __name__, url_prefix="/campaigns")


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
        flash(f"Added {form.name.data} as a signatory.", "success")
    else:
        flash("Give the signatory's name.", "error")
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id, _anchor="signatories"))


@bp.post("/<int:campaign_id>/signatories/<int:signatory_id>/delete")
@role_required(UserRole.COORDINATOR)
def delete(campaign_id: int, signatory_id: int) -> ResponseReturnValue:
    """Take a signatory off the list."""
    campaign = campaign_or_404(campaign_id)
    db = get_session()
    signatory = or_404(db.get(Signatory, signatory_id))
    if signatory.campaign_id != campaign.id:
        abort(404)
    remove_signatory(db, signatory, actor=current_user)
    db.commit()
    flash(f"Removed {signatory.name}.", "success")
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id, _anchor="signatories"))
