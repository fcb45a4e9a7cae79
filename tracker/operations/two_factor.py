"""Time-based one-time codes (TOTP, RFC 6238) as a second factor, with no code used twice."""

from __future__ import annotations

import hmac
import time

import pyotp
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from tracker.errors import OperationError
from tracker.models import User
from tracker.operations import audit
from tracker.rules.passwords import verify_password

STEP = 30
ISSUER = "Hilltrack"


def new_secret() -> str:
    """A fresh random secret for an authenticator app."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return str(pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER))


def matching_step(
    secret: str, code: str, last_step: int | None, now: float | None = None
) -> int | None:
    """The time step whose code this is (one step of clock drift allowed), or None.

    A code from a step already used is refused, so an overheard code cannot be replayed.
    """
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    now = time.time() if now is None else now
    totp = pyotp.TOTP(secret)
    for offset in (0, -1, 1):
        at = now + offset * STEP
        step = int(at // STEP)
        if hmac.compare_digest(totp.at(at), code) and (last_step is None or step > last_step):
            return step
    return None


def enable(session: Session, user: User, secret: str, code: str) -> None:
    """Turn two-factor sign-in on, once the person has shown their app gives the right code."""
    step = matching_step(secret, code, None)
    if step is None:
        raise OperationError(
            _("That code does not match; check the app and try again."), field="code"
        )
    user.totp_secret, user.totp_last_step = secret, step
    audit.record(session, "auth.2fa_enabled", actor=user, obj=user)


def disable(session: Session, user: User, password: str) -> None:
    """Turn two-factor sign-in off; needs the password."""
    if not verify_password(user.password_hash, password):
        raise OperationError(_("That is not your current password."), field="password")
    user.totp_secret = user.totp_last_step = None
    user.session_version += 1  # other sessions end: they were opened with the second factor
    audit.record(session, "auth.2fa_disabled", actor=user, obj=user)


def check_code(session: Session, user: User, code: str) -> bool:
    """True, and the step remembered, if ``code`` is the user's current code."""
    step = matching_step(user.totp_secret or "", code, user.totp_last_step)
    if step is None:
        audit.record(session, "auth.2fa_failed", actor=user, obj=user)
        return False
    user.totp_last_step = step
    audit.record(session, "auth.2fa_ok", actor=user, obj=user)
    return True
