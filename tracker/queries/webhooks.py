"""Reading webhook subscriptions and their delivery log."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from tracker.models import WebhookDelivery, WebhookSubscription

LOG_LENGTH = 50


def subscriptions(session: Session) -> list[WebhookSubscription]:
    """Every subscription, newest first, with its owner."""
    return list(
        session.scalars(
            select(WebhookSubscription)
            .options(selectinload(WebhookSubscription.owner))
            .order_by(WebhookSubscription.id.desc())
        )
    )


def delivery_log(session: Session, subscription_id: int) -> list[WebhookDelivery]:
    """The subscription's latest deliveries, newest first."""
    return list(
        session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.subscription_id == subscription_id)
            .order_by(WebhookDelivery.id.desc())
            .limit(LOG_LENGTH)
        )
    )


def paused_for_failing(session: Session, owner_id: int) -> list[WebhookSubscription]:
    """The owner's subscriptions Hilltrack paused after a day of failures (for their home)."""
    return list(session.scalars(paused_subscriptions(owner_id)))


def paused_subscriptions(owner_id: int) -> Select[WebhookSubscription]:
    """paused_for_failing's statement (home asks first whether it finds any)."""
    return (
        select(WebhookSubscription)
        .where(
            WebhookSubscription.owner_id == owner_id,
            WebhookSubscription.is_paused_for_failing.is_(True),
        )
        .order_by(WebhookSubscription.id)
    )
