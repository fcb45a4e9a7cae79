"""Webhook subscriptions as coordinators keep them, and what became of each delivery.

A delivery that fails is tried again later, each pause twice the last (30 seconds up to an
hour). A subscription whose deliveries have failed for a whole day is paused, its waiting
deliveries abandoned, and its owner told on their home page; resuming it starts afresh.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from tracker.clock import utcnow
from tracker.errors import OperationError
from tracker.formats.said import in_reader_language
from tracker.models import (
    DeliveryState,
    User,
    UserRole,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from tracker.operations import audit, events
from tracker.rules.webhook_targets import Refused, check_url

FIRST_PAUSE = dt.timedelta(seconds=30)
LONGEST_PAUSE = dt.timedelta(hours=1)
# Failing this long pauses a subscription; a delivery refused this long is given up.
GIVE_UP_AFTER = dt.timedelta(days=1)
EXCERPT_CHARS = 300
# The delivery log keeps finished deliveries this long.
KEEP_LOG = dt.timedelta(days=30)
FINISHED = (DeliveryState.DELIVERED, DeliveryState.FAILED, DeliveryState.ABANDONED)
CHOOSABLE = [event for event in WebhookEvent if event is not WebhookEvent.TEST]


def may_manage_webhooks(user: User) -> bool:
    """Admins and coordinators subscribe URLs to events; volunteers do not."""
    return user.has_role(UserRole.COORDINATOR)


def create_subscription(
    session: Session, url: str, kinds: list[str], *, actor: User, allow_private: bool
) -> WebhookSubscription:
    """Subscribe ``url`` to the events ``kinds``, with a new secret (shown once)."""
    url = url.strip()
    try:
        check_url(url, allow_private=allow_private)
    except Refused as refused:
        raise OperationError(in_reader_language(refused.message), field="url") from None
    chosen = [kind.value for kind in CHOOSABLE if kind.value in kinds]
    if not chosen:
        raise OperationError(_("Choose at least one event."), field="events")
    subscription = WebhookSubscription(
        url=url, events=chosen, secret=f"whsec_{secrets.token_hex(24)}", owner_id=actor.id
    )
    session.add(subscription)
    session.flush()
    audit.record(
        session,
        "webhook.create",
        actor=actor,
        obj=subscription,
        after={"url": url, "events": chosen},
    )
    events.forget_listeners(session)
    return subscription


def pause(session: Session, subscription: WebhookSubscription, *, actor: User) -> None:
    """A person pauses the subscription: nothing more is sent until it is resumed."""
    if subscription.is_paused:
        return
    _pause(session, subscription, utcnow(), failing=False)
    audit.record(session, "webhook.pause", actor=actor, obj=subscription, after=_url(subscription))


def resume(session: Session, subscription: WebhookSubscription, *, actor: User) -> None:
    """Events are sent again from now on (what was abandoned while paused stays so)."""
    if not subscription.is_paused:
        return
    subscription.paused_at = None
    subscription.is_paused_for_failing = False
    subscription.failing_since = None
    audit.record(session, "webhook.resume", actor=actor, obj=subscription, after=_url(subscription))
    events.forget_listeners(session)


def delete_subscription(
    session: Session, subscription: WebhookSubscription, *, actor: User
) -> None:
    """Remove the subscription and its delivery log."""
    audit.record(
        session, "webhook.delete", actor=actor, obj=subscription, before={"url": subscription.url}
    )
    session.delete(subscription)
    session.flush()
    events.forget_listeners(session)


def _url(subscription: WebhookSubscription) -> dict[str, str]:
    return {"url": subscription.url}


def send_test_event(session: Session, subscription: WebhookSubscription, *, actor: User) -> None:
    """Queue a "test" event to this subscription alone, paused or not."""
    events.emit(
        session,
        WebhookEvent.TEST,
        [{"subscription_id": subscription.id, "sent_by": actor.id}],
        only=subscription.id,
    )


def _pause(
    session: Session, subscription: WebhookSubscription, now: dt.datetime, *, failing: bool
) -> None:
    subscription.paused_at = now
    subscription.is_paused_for_failing = failing
    session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.subscription_id == subscription.id,
            WebhookDelivery.state.in_((DeliveryState.PENDING, DeliveryState.SENDING)),
            WebhookDelivery.event_type != WebhookEvent.TEST.value,
        )
        .values(state=DeliveryState.ABANDONED, next_attempt_at=None)
    )
    events.forget_listeners(session)


# The worker's side (tracker.jobs.webhooks).


@dataclass(frozen=True)
class Claimed:
    """A delivery marked "sending" and committed, with what the request needs."""

    delivery_id: int
    url: str
    secret: str
    body: str


def claim_next(session: Session, job_id: int, now: dt.datetime) -> Claimed | None:
    """The job's next due delivery, marked "sending"; None when none is due. One the worker
    was sending when it died is sent again (receivers tell repeats by the event id)."""
    delivery = session.scalars(
        select(WebhookDelivery)
        .where(
            WebhookDelivery.job_id == job_id,
            WebhookDelivery.state.in_((DeliveryState.PENDING, DeliveryState.SENDING)),
            WebhookDelivery.next_attempt_at <= now,
        )
        .order_by(WebhookDelivery.id)
        .limit(1)
        .with_for_update()
    ).first()
    if delivery is None:
        return None
    delivery.state = DeliveryState.SENDING
    subscription = delivery.subscription
    return Claimed(delivery.id, subscription.url, subscription.secret, delivery.body)


def next_due(session: Session, job_id: int) -> dt.datetime | None:
    """When the job's next waiting delivery is due, if any waits."""
    return session.scalar(
        select(WebhookDelivery.next_attempt_at)
        .where(
            WebhookDelivery.job_id == job_id,
            WebhookDelivery.state.in_((DeliveryState.PENDING, DeliveryState.SENDING)),
        )
        .order_by(WebhookDelivery.next_attempt_at)
        .limit(1)
    )


