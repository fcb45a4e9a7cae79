"""The language each recipient's letter is in: chosen when they are added, changed by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import OperationError
from tracker.models import Campaign, Official, Recipient, User
from tracker.operations import audit
from tracker.rules.address import address_line, addressee_for, salutation
from tracker.rules.campaign_text import LANGUAGES
from tracker.rules.status import RecipientStatus


def check_language(language: str) -> str:
    """``language`` if it is one a letter can be written in, else OperationError."""
    if language not in LANGUAGES:
        raise OperationError(_("Choose English or French."), field="language")
    return language


def language_for(campaign: Campaign, official: Official, chosen: str | None = None) -> str:
    """A new recipient's language: the one chosen for them, else the one the directory says
    the official prefers, else the campaign's default."""
    for language in (chosen, official.preferred_language, campaign.default_language):
        if language in LANGUAGES:
            return str(language)
    return "en"


def readdressed(recipient: Recipient, language: str) -> dict[str, str]:
    """The recipient's address line and salutation written again in ``language``."""
    on = recipient.campaign.letter_on or dt.date.today()
    who = addressee_for(recipient.official, recipient.role, on)
    return {
        "addressed_as": address_line(who, language),
        "salutation": salutation(who, language, recipient.campaign.french_opening),
    }


def set_language(
    session: Session,
    recipients: Sequence[Recipient],
    language: str,
    *,
    actor: User,
    readdress: bool = True,
) -> int:
    """Write these recipients' letters in ``language`` (and, with ``readdress``, their address
    line and salutation too); returns how many changed."""
    check_language(language)
    changed = 0
    for recipient in recipients:
        if recipient.language == language:
            continue
        values = {"language": language}
        if readdress:
            values.update(readdressed(recipient, language))
        before, after = audit.changes(recipient, values)
        session.flush()
        audit.record(
            session, "recipient.update", actor=actor, obj=recipient, before=before, after=after
        )
        changed += 1
    return changed


def unsent_lines(session: Session, official: Official) -> dict[Recipient, dict[str, str]]:
    """The lines Hilltrack writes today for each of the official's letters not yet sent: taken
    before a change to how the official is addressed, to tell generated lines from typed ones."""
    recipients = session.scalars(
        select(Recipient).where(
            Recipient.official_id == official.id,
            Recipient.status == int(RecipientStatus.NOT_SENT),
        )
    )
    return {recipient: readdressed(recipient, recipient.language) for recipient in recipients}


def readdress_unsent(
    session: Session, generated_before: dict[Recipient, dict[str, str]], *, actor: User
) -> int:
    """Write again the address line and salutation of letters not yet sent that still read as
    Hilltrack wrote them before (a line a person typed stays as typed); returns how many
    letters changed."""
    changed = 0
    for recipient, before in generated_before.items():
        now = readdressed(recipient, recipient.language)
        values = {field: now[field] for field in now if getattr(recipient, field) == before[field]}
        old, new = audit.changes(recipient, values)
        if not new:
            continue
        session.flush()
        audit.record(session, "recipient.update", actor=actor, obj=recipient, before=old, after=new)
        changed += 1
    return changed
