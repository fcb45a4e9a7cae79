"""A title or department written in French by a coordinator, once for every letter to it."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import OperationError
from tracker.models import Campaign, Recipient, Role, User
from tracker.operations import audit
from tracker.rules.address import address_line, addressee_for


def write_in_french(
    session: Session, recipient: Recipient, english: str, french: str, *, actor: User
) -> int:
    """Give the recipient's role its French title (or its department its French name), then
    re-address the campaign's French letters to that role whose line was generated and not
    corrected by hand. Returns how many letters were re-addressed."""
    role, french = recipient.role, " ".join(french.split())
    if role is None or not french:
        raise OperationError(_("Write the title in French."), field="french")
    campaign = session.get_one(Campaign, recipient.campaign_id)
    others = _french_recipients(session, campaign, role)
    before = {r.id: _generated(r, campaign.letter_on) for r in others}
    if english == role.title:
        changed = audit.changes(role, {"title_fr": french, "title_fr_built": False})
    elif role.organisation is not None and english == role.organisation.name:
        changed = audit.changes(role.organisation, {"name_fr": french})
    else:
        raise OperationError(_("That title is no longer this recipient's."), field="french")
    readdressed = 0
    for other in others:
        if other.addressed_as in before[other.id]:
            with_post_nominals = other.addressed_as == before[other.id][0]
            other.addressed_as = _generated(other, campaign.letter_on)[
                0 if with_post_nominals else 1
            ]
            other.address_line_language = "fr"
            readdressed += 1
    session.flush()
    after = {**changed[1], "official_id": role.official_id}
    audit.record(session, "role.update", actor=actor, obj=role, before=changed[0], after=after)
    return readdressed


def _french_recipients(session: Session, campaign: Campaign, role: Role) -> list[Recipient]:
    return list(
        session.scalars(
            select(Recipient).where(
                Recipient.campaign_id == campaign.id,
                Recipient.role_id == role.id,
                Recipient.language == "fr",
            )
        )
    )


def _generated(recipient: Recipient, on: dt.date | None) -> tuple[str, str]:
    """The French line Hilltrack writes for the recipient now, with and without post-nominals."""
    who = addressee_for(recipient.official, recipient.role, on)
    return address_line(who, "fr"), address_line(who, "fr", post_nominals=False)
