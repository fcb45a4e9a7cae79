"""A campaign's latest entries are read from the campaign's own index of entries: each entry
keeps its recipient's campaign, whoever writes it, and follows the recipient it is moved to."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from sqlalchemy.orm import Session

from tests.migrating import required_values
from tracker.cli import alembic_config
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
from tracker.web.db import make_engine


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


def test_upgrading_gives_each_entry_its_recipients_campaign_and_going_back_keeps_mail_linked(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'before.sqlite3'}"
    command.upgrade(alembic_config(url), "0032")
    engine = make_engine(url)  # foreign keys on, as for Hilltrack's own connections
    now = dt.datetime(2026, 1, 1, 12)
    stamps = {"created_at": now, "updated_at": now, "version": 1}
    with engine.begin() as conn:
        t = sa.MetaData()
        t.reflect(conn)

        def insert(name: str, **values: object) -> None:
            table = t.tables[name]
            conn.execute(table.insert(), {**required_values(table, now), **stamps, **values})

        insert("official", id=1, given_name="Ada", family_name="L", name_key="ada l")
        for n in (1, 2):
            insert("campaign", id=n, title=f"Letter {n}", status="active")
            insert("recipient", id=10 + n, campaign_id=n, official_id=1, position=0)
        for entry, recipient in ((1, 11), (2, 12), (3, None)):
            insert("interaction", id=entry, official_id=1, recipient_id=recipient, kind="note")
        insert("inbound_message", digest="d" * 64, kind="reply", state="placed", interaction_id=2)
    command.upgrade(alembic_config(url), "0033")
    with engine.connect() as conn:
        found = conn.execute(sa.text("SELECT id, campaign_id FROM interaction ORDER BY id"))
        assert [tuple(row) for row in found] == [(1, 1), (2, 2), (3, None)]
    command.downgrade(alembic_config(url), "0032")
    with engine.connect() as conn:
        linked = conn.execute(sa.text("SELECT interaction_id FROM inbound_message")).scalar()
    engine.dispose()
    assert linked == 2  # rebuilding the table would have set it to NULL
