"""Webhooks: the URLs a coordinator subscribed to events, and each event's delivery to one.

A delivery row is written in the transaction that records the fact it tells of (the outbox):
nothing is sent for a write that was rolled back, and nothing is lost when a worker dies, since
the worker sends what the table says is still pending.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.clock import utcnow
from tracker.models.accounts import User
from tracker.models.base import Base, SaidText, UTCDateTime
from tracker.models.enums import DeliveryState, enum_column


class WebhookSubscription(Base):
    """A URL that hears of some events, signed with its own secret."""

    __tablename__ = "webhook_subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    # Event types (models.WebhookEvent values) this URL hears of.
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The HMAC key: shown once when the subscription is made; the worker needs it to sign.
    secret: Mapped[str] = mapped_column(String(100))
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Paused by a person, or by Hilltrack after a day of failures (is_paused_for_failing).
    paused_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    is_paused_for_failing: Mapped[bool] = mapped_column(default=False)
    # The first failed attempt since the last one that worked (None: all is well).
    failing_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    owner: Mapped[User | None] = relationship()

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None


class WebhookDelivery(Base):
    """One event for one subscription: its exact body, and how sending it went."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        Index("ix_webhook_delivery_subscription_id", "subscription_id", "id"),
        Index("ix_webhook_delivery_state_next_attempt", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_subscription.id", ondelete="CASCADE")
    )
    event_id: Mapped[str] = mapped_column(String(36))
    event_type: Mapped[str] = mapped_column(String(40))
    # The JSON body exactly as signed and sent, so every attempt sends the same bytes.
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[DeliveryState] = mapped_column(
        enum_column(DeliveryState), default=DeliveryState.PENDING
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    status_code: Mapped[int | None] = mapped_column(SmallInteger)
    # The start of the receiver's answer, as plain text (never more: see jobs.webhooks).
    response_excerpt: Mapped[str | None] = mapped_column(String(300))
    # What went wrong, in words (refused address, timeout, connection refused).
    error: Mapped[str | None] = mapped_column(SaidText)
    job_id: Mapped[int | None] = mapped_column(
        ForeignKey("job.id", ondelete="SET NULL"), index=True
    )

    subscription: Mapped[WebhookSubscription] = relationship()
