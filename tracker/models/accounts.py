"""People who use Hilltrack, and the append-only record of what they did."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.clock import utcnow
from tracker.models.base import Base, UTCDateTime
from tracker.models.enums import UserRole, enum_column


class User(Base):
    """A coalition member with an account: volunteer, coordinator or admin."""

    # "user" is reserved in PostgreSQL.
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[UserRole] = mapped_column(enum_column(UserRole), default=UserRole.VOLUNTEER)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Part of the signed session: bumping it signs the user out everywhere.
    session_version: Mapped[int] = mapped_column(default=1)
    # Two-factor authentication: the TOTP secret, and the last time step used (no replays).
    # A password someone else chose or a machine generated: its owner must replace it at once.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None]
    # The secret in the URL of the user's follow-ups calendar; None when revoked.
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # "en" or "fr": the language the pages speak to this person; None follows the browser.
    language: Mapped[str | None] = mapped_column(String(2))
    # Indexed: assignee menus offer those who signed in last (queries.accounts.assignee_choices).
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    # Flask-Login protocol.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def has_role(self, role: UserRole) -> bool:
        """True if this user's role is ``role`` or above (admin > coordinator > volunteer)."""
        return self.role.rank >= role.rank

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class AuditEvent(Base):
    """Who did what to which record, when, with the values before and after. Never updated."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None]
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    request_id: Mapped[str | None] = mapped_column(String(40))
    # The API token's name when the change came through the API ("through the API with ...").
    api_token_name: Mapped[str | None] = mapped_column(String(100))
    remote_addr: Mapped[str | None] = mapped_column(String(45))

    actor: Mapped[User | None] = relationship()


class SignInAttempt(Base):
    """One evaluated sign-in attempt, kept a day, for throttling shared by every worker."""

    __tablename__ = "sign_in_attempt"
    __table_args__ = (
        Index("ix_sign_in_attempt_email_at", "email_key", "at"),
        Index("ix_sign_in_attempt_addr_at", "remote_addr", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    email_key: Mapped[str] = mapped_column(String(254))
    remote_addr: Mapped[str] = mapped_column(String(45))
    succeeded: Mapped[bool] = mapped_column(default=False)
