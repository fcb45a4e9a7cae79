"""Sign-in throttling that slows guessing without letting anyone lock a colleague out.

Three counters over recent failures, all in the database so every worker shares them:
- one client against one account: after 5 failures in 15 minutes, that client waits;
- one client against any accounts: after 30 failures in 15 minutes, that client waits;
- one account from anywhere: after 100 failures in an hour (ASVS 4.0.3 2.2.1) the account
  waits, except from a client that signed into it successfully in the last 30 days.
Throttled requests are answered without checking the password at all.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from tracker.models import SignInAttempt
from tracker.operations.accounts import normalize_email

WINDOW = dt.timedelta(minutes=15)
PER_ACCOUNT_AND_CLIENT = 5
PER_CLIENT = 30
ACCOUNT_WINDOW = dt.timedelta(hours=1)
PER_ACCOUNT = 100
TRUSTED_FOR = dt.timedelta(days=30)
KEEP = dt.timedelta(days=31)


def _failures(session: Session, since: dt.datetime, **match: str) -> list[dt.datetime]:
    query = select(SignInAttempt.at).where(
        SignInAttempt.at >= since, SignInAttempt.succeeded.is_(False)
    )
    for column, value in match.items():
        query = query.where(getattr(SignInAttempt, column) == value)
    return list(session.scalars(query.order_by(SignInAttempt.at.desc())))


def _wait(failures: list[dt.datetime], limit: int, window: dt.timedelta, now: dt.datetime) -> float:
    """Seconds until the oldest of the last ``limit`` failures leaves the window."""
    if len(failures) < limit:
        return 0.0
    return max(0.0, (failures[limit - 1] + window - now).total_seconds())


def _trusted(session: Session, email: str, addr: str, now: dt.datetime) -> bool:
    return bool(
        session.scalar(
            select(func.count())
            .select_from(SignInAttempt)
            .where(
                SignInAttempt.email_key == email,
                SignInAttempt.remote_addr == addr,
                SignInAttempt.succeeded.is_(True),
                SignInAttempt.at >= now - TRUSTED_FOR,
            )
        )
    )


def seconds_to_wait(session: Session, email: str, addr: str, now: dt.datetime) -> float:
    """How long this client must wait before its next attempt on this account (0: go ahead)."""
    email = normalize_email(email)
    waits = [
        _wait(
            _failures(session, now - WINDOW, email_key=email, remote_addr=addr),
            PER_ACCOUNT_AND_CLIENT,
            WINDOW,
            now,
        ),
        _wait(_failures(session, now - WINDOW, remote_addr=addr), PER_CLIENT, WINDOW, now),
    ]
    if not _trusted(session, email, addr, now):
        waits.append(
            _wait(
                _failures(session, now - ACCOUNT_WINDOW, email_key=email),
                PER_ACCOUNT,
                ACCOUNT_WINDOW,
                now,
            )
        )
    return max(waits)


def note_attempt(
    session: Session, email: str, addr: str, *, succeeded: bool, now: dt.datetime
) -> None:
    """Record an evaluated attempt, and forget attempts older than a month."""
    session.add(
        SignInAttempt(
            at=now, email_key=normalize_email(email)[:254], remote_addr=addr, succeeded=succeeded
        )
    )
    session.execute(delete(SignInAttempt).where(SignInAttempt.at < now - KEEP))
