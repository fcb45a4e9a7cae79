"""API tokens on the account page: make one (its secret shown once), revoke one."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker.errors import OperationError
from tracker.forms.accounts import ApiTokenForm
from tracker.forms.base import ActionForm
from tracker.models import ApiScope, ApiToken, User
from tracker.operations.api_tokens import create_token, revoke_token
from tracker.web.db import get_session, load_or_404

bp = Blueprint("api_tokens", __name__, url_prefix="/account/api-tokens")


@bp.post("/")
def create() -> ResponseReturnValue:
    """Make a named token and show its secret, this once (it is not stored)."""
    form = ApiTokenForm(prefix="token")
    if not form.validate_on_submit():
        flash(
            " ".join(m for ms in form.errors.values() for m in ms) or _("Check the form."), "error"
        )
        return redirect(url_for("auth.account", _anchor="api-tokens"))
    db = get_session()
    owner = load_or_404(User, current_user.id)
    try:
        token, secret = create_token(
            db,
            owner,
            name=form.name.data or "",
            scope=ApiScope(form.scope.data),
            expires_in_days=form.expires_in_days.data,
            actor=owner,
        )
    except OperationError as error:
        flash(error.message, "error")
        return redirect(url_for("auth.account", _anchor="api-tokens"))
    db.commit()
    return render_template("auth/token_created.html", token=token, secret=secret)


@bp.post("/<int:token_id>/revoke")
def revoke(token_id: int) -> ResponseReturnValue:
    """End a token at once: calls that present it get 401 from now on."""
    token = load_or_404(ApiToken, token_id)
    if token.user_id != current_user.id:
        abort(403)
    if not ActionForm().validate_on_submit():
        abort(400)
    db = get_session()
    revoke_token(db, token, actor=load_or_404(User, current_user.id))
    db.commit()
    flash(_("Revoked the token “%(name)s”.", name=token.name), "success")
    return redirect(url_for("auth.account", _anchor="api-tokens"))
