"""Recording what happened: sends, replies, meetings, calls and notes; edits keep history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from importers.said import Said
from tracker import clock
from tracker.errors import OperationError
from tracker.models import (
    Channel,
    Interaction,
    InteractionKind,
    LoggedFrom,
    Recipient,
    ReplyClass,
    User,
    UserRole,
)
from tracker.operations import audit, events
from tracker.operations.officials import ConflictError
from tracker.operations.recipient_facts import refresh_facts
from tracker.rules.status import DETAIL_FIELDS, KIND_DETAILS

INTERACTION_FIELDS = (
    "kind",
    "occurred_on",
    "channel",
    "summary",
    "reply_class",
    "stance",
    "official_attendees",
    "coalition_attendees",
    "asks_made",
    "commitments",
)
NEEDS_CHANNEL = {InteractionKind.SENT}
# A log entry can be dated a little ahead (a meeting being written up the night before).
MAX_FUTURE = dt.timedelta(days=1)


def _validated(
    values: dict[str, Any], today: dt.date, *, unclassified: bool = False
) -> dict[str, Any]:
    clean: dict[str, Any] = {
        # A stored sentence (Said) is kept whole: it is translated for each reader.
        k: (v.strip() if isinstance(v, str) and not isinstance(v, Said) else v) or None
        for k, v in values.items()
        if k in INTERACTION_FIELDS
    }
    kind = InteractionKind(clean["kind"])
    clean["kind"] = kind
    for name in DETAIL_FIELDS - KIND_DETAILS[kind]:
        clean[name] = None  # a detail another kind asks for (a hidden field's leftover)
    occurred_on = clean.get("occurred_on")
    if not isinstance(occurred_on, dt.date):
        raise OperationError(_("Give the date it happened."), field="occurred_on")
    if occurred_on > today + MAX_FUTURE:
        raise OperationError(_("That date is in the future."), field="occurred_on")
    clean["channel"] = Channel(clean["channel"]) if clean.get("channel") else None
    if kind in NEEDS_CHANNEL and clean["channel"] is None:
        raise OperationError(_("Say how it was sent."), field="channel")
    clean["reply_class"] = ReplyClass(clean["reply_class"]) if clean.get("reply_class") else None
    if kind is InteractionKind.REPLY_RECEIVED and clean["reply_class"] is None and not unclassified:
        raise OperationError(_("Say what kind of reply it was."), field="reply_class")
    return clean


def record_interaction(
    session: Session,
    recipient: Recipient,
    values: dict[str, Any],
    *,
    actor: User | None,
    submission_key: str | None = None,
    today: dt.date | None = None,
    refresh: bool = True,
    audited: bool = True,
    unclassified: bool = False,
    logged_from: LoggedFrom = LoggedFrom.PERSON,
) -> tuple[Interaction, bool]:
    """Record one interaction for a campaign's recipient. A form submitted twice (same
    ``submission_key``) records it once. Returns (interaction, created). A caller recording
    many at once passes ``refresh=False`` and refreshes the recipients' facts once at the end."""
    if submission_key:
        earlier = session.scalar(
            select(Interaction).where(Interaction.submission_key == submission_key)
        )
        if earlier is not None:
            return earlier, False
    clean = _validated(values, today or clock.today(), unclassified=unclassified)
    interaction = Interaction(
        official_id=recipient.official_id,
        recipient_id=recipient.id,
        campaign_id=recipient.campaign_id,
        recorded_by_id=actor.id if actor else None,
        logged_from=logged_from,
        submission_key=submission_key,
        **clean,
    )
    session.add(interaction)
    session.flush()
    if audited:
        audit.record(
            session,
            "interaction.create",
            actor=actor,
            obj=interaction,
            after={
                "official_id": recipient.official_id,
                "campaign_id": recipient.campaign_id,
                **{k: audit.plain(v) for k, v in clean.items() if v is not None},
                # Hilltrack's own entries say so in the audit trail too.
                **(
                    {"logged_from": logged_from.value}
                    if logged_from is not LoggedFrom.PERSON
                    else {}
                ),
            },
        )
    events.interaction_logged(session, interaction, recipient.campaign_id)
    if refresh:
        refresh_facts(session, [recipient.id])
    return interaction, True


def bulk_mark_sent(
    session: Session,
    recipients: list[Recipient],
    *,
    sent_on: dt.date,
    channel: Channel,
    actor: User,
    submission_key: str,
) -> int:
    """Record one send per recipient, all on one date by one channel; idempotent per form.
    The audit trail gets one entry listing the recipients marked."""
    marked = []
    for recipient in recipients:
        _, new = record_interaction(
            session,
            recipient,
            {"kind": InteractionKind.SENT, "occurred_on": sent_on, "channel": channel},
            actor=actor,
            submission_key=f"{submission_key}:{recipient.id}",
            refresh=False,
            audited=False,
        )
        if new:
            marked.append(recipient)
    refresh_facts(session, [r.id for r in recipients])
    if marked:
        audit.record(
            session,
            "interaction.bulk_sent",
            actor=actor,
            obj=marked[0].campaign,
            after={
                "campaign_id": marked[0].campaign_id,
                "official_ids": [r.official_id for r in marked],
                "sent_on": sent_on.isoformat(),
                "channel": channel.value,
            },
        )
    return len(marked)


def can_edit(interaction: Interaction, user: User) -> bool:
    """Coordinators edit any entry; volunteers the ones they recorded."""
    return user.has_role(UserRole.COORDINATOR) or interaction.recorded_by_id == user.id


def update_interaction(
    session: Session,
    interaction: Interaction,
    values: dict[str, Any],
    *,
    version: int,
    actor: User,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Save an edit if nobody saved in between; the audit trail keeps the old values."""
    if not can_edit(interaction, actor):
        raise PermissionError("not yours to edit")
    if version != interaction.version:
        raise ConflictError({f: getattr(interaction, f) for f in INTERACTION_FIELDS})
    clean = _validated({**values, "kind": interaction.kind}, today or clock.today())
    before, after = audit.changes(interaction, clean)
    if after:
        session.flush()
        audit.record(
            session, "interaction.update", actor=actor, obj=interaction, before=before, after=after
        )
        if interaction.recipient_id is not None:
            refresh_facts(session, [interaction.recipient_id])
    return after
