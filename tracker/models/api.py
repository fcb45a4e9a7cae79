"""The API's credentials: named tokens a person holds, and the answers to retried writes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.clock import utcnow
from tracker.models.accounts import User
from tracker.models.base import Base, UTCDateTime
from tracker.models.enums import ApiScope, enum_column


class ApiToken(Base):
    """A named credential for another tool, acting as its owner within its scope. Only the
    SHA-256 of the secret is kept: the secret is shown once, when the token is made."""

    __tablename__ = "api_token"
    __table_args__ = (Index("ix_api_token_user_revoked", "user_id", "revoked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    # The secret's first characters, so a person can tell their tokens apart on the page.
    prefix: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[ApiScope] = mapped_column(enum_column(ApiScope))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def is_usable(self, now: dt.datetime) -> bool:
        """Neither revoked nor expired, and its owner still active."""
        return (
            self.revoked_at is None
            and (self.expires_at is None or self.expires_at > now)
            and self.user.is_active
        )


class ApiIdempotentAnswer(Base):
    """What a write answered under a client's Idempotency-Key: the same key again from the same
    token gets this answer back, and nothing is recorded twice."""

    __tablename__ = "api_idempotent_answer"
    __table_args__ = (UniqueConstraint("token_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_token.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    # The request it answered (method and path): the same key on another request is refused.
    request: Mapped[str] = mapped_column(String(300))
    status: Mapped[int] = mapped_column(SmallInteger)
    body: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
