"""Events for webhooks, written where the facts they tell of are written (the outbox).

``emit`` adds one delivery row per subscription that listens to the event, and one job per
subscription to send them, in the caller's transaction: a write that is rolled back sends
nothing, and a worker that dies loses nothing (the job waits in the database). The job ids are
noted on the session; tracker.jobs.webhooks puts them on the queue once the session commits.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from tracker.clock import utcnow
from tracker.formats.webhooks import event_body
from tracker.models import (
    HouseIntervention,
    InboundMessage,
    Interaction,
    Letter,
    Official,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from tracker.operations.jobs import create_job
from tracker.rules.status import RecipientStatus
from tracker.rules.tallies import Letter as LetterFacts

JOB_KIND = "deliver_webhooks"
# session.info keys: the job ids to put on the queue after the commit, and who listens to what
# (read once per transaction: a bulk send of 500 letters asks once, not 500 times).
TO_RING = "webhook_jobs"
LISTENERS = "webhook_listeners"


def emit(
    session: Session,
    kind: WebhookEvent,
    items: Iterable[dict[str, Any]],
    *,
    only: int | None = None,
    occurred_at: dt.datetime | None = None,
) -> int:
    """Queue event ``kind`` with each of ``items`` as its data for every active subscription
    that listens to it (or subscription ``only``, for the test event). Returns the deliveries."""
    listening = [sid for sid, events in _listeners(session) if kind.value in events]
    if only is not None:
        listening = [only]
    items = list(items)
    if not listening or not items:
        return 0
    at = occurred_at or utcnow()
    events = [(str(uuid.uuid4()), data) for data in items]
    for subscription_id in listening:
        job = create_job(session, JOB_KIND, {"subscription_id": subscription_id}, actor=None)
        session.add_all(
            WebhookDelivery(
                subscription_id=subscription_id,
                event_id=event_id,
                event_type=kind.value,
                body=event_body(kind.value, event_id, at, data),
                next_attempt_at=at,
                job_id=job.id,
            )
            for event_id, data in events
        )
        session.info.setdefault(TO_RING, []).append(job.id)
    session.flush()
    return len(listening) * len(events)


def _listeners(session: Session) -> list[tuple[int, list[str]]]:
    if LISTENERS not in session.info:
        rows = session.execute(
            select(WebhookSubscription.id, WebhookSubscription.events).where(
                WebhookSubscription.paused_at.is_(None)
            )
        )
        session.info[LISTENERS] = [(sid, list(events or [])) for sid, events in rows]
    listeners: list[tuple[int, list[str]]] = session.info[LISTENERS]
    return listeners


def _anyone_listens(session: Session, kind: WebhookEvent) -> bool:
    return any(kind.value in events for _sid, events in _listeners(session))


def forget_listeners(session: Session) -> None:
    """Subscriptions changed in this transaction: ask again at the next event."""
    session.info.pop(LISTENERS, None)


@event.listens_for(Session, "after_transaction_end")
def _forget_at_the_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(LISTENERS, None)


# What each event says: stable ids, and the words of the enums as stored.


def interaction_logged(session: Session, interaction: Interaction, campaign_id: int | None) -> None:
    emit(
        session,
        WebhookEvent.INTERACTION_LOGGED,
        [
            {
                "interaction_id": interaction.id,
                "kind": interaction.kind.value,
                "reply_class": interaction.reply_class.value if interaction.reply_class else None,
                "occurred_on": interaction.occurred_on.isoformat(),
                "channel": interaction.channel.value if interaction.channel else None,
                "official_id": interaction.official_id,
                "recipient_id": interaction.recipient_id,
                "campaign_id": campaign_id,
                "logged_from": interaction.logged_from.value,
            }
        ],
    )


def statuses_changed(
    session: Session, before: dict[int, LetterFacts], after: dict[int, LetterFacts]
) -> None:
    """A recipient.status_changed event for each recipient whose status moved."""
    moved = [
        (rid, before[rid], new)
        for rid, new in sorted(after.items())
        if rid in before and before[rid].status != new.status
    ]
    emit(
        session,
        WebhookEvent.RECIPIENT_STATUS_CHANGED,
        (
            {
                "recipient_id": rid,
                "campaign_id": new.campaign_id,
                "official_id": new.official_id,
                "status": RecipientStatus(new.status).name.lower(),
                "previous_status": RecipientStatus(old.status).name.lower(),
            }
            for rid, old, new in moved
        ),
    )


def letter_finished(session: Session, letter: Letter, kind: WebhookEvent) -> None:
    """letter.sent or letter.bounced."""
    emit(
        session,
        kind,
        [
            {
                "letter_id": letter.id,
                "campaign_id": letter.campaign_id,
                "recipient_id": letter.recipient_id,
                "to_address": letter.to_address,
                "interaction_id": letter.interaction_id,
            }
        ],
    )


def message_in_triage(session: Session, message: InboundMessage) -> None:
    emit(
        session,
        WebhookEvent.MESSAGE_IN_TRIAGE,
        [
            {
                "message_id": message.id,
                "kind": message.kind.value,
                "received_at": message.received_at,
                "from_address": message.from_address,
                "subject": message.subject,
            }
        ],
    )


def outcomes_found(session: Session, interventions: list[HouseIntervention]) -> None:
    """outcome.found: a member's intervention newly read from the House's record."""
    if not interventions or not _anyone_listens(session, WebhookEvent.OUTCOME_FOUND):
        return
    person_ids = {row.person_id for row in interventions}
    rows = session.execute(
        select(Official.ourcommons_id, Official.id).where(Official.ourcommons_id.in_(person_ids))
    )
    officials = {row[0]: row[1] for row in rows}
    emit(
        session,
        WebhookEvent.OUTCOME_FOUND,
        (
            {
                "intervention_id": row.id,
                "house_item_id": row.item_id,
                "official_id": officials.get(row.person_id),
                "person_id": row.person_id,
                "spoken_on": row.spoken_on.isoformat(),
                "where": "house" if row.is_house else "committee",
                "title": row.title,
                "record_url": row.record_url,
            }
            for row in interventions
        ),
    )
