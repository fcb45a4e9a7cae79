"""Replies to classify: a list on the home and campaign pages sets a reply's class in a click."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker.errors import OperationError
from tracker.forms.base import ActionForm
from tracker.models import Interaction, ReplyClass
from tracker.models.base import as_id
from tracker.operations.replies import classify_reply
from tracker.web.db import get_session, load_or_404

bp = Blueprint("replies", __name__, url_prefix="/replies")


@bp.post("/<int:interaction_id>/class")
def classify(interaction_id: int) -> ResponseReturnValue:
    """Set an unclassified reply's class, and go back to the list it was shown in."""
    interaction = load_or_404(Interaction, interaction_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        reply_class = ReplyClass(request.form.get("reply_class", ""))
    except ValueError:
        abort(400)
    session = get_session()
    try:
        classify_reply(session, interaction, reply_class, actor=current_user)
    except OperationError as error:
        flash(error.message, "error")
    else:
        session.commit()
        flash(_("Classified as %(kind)s; the figures count it so.", kind=reply_class.label), "info")
    campaign_id = as_id(request.form.get("campaign_id"))
    if campaign_id is not None:
        return redirect(url_for("campaigns.detail", campaign_id=campaign_id, _anchor="to-classify"))
    return redirect(url_for("home.index", _anchor="to-classify"))
