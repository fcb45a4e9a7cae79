"""Signing in and out, loading the signed-in user, and the role checks every view relies on."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import (
    Blueprint,
    Flask,
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
from flask_login import LoginManager, current_user, login_user, logout_user

from tracker import audit
from tracker.db import get_session, utcnow
from tracker.forms import LoginForm, PasswordChangeForm
from tracker.models import User, UserRole
from tracker.operations import OperationError
from tracker.operations.accounts import authenticate, change_password, sign_out_everywhere
from tracker.operations.throttle import note_attempt, seconds_to_wait
from tracker.urls import is_safe_redirect

bp = Blueprint("auth", __name__)
login_manager = LoginManager()

# Everything else needs a signed-in user: deny by default.
# The calendar feed is reached by a calendar app with no session: its long secret URL is the
# credential, revocable from the account page.
PUBLIC_ENDPOINTS = frozenset(
    {"auth.login", "static", "health.healthz", "follow_ups.calendar_feed", "two_factor.verify"}
)
SIGN_IN_FAILED = "That email and password do not match an active account."

F = TypeVar("F", bound=Callable[..., Any])


def init_app(app: Flask) -> None:
    """Wire Flask-Login and the deny-by-default sign-in check."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.user_loader(_load_user)
    app.before_request(_require_sign_in)
    app.register_blueprint(bp)


def _load_user(token: str) -> User | None:
    """Load the user named in the session, if that session is still valid for them."""
    user_id, _, version = token.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = get_session().get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def _session_expired() -> bool:
    """True when the signed-in session has been idle too long or has lasted too long."""
    now = time.time()
    idle = float(current_app.config["SESSION_IDLE_MINUTES"]) * 60
    longest = float(current_app.config["SESSION_MAX_HOURS"]) * 3600
    seen = float(session.get("seen_at", now))
    started = float(session.get("auth_at", now))
    return now - seen > idle or now - started > longest


def _require_sign_in() -> ResponseReturnValue | None:
    if current_user.is_authenticated and _session_expired():
        logout_user()
        session.clear()
        flash("Your session expired; please sign in again.", "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if current_user.is_authenticated:
        session["seen_at"] = int(time.time())
        return None
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if request.endpoint is None:
        return None  # no such route: let the 404 through without revealing anything
    result: ResponseReturnValue = login_manager.unauthorized()
    return result


def role_required(role: UserRole) -> Callable[[F], F]:
    """Refuse with 403 unless the signed-in user has ``role`` or a higher one."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def require_role(role: UserRole) -> None:
    """Abort with 403 unless the signed-in user has ``role`` (for blueprint-wide checks)."""
    if not current_user.is_authenticated or not current_user.has_role(role):
        abort(403)


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
                f"Too many attempts. Try again in {minutes} minute{'s' if minutes != 1 else ''}.",
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
        flash(SIGN_IN_FAILED, "error")
    return render_template("auth/login.html", form=form)


def complete_sign_in(user: User, target: str | None) -> ResponseReturnValue:
    """Start a fresh session for ``user`` and go where they were heading, if it is safe."""
    session.clear()  # a fresh session at sign-in: nothing planted before survives
    session.permanent = True
    session["auth_at"] = session["seen_at"] = int(time.time())
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
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
def account() -> ResponseReturnValue:
    """Show the signed-in user's account and let them change their password."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        db = get_session()
        user = db.get(User, current_user.id)
        if user is None:
            abort(401)
        try:
            change_password(
                db, user, current=form.current_password.data or "", new=form.new_password.data or ""
            )
        except OperationError as error:
            db.commit()  # keep the audit record of a wrong current password
            form.show_error(error)
        else:
            db.commit()
            login_user(user)  # this session continues under the new session version
            flash("Password changed. Other devices have been signed out.", "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form)
