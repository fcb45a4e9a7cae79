"""API tokens: made on the account page or the command line, shown once, revoked, ended with
their owner's account; and the answers kept so that a retried write records once."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from tracker.clock import utcnow
from tracker.errors import OperationError
from tracker.models import ApiIdempotentAnswer, ApiScope, ApiToken, User
from tracker.operations import audit

SECRET_PREFIX = "hlt_"  # noqa: S105 (not a secret: says what the secret is when it turns up in a log or a paste
MAX_EXPIRY_DAYS = 3650
MAX_NAME = 100
# How long a write's answer is kept for a retry with the same Idempotency-Key.
KEEP_ANSWERS = dt.timedelta(days=7)


def secret_hash(secret: str) -> str:
    """The stored form of a secret: SHA-256 is enough for 256 random bits (no guessing)."""
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def create_token(
    session: Session,
    owner: User,
    *,
    name: str,
    scope: ApiScope,
    expires_in_days: int | None,
    actor: User | None,
) -> tuple[ApiToken, str]:
    """Make a named token for ``owner``; returns it and its secret, which is never stored."""
    name = " ".join(name.split())[:MAX_NAME]
    if not name:
        raise OperationError(_("Give the token a name that says where it is used."), field="name")
    if not owner.is_active:
        raise OperationError(_("That person's account is deactivated."))
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
        raise OperationError(
            _("A token expires after 1 to %(days)d days.", days=MAX_EXPIRY_DAYS),
            field="expires_in_days",
        )
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=owner.id,
        name=name,
        prefix=secret[: len(SECRET_PREFIX) + 6],
        secret_hash=secret_hash(secret),
        scope=scope,
        expires_at=(
            utcnow() + dt.timedelta(days=expires_in_days) if expires_in_days is not None else None
        ),
    )
    session.add(token)
    session.flush()
    audit.record(
        session,
        "api_token.create",
        actor=actor,
        obj=token,
        after={"user_id": owner.id, "name": name, "scope": scope.value},
    )
    return token, secret


def revoke_token(session: Session, token: ApiToken, *, actor: User) -> None:
    """End a token at once; a request that presents it afterwards gets 401."""
    if token.user_id != actor.id:
        raise PermissionError("not this person's token")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
        audit.record(
            session, "api_token.revoke", actor=actor, obj=token, after={"name": token.name}
        )


def end_tokens_of(session: Session, user: User) -> None:
    """Revoke every token a person holds (their account is being deactivated)."""
    session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def remember_answer(
    session: Session, token: ApiToken, key: str, request: str, status: int, body: dict[str, Any]
) -> None:
    """Keep what a write answered under ``key``, in the same unit of work as the write (and
    forget this token's answers older than KEEP_ANSWERS: no client retries for a week)."""
    session.execute(
        delete(ApiIdempotentAnswer).where(
            ApiIdempotentAnswer.token_id == token.id,
            ApiIdempotentAnswer.created_at < utcnow() - KEEP_ANSWERS,
        )
    )
    session.add(
        ApiIdempotentAnswer(token_id=token.id, key=key, request=request, status=status, body=body)
    )
    session.flush()
