"""Switching the pages' language: one click from every page's header, signed in or not."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from tracker.operations.accounts import set_language
from tracker.web.db import get_session
from tracker.web.i18n import COOKIE, LANGUAGES
from tracker.web.urls import is_safe_redirect

bp = Blueprint("language", __name__)
ONE_YEAR = 365 * 24 * 3600


@bp.post("/language")
def choose() -> ResponseReturnValue:
    """Read Hilltrack in English or French from now on: saved on the account when signed in,
    and in a cookie for the sign-in page."""
    chosen = request.form.get("language", "")
    if chosen not in LANGUAGES:
        abort(400)
    if current_user.is_authenticated:
        session = get_session()
        user = session.merge(current_user._get_current_object())
        set_language(session, user, chosen)
        session.commit()
    back = request.form.get("next")
    response = redirect(back if back and is_safe_redirect(back, request.host) else "/")
    response.set_cookie(COOKIE, chosen, max_age=ONE_YEAR, samesite="Lax", httponly=True)
    return response
