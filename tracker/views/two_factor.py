"""Two-factor sign-in: the code step after the password, and setting it up or off."""

from __future__ import annotations

import time

import segno
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from tracker.clock import utcnow
from tracker.errors import OperationError
from tracker.forms.accounts import CodeForm, DisableTwoFactorForm
from tracker.forms.base import ActionForm
from tracker.models import User, UserRole
from tracker.operations.throttle import note_attempt, seconds_to_wait
from tracker.operations.two_factor import check_code, disable, enable, new_secret, provisioning_uri
from tracker.views.auth import complete_sign_in
from tracker.web.db import get_session

bp = Blueprint("two_factor", __name__)
PENDING_FOR = 300  # seconds between the password and the code


def _pending_user() -> User | None:
    pending = session.get("pending_2fa") or {}
    if time.time() - pending.get("at", 0) > PENDING_FOR:
        return None
    user_id, _, version = str(pending.get("user", "")).partition(":")
    user = get_session().get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not user.is_active or str(user.session_version) != version:
        return None
    return user


@bp.route("/login/code", methods=["GET", "POST"])
def verify() -> ResponseReturnValue:
    """The second step of sign-in: the code from the person's authenticator app."""
    user = _pending_user()
    if user is None:
        flash(_("Please sign in again."), "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        db = get_session()
        addr, now = request.remote_addr or "unknown", utcnow()
        if seconds_to_wait(db, user.email, addr, now):
            flash(_("Too many attempts. Try again in a few minutes."), "error")
            return render_template("auth/code.html", form=form), 429
        ok = check_code(db, user, form.code.data or "")
        note_attempt(db, user.email, addr, succeeded=ok, now=now)
        db.commit()
        if ok:
            return complete_sign_in(user, session.get("pending_2fa", {}).get("next"))
        form.code.errors = [_("That code does not match. Codes change every 30 seconds.")]
    return render_template("auth/code.html", form=form)


def _qr_svg(uri: str) -> Markup:
    # segno draws the QR code as plain SVG paths: no script, nothing loaded from elsewhere.
    return Markup(segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff"))  # noqa: S704


@bp.post("/account/2fa/start")
def start() -> ResponseReturnValue:
    """Make a new secret for the person's app (saved only once they confirm a code)."""
    session["totp_setup"] = new_secret()
    return redirect(url_for("two_factor.setup"))


@bp.route("/account/2fa", methods=["GET", "POST"])
def setup() -> ResponseReturnValue:
    """Show the QR code and confirm the first code; or offer to turn two-factor sign-in off."""
    db = get_session()
    user = db.get(User, current_user.id)
    if user is None:
        abort(401)
    secret = session.get("totp_setup")
    form = CodeForm()
    if secret and form.validate_on_submit():
        try:
            enable(db, user, secret, form.code.data or "")
        except OperationError as error:
            form.show_error(error)
        else:
            db.commit()
            session.pop("totp_setup", None)
            flash(_("Two-factor sign-in is on."), "success")
            return redirect(url_for("auth.account"))
    qr = _qr_svg(provisioning_uri(secret, user.email)) if secret else None
    return render_template(
        "auth/two_factor.html",
        form=form,
        secret=secret,
        qr=qr,
        action=ActionForm(),
        disable_form=DisableTwoFactorForm(prefix="off"),
    )


@bp.post("/account/2fa/disable")
def turn_off() -> ResponseReturnValue:
    """Turn two-factor sign-in off, with the password (not allowed where it is required)."""
    db = get_session()
    user = db.get(User, current_user.id)
    if user is None:
        abort(401)
    if current_app.config.get("REQUIRE_2FA") and user.has_role(UserRole.COORDINATOR):
        flash(_("Your role needs two-factor sign-in; it cannot be turned off."), "error")
        return redirect(url_for("two_factor.setup"))
    form = DisableTwoFactorForm(prefix="off")
    try:
        if not form.validate_on_submit():
            raise OperationError(_("Give your password."))
        disable(db, user, form.password.data or "")
    except OperationError as error:
        flash(error.message, "error")
        return redirect(url_for("two_factor.setup"))
    db.commit()
    response = complete_sign_in(user, url_for("auth.account"))  # this session goes on
    flash(_("Two-factor sign-in is off. You are signed out of your other devices."), "success")
    return response