@dataclass(frozen=True)
class Attempt:
    """What one POST came to: the status code (None: no answer) and words for the log."""

    status_code: int | None = None
    excerpt: str | None = None
    error: str | None = None

    @property
    def worked(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def record_attempt(session: Session, delivery_id: int, attempt: Attempt, now: dt.datetime) -> None:
    """Write what the attempt came to; on failure, when to try again, or give up."""
    delivery = session.get(WebhookDelivery, delivery_id, with_for_update=True)
    if delivery is None:
        return  # the subscription was deleted meanwhile
    subscription = delivery.subscription
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.status_code = attempt.status_code
    delivery.response_excerpt = (attempt.excerpt or "")[:EXCERPT_CHARS] or None
    delivery.error = attempt.error
    if attempt.worked:
        delivery.state, delivery.next_attempt_at = DeliveryState.DELIVERED, None
        subscription.failing_since = None
        return
    subscription.failing_since = subscription.failing_since or now
    if subscription.paused_at is None and now - subscription.failing_since >= GIVE_UP_AFTER:
        _pause(session, subscription, now, failing=True)
        after = _url(subscription)
        audit.record(session, "webhook.paused_failing", actor=None, obj=subscription, after=after)
    if delivery.state is DeliveryState.ABANDONED:
        return
    if now - delivery.created_at >= GIVE_UP_AFTER or delivery.event_type == WebhookEvent.TEST:
        delivery.state, delivery.next_attempt_at = DeliveryState.FAILED, None
        return
    delivery.state = DeliveryState.PENDING
    delivery.next_attempt_at = now + backoff(delivery.attempts)


def backoff(attempts: int) -> dt.timedelta:
    """The pause after ``attempts`` failed attempts: 30 s, 1 min, 2 min, ... up to an hour."""
    pause: dt.timedelta = FIRST_PAUSE * 2 ** min(max(attempts - 1, 0), 10)
    return min(pause, LONGEST_PAUSE)


def abandon_if_paused(session: Session, delivery_id: int) -> bool:
    """A delivery whose subscription was paused since it was claimed is not sent."""
    delivery = session.get(WebhookDelivery, delivery_id, with_for_update=True)
    if delivery is None:
        return True
    if delivery.subscription.paused_at is not None and delivery.event_type != WebhookEvent.TEST:
        delivery.state, delivery.next_attempt_at = DeliveryState.ABANDONED, None
        return True
    return False


def forget_old_deliveries(session: Session, subscription_id: int, now: dt.datetime) -> None:
    """Finished deliveries older than KEEP_LOG leave the log (their bodies with them)."""
    session.execute(
        delete(WebhookDelivery).where(
            WebhookDelivery.subscription_id == subscription_id,
            WebhookDelivery.state.in_(FINISHED),
            WebhookDelivery.created_at < now - KEEP_LOG,
        )
    )
