"""Who may see what: the signed-in user, session timeouts, two-factor and role checks.

Every request passes these gates before its view runs: deny by default, then the role each
view declares.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, current_app, flash, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, logout_user

from tracker.models import User, UserRole
from tracker.web.db import get_session
from tracker.web.problems import is_api_request

login_manager = LoginManager()

# Everything else needs a signed-in user: deny by default.
# The calendar feed is reached by a calendar app with no session: its long secret URL is the
# credential, revocable from the account page.
PUBLIC_ENDPOINTS = frozenset(
    {
        "auth.login",
        "static",
        "health.healthz",
        "follow_ups.calendar_feed",
        "two_factor.verify",
        "language.choose",
        # The API's document and its documentation page: no record in them.
        "api-docs.openapi_json",
        "api_docs.page",
        "api_docs.asset",
    }
)
# Pages a coordinator without two-factor sign-in may still reach when REQUIRE_2FA is on.
TWO_FACTOR_EXEMPT = frozenset(
    {
        "two_factor.setup",
        "two_factor.start",
        "language.choose",
        "auth.logout",
        "static",
        "auth.login",
        "two_factor.verify",
        "health.healthz",
    }
)

F = TypeVar("F", bound=Callable[..., Any])

# Who may read what people wrote back (a message's body): its page and the API both ask this.
MESSAGE_BODY_ROLE = UserRole.VOLUNTEER


def init_app(app: Flask) -> None:
    """Wire Flask-Login, the deny-by-default sign-in check and the two-factor requirement."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(_load_user)
    app.before_request(_require_sign_in)
    app.before_request(_require_two_factor)
    app.before_request(_require_own_password)


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


# How often a signed-in request writes the time it was seen into the session: rewriting it on
# every request would send a new signed cookie with every page (serialised and signed again);
# once a minute keeps the idle timeout to within a minute of what it says.
SEEN_AT_EVERY_SECONDS = 60


def _require_sign_in() -> ResponseReturnValue | None:
    if is_api_request():
        return None  # the API signs each call in by its bearer token, never by the session
    if request.endpoint == "static":
        return None  # public files: the signed-in user is not loaded for them
    if current_user.is_authenticated and _session_expired():
        logout_user()
        session.clear()
        flash(_("Your session expired; please sign in again."), "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if current_user.is_authenticated:
        _note_seen()
        return None
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if request.endpoint is None:
        return None  # no such route: let the 404 through without revealing anything
    result: ResponseReturnValue = login_manager.unauthorized()
    return result


def _note_seen() -> None:
    """Record that the signed-in session is in use, at most once a SEEN_AT_EVERY_SECONDS."""
    now = int(time.time())
    if now - int(session.get("seen_at", 0)) >= SEEN_AT_EVERY_SECONDS:
        session["seen_at"] = now


def _require_two_factor() -> ResponseReturnValue | None:
    if (
        is_api_request()
        or not current_app.config.get("REQUIRE_2FA")
        or request.endpoint in TWO_FACTOR_EXEMPT
        or not current_user.is_authenticated
        or current_user.totp_secret
        or not current_user.has_role(UserRole.COORDINATOR)
    ):
        return None
    flash(_("Your role needs two-factor sign-in: set it up to continue."), "info")
    return redirect(url_for("two_factor.setup"))


# Pages someone holding a one-time password may reach before choosing their own.
PASSWORD_CHANGE_EXEMPT = frozenset({"auth.account", "auth.logout", "static", "health.healthz"})


def _require_own_password() -> ResponseReturnValue | None:
    if (
        is_api_request()
        or request.endpoint in PASSWORD_CHANGE_EXEMPT
        or not current_user.is_authenticated
        or not current_user.must_change_password
    ):
        return None
    flash(_("You signed in with a one-time password: choose your own to continue."), "info")
    return redirect(url_for("auth.account", _anchor="password"))


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
