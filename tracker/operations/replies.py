"""Classifying a reply that arrived unclassified (from mail): one click, and the figures move
at once, since the recipient's facts and tallies are refreshed in the same transaction."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from tracker.errors import OperationError
from tracker.models import Interaction, InteractionKind, ReplyClass, User
from tracker.operations import audit
from tracker.operations.recipient_facts import refresh_facts


def classify_reply(
    session: Session, interaction: Interaction, reply_class: ReplyClass, *, actor: User
) -> None:
    """Say what an unclassified reply is. Any signed-in person may: it was logged by the mail,
    not by someone whose entry this would change; a reply already classified is refused (two
    people classifying the same reply: the second is told, and changes nothing)."""
    if interaction.kind is not InteractionKind.REPLY_RECEIVED:
        raise OperationError(_("Only a reply has a class."))
    if interaction.reply_class is not None:
        raise OperationError(
            _(
                "Someone already classified this reply as %(kind)s.",
                kind=interaction.reply_class.label,
            )
        )
    interaction.reply_class = reply_class
    session.flush()  # (the version column refuses a change made meanwhile by another writer)
    audit.record(
        session,
        "interaction.classify",
        actor=actor,
        obj=interaction,
        before={"reply_class": None},
        after={"reply_class": reply_class.value},
    )
    if interaction.recipient_id is not None:
        refresh_facts(session, [interaction.recipient_id])
