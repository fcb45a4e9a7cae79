"""Who is calling: the bearer token, its owner (who must still be active) and its scope. A
session cookie never signs an API call in, so no page's cookie can be ridden across sites."""

from __future__ import annotations

import hashlib

from flask import current_app, g, request
from flask_babel import gettext as _
from flask_babel import refresh

from tracker.clock import utcnow
from tracker.models import ApiScope, ApiToken, User, UserRole
from tracker.operations.api_tokens import secret_hash
from tracker.queries.api import token_by_hash
from tracker.web.db import get_session
from tracker.web.problems import ApiProblem

READING = frozenset({"GET", "HEAD", "OPTIONS"})
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="hilltrack"'}


def presented_secret() -> str | None:
    """The secret after "Bearer " in the Authorization header, if there is one."""
    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    secret = secret.strip()
    return secret if scheme.lower() == "bearer" and secret else None


def rate_limit_key() -> str:
    """One budget per token (by its secret's hash, read without the database); per address
    for calls without one."""
    secret = presented_secret()
    if secret is None:
        return f"addr:{request.remote_addr}"
    return "token:" + hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()[:32]


def authenticate() -> None:
    """Sign the call in by its token, or refuse it with 401 (403 for a write with a read token)."""
    secret = presented_secret()
    token = token_by_hash(get_session(), secret_hash(secret)) if secret else None
    if token is None or not token.is_usable(utcnow()):
        raise ApiProblem(401, _unauthorized_detail(secret, token), headers=CHALLENGE)
    g.api_token, g.api_user, g.api_token_name = token, token.user, token.name
    g.api_language = token.user.language or current_app.config.get("DEFAULT_LANGUAGE", "en")
    g.pop("language", None)
    refresh()  # the owner's language from here on, for every message of the answer
    if request.method not in READING and token.scope is not ApiScope.WRITE:
        raise ApiProblem(
            403,
            _(
                "This token can only read. Make a token with write access on your account "
                "page to record changes."
            ),
        )


def _unauthorized_detail(secret: str | None, token: ApiToken | None) -> str:
    if secret is None:
        return str(
            _(
                "Send your API token as “Authorization: Bearer <token>”. Make one on your "
                "account page."
            )
        )
    if token is not None and token.revoked_at is not None:
        return str(_("This token was revoked. Make a new one on your account page."))
    if token is not None and token.user.is_active:
        return str(_("This token has expired. Make a new one on your account page."))
    return str(_("This token is not valid. Check it was copied whole, or make a new one."))


def api_user() -> User:
    """The token's owner: every operation acts as them."""
    user: User = g.api_user
    return user


def api_token() -> ApiToken:
    token: ApiToken = g.api_token
    return token


def require_role(role: UserRole) -> None:
    """Refuse, as the pages do, what the owner's role may not do."""
    if not api_user().has_role(role):
        raise ApiProblem(
            403,
            _(
                "Your role (%(role)s) cannot do this; it needs a %(needed)s. Ask a coordinator.",
                role=api_user().role.label.lower(),
                needed=role.label.lower(),
            ),
        )
