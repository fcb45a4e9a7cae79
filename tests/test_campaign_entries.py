"""A campaign's latest entries are read from the campaign's own index of entries: each entry
keeps its recipient's campaign, whoever writes it, and follows the recipient it is moved to."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from tracker.models import (
    Campaign,
    CampaignStatus,
    Interaction,
    InteractionKind,
    Official,
    Recipient,
)
from tracker.operations.recipient_facts import refresh_all_facts
from tracker.queries.campaigns import LATEST_ENTRIES, latest_entries


def _campaign_with_a_recipient(db: Session, title: str, official: Official) -> Recipient:
    campaign = Campaign(title=title, status=CampaignStatus.ACTIVE)
    db.add(campaign)
    db.flush()
    recipient = Recipient(
        campaign_id=campaign.id,
        official_id=official.id,
        position=0,
        addressed_as="x",
        salutation="y",
    )
    db.add(recipient)
    db.flush()
    return recipient


def _note(recipient: Recipient, n: int) -> Interaction:
    return Interaction(
        official_id=recipient.official_id,
        recipient_id=recipient.id,
        kind=InteractionKind.NOTE,
        occurred_on=dt.date(2026, 1, 1),
        summary=f"Note {n}",
    )


def test_a_campaign_shows_its_latest_entries_newest_first_and_a_moved_entry_follows_its_recipient(
    db: Session,
) -> None:
    official = Official(given_name="Ada", family_name="Lovel", name_key="ada lovel")
    db.add(official)
    db.flush()
    first = _campaign_with_a_recipient(db, "First letter", official)
    second = _campaign_with_a_recipient(db, "Second letter", official)
    notes = [_note(first, n) for n in range(LATEST_ENTRIES + 2)]
    elsewhere = _note(second, 99)
    db.add_all([*notes, elsewhere])
    db.flush()
    assert {n.campaign_id for n in notes} == {first.campaign_id}  # written with the ORM alone

    shown = latest_entries(db, first.campaign_id)
    assert [e.id for e in shown] == [n.id for n in reversed(notes)][:LATEST_ENTRIES]
    assert elsewhere.id not in {e.id for e in shown}

    newest = notes[-1]
    newest.recipient_id = second.id  # placed on the other letter after all
    db.flush()
    db.expire_all()
    assert newest.campaign_id == second.campaign_id
    assert newest.id not in {e.id for e in latest_entries(db, first.campaign_id)}
    assert newest.id in {e.id for e in latest_entries(db, second.campaign_id)}
    refresh_all_facts(db)
