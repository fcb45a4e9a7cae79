"""Signing in and out, and the signed-in person's own account page."""

from __future__ import annotations

import math
import time

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user

from tracker.clock import utcnow
from tracker.errors import OperationError
from tracker.forms.accounts import ApiTokenForm, LoginForm, OwnPasswordForm, PasswordChangeForm
from tracker.forms.base import ActionForm
from tracker.models import User
from tracker.operations import audit
from tracker.operations.accounts import (
    authenticate,
    change_password,
    replace_one_time_password,
    sign_out_everywhere,
)
from tracker.operations.throttle import note_attempt, seconds_to_wait
from tracker.queries.api import tokens_of
from tracker.web.db import get_session
from tracker.web.urls import is_safe_redirect

bp = Blueprint("auth", __name__)
SIGN_IN_FAILED = _l("That email and password do not match an active account.")
# How long after signing in with a one-time password its owner may replace it without typing
# it again: the time to choose a new one, not a session-long pass.
ONE_TIME_TYPED_FOR = 30 * 60


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """Show the sign-in form and sign the user in."""
    form = LoginForm()
    if form.validate_on_submit():
        db = get_session()
        email, addr, now = form.email.data or "", request.remote_addr or "unknown", utcnow()
        wait = seconds_to_wait(db, email, addr, now)
        if wait:
            audit.record(db, "auth.throttled", actor=None, after={"email": email[:254]})
            db.commit()
            minutes = max(1, math.ceil(wait / 60))
            flash(
                ngettext(
                    "Too many attempts. Try again in %(num)d minute.",
                    "Too many attempts. Try again in %(num)d minutes.",
                    minutes,
                ),
                "error",
            )
            return render_template("auth/login.html", form=form), 429
        user = authenticate(db, email, form.password.data or "")
        note_attempt(db, email, addr, succeeded=user is not None, now=now)
        db.commit()
        if user is not None and user.totp_secret:
            session.clear()
            session["pending_2fa"] = {
                "user": user.get_id(),
                "at": int(time.time()),
                "next": request.args.get("next"),
            }
            return redirect(url_for("two_factor.verify"))
        if user is not None:
            return complete_sign_in(user, request.args.get("next"))
        flash(str(SIGN_IN_FAILED), "error")
    return render_template("auth/login.html", form=form)


def complete_sign_in(user: User, target: str | None) -> ResponseReturnValue:
    """Start a fresh session for ``user`` and go where they were heading, if it is safe."""
    session.clear()  # a fresh session at sign-in: nothing planted before survives
    session.permanent = True
    session["auth_at"] = session["seen_at"] = int(time.time())
    if user.must_change_password:
        session["one_time_typed"] = True  # this very sign-in typed it
    login_user(user)
    if target is None or not is_safe_redirect(target, request.host):
        target = url_for("home.index")
    return redirect(target)


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """Sign out, invalidating the session on the server so a copied cookie is refused."""
    db = get_session()
    user = db.get(User, current_user.id)
    if user is not None:
        sign_out_everywhere(db, user)
        db.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


def _one_time_just_typed() -> bool:
    """True when this session signed in with the one-time password a moment ago."""
    recent = int(time.time()) - int(session.get("auth_at", 0)) < ONE_TIME_TYPED_FOR
    return bool(current_user.must_change_password and session.get("one_time_typed") and recent)


@bp.route("/account", methods=["GET", "POST"])
def account() -> ResponseReturnValue:
    """Show the signed-in user's account and let them change their password. Someone who just
    signed in with a one-time password chooses their own without typing that one again, and
    goes on to the home page."""
    forced = bool(current_user.must_change_password)
    just_typed = _one_time_just_typed()
    form: PasswordChangeForm | OwnPasswordForm = (
        OwnPasswordForm() if just_typed else PasswordChangeForm()
    )
    if form.validate_on_submit():
        db = get_session()
        user = db.get(User, current_user.id)
        if user is None:
            abort(401)
        new = form.new_password.data or ""
        try:
            if isinstance(form, OwnPasswordForm):
                replace_one_time_password(db, user, new=new)
            else:
                current = form.current_password.data or ""
                change_password(db, user, current=current, new=new)
        except OperationError as error:
            db.commit()  # keep the audit record of a wrong current password
            form.show_error(error)
        else:
            db.commit()
            session.pop("one_time_typed", None)
            login_user(user)  # this session continues under the new session version
            if forced:
                flash(_("Your own password is set. Welcome to Hilltrack."), "success")
                return redirect(url_for("home.index"))
            flash(_("Password changed. Other devices have been signed out."), "success")
            return redirect(url_for("auth.account"))
    return render_template(
        "auth/account.html",
        form=form,
        just_typed=just_typed,
        tokens=tokens_of(get_session(), current_user.id),
        token_form=ApiTokenForm(prefix="token"),
        action=ActionForm(),
        now=utcnow(),
    )
