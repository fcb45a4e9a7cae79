"""The status kept on each recipient follows the log: after every write, after the upgrade that
introduced it, and on request with `hilltrack db recount`."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from flask import Flask
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tests.conftest import on_postgres_server
from tracker.cli import alembic_config
from tracker.models import (
    Campaign,
    CampaignTally,
    Channel,
    Interaction,
    InteractionKind,
    Official,
    Recipient,
    ReplyClass,
    ReplyTally,
    User,
)
from tracker.operations.interactions import record_interaction, update_interaction
from tracker.operations.recipient_facts import refresh_facts
from tracker.operations.tallies import drifted as drifted_tallies
from tracker.queries.facts import STORED_FACTS
from tracker.rules.status import Facts, RecipientStatus
from tracker.web.db import make_engine

SENT = dt.date(2026, 1, 5)


def a_recipient(db: Session, name: str = "Ada") -> Recipient:
    campaign = Campaign(title=f"Letter to {name}")
    official = Official(given_name=name, family_name="Member", name_key=f"{name} member")
    db.add_all([campaign, official])
    db.flush()
    recipient = Recipient(
        campaign_id=campaign.id, official_id=official.id, addressed_as="x", salutation="y"
    )
    db.add(recipient)
    db.commit()
    return recipient


def test_logging_a_send_then_a_reply_moves_the_stored_status(db: Session, make_user: Any) -> None:
    user: User = make_user()
    recipient = a_recipient(db)
    assert recipient.status == RecipientStatus.NOT_SENT
    sent = {"kind": "sent", "occurred_on": SENT, "channel": Channel.EMAIL}
    record_interaction(db, recipient, sent, actor=user, today=SENT)
    assert (recipient.status, recipient.sent_on) == (RecipientStatus.SENT, SENT)
    reply = {
        "kind": "reply_received",
        "occurred_on": SENT + dt.timedelta(days=4),
        "reply_class": ReplyClass.SUBSTANTIVE,
    }
    record_interaction(db, recipient, reply, actor=user, today=SENT + dt.timedelta(days=4))
    assert recipient.status == RecipientStatus.REPLIED
    assert (recipient.first_reply_on, recipient.reply_days) == (SENT + dt.timedelta(days=4), 4)


def test_correcting_a_reply_date_recomputes_the_days_to_reply(db: Session, make_user: Any) -> None:
    user: User = make_user()
    recipient = a_recipient(db)
    record_interaction(
        db,
        recipient,
        {"kind": "sent", "occurred_on": SENT, "channel": Channel.EMAIL},
        actor=user,
        today=SENT,
    )
    reply, _ = record_interaction(
        db,
        recipient,
        {"kind": "reply_received", "occurred_on": SENT, "reply_class": ReplyClass.DECLINED},
        actor=user,
        today=SENT,
    )
    assert (recipient.status, recipient.reply_days) == (RecipientStatus.CLOSED, 0)
    update_interaction(
        db,
        reply,
        {"occurred_on": SENT + dt.timedelta(days=9), "reply_class": ReplyClass.DECLINED},
        version=reply.version,
        actor=user,
        today=SENT + dt.timedelta(days=9),
    )
    assert recipient.reply_days == 9


def test_a_reply_dated_before_the_letter_is_not_an_answer_to_it(
    db: Session, make_user: Any
) -> None:
    user: User = make_user()
    recipient = a_recipient(db)
    for kind, on, extra in (
        ("reply_received", SENT - dt.timedelta(days=3), {"reply_class": ReplyClass.FORM_LETTER}),
        ("sent", SENT, {"channel": Channel.EMAIL}),
    ):
        record_interaction(db, recipient, {"kind": kind, "occurred_on": on, **extra}, actor=user)
    assert recipient.status == RecipientStatus.REPLIED  # the status shows the reply...
    assert recipient.reply_days is None  # ...but responsiveness does not count it


def test_recount_finds_and_repairs_a_status_written_past_the_operations(
    app: Flask, db: Session
) -> None:
    recipient = a_recipient(db)
    db.add(
        Interaction(
            official_id=recipient.official_id,
            recipient_id=recipient.id,
            kind=InteractionKind.SENT,
            channel=Channel.POST,
            occurred_on=SENT,
        )
    )
    db.commit()
    runner = app.test_cli_runner()
    check = runner.invoke(args=["db", "recount", "--check"])
    assert check.exit_code == 1
    assert "1 recipients' status differs" in check.output
    assert "hilltrack db recount" in check.output
    repaired = runner.invoke(args=["db", "recount"])
    assert repaired.exit_code == 0, repaired.output
    assert "Recounted the status of 1 recipients." in repaired.output
    db.expire_all()
    assert db.get(Recipient, recipient.id).status == RecipientStatus.SENT  # type: ignore[union-attr]
    assert runner.invoke(args=["db", "recount", "--check"]).exit_code == 0


def test_upgrading_an_existing_database_fills_in_every_recipients_status(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'before.sqlite3'}"
    command.upgrade(alembic_config(url), "0006")
    engine = sa.create_engine(url)
    now = dt.datetime(2026, 1, 1, 12)
    with engine.begin() as conn:
        tables = sa.MetaData()
        tables.reflect(conn)
        official, campaign, recipient, interaction = (
            tables.tables[name] for name in ("official", "campaign", "recipient", "interaction")
        )
        conn.execute(
            official.insert(),
            {
                "id": 1,
                "given_name": "Ada",
                "family_name": "Member",
                "name_key": "ada member",
                "offices": [],
                "edited_fields": [],
                "created_at": now,
                "updated_at": now,
                "version": 1,
            },
        )
        conn.execute(
            campaign.insert(),
            {
                "id": 1,
                "title": "Old letter",
                "status": "active",
                "created_at": now,
                "updated_at": now,
                "version": 1,
            },
        )
        conn.execute(
            recipient.insert(),
            {
                "id": 1,
                "campaign_id": 1,
                "official_id": 1,
                "position": 0,
                "addressed_as": "x",
                "salutation": "y",
                "language": "en",
                "created_at": now,
            },
        )
        for kind, on, reply in (("sent", SENT, None), ("reply_received", SENT, "declined")):
            conn.execute(
                interaction.insert(),
                {
                    "official_id": 1,
                    "recipient_id": 1,
                    "kind": kind,
                    "occurred_on": on,
                    "reply_class": reply,
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                },
            )
    command.upgrade(alembic_config(url), "head")
    with engine.connect() as conn:
        status, reply_days, closing = conn.execute(
            sa.text("SELECT status, reply_days, closing_reply FROM recipient WHERE id = 1")
        ).one()
    engine.dispose()
    assert (status, reply_days, bool(closing)) == (RecipientStatus.CLOSED, 0, True)


def test_the_stored_columns_are_read_in_the_order_of_the_facts_they_hold() -> None:
    # campaign_rows builds Facts positionally from STORED_FACTS' columns (the one fact not
    # kept on the recipient comes last: its reply_days is what is kept of it).
    assert list(STORED_FACTS) == [f.name for f in fields(Facts)][:-1]


@pytest.fixture
def side_by_side(request: pytest.FixtureRequest, database_url: str) -> Iterator[sa.Engine]:
    """A migrated PostgreSQL database of its own, for writers that commit for real and run
    side by side (the usual test transaction would hide one from the other)."""
    if request.config.getoption("--db") != "postgres":
        pytest.skip("SQLite runs one writer at a time")
    url = make_url(database_url)
    scratch = url.set(database=f"{url.database}_side_by_side")
    drop = f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)'
    on_postgres_server(database_url, drop, f'CREATE DATABASE "{scratch.database}"')
    address = scratch.render_as_string(hide_password=False)
    engine = make_engine(address)
    try:
        command.upgrade(alembic_config(address), "head")
        yield engine
    finally:
        engine.dispose()
        on_postgres_server(database_url, drop)


def test_two_people_logging_for_one_recipient_at_once_are_both_counted(
    side_by_side: sa.Engine,
) -> None:
    """PostgreSQL runs writers side by side: the second must count the first's entry, so it
    waits for the recipient row the first one locked (operations.recipient_facts)."""
    engine = side_by_side
    with Session(engine) as setup:
        recipient_id = a_recipient(setup).id
    first, second = Session(engine), Session(engine)
    sent = {"kind": "sent", "occurred_on": SENT, "channel": Channel.EMAIL}
    record_interaction(first, first.get(Recipient, recipient_id), sent, actor=None)

    def reply() -> None:
        answer = {"kind": "reply_received", "occurred_on": SENT, "reply_class": "declined"}
        record_interaction(second, second.get(Recipient, recipient_id), answer, actor=None)
        second.commit()

    waiting = threading.Thread(target=reply)
    waiting.start()
    time.sleep(0.5)
    assert waiting.is_alive()  # held at the recipient row the first writer locked
    first.commit()
    waiting.join(timeout=10)
    assert not waiting.is_alive()
    with Session(engine) as check:
        stored = check.get(Recipient, recipient_id)
        assert stored is not None
        assert (stored.status, stored.first_sent_on, stored.first_reply_on) == (
            RecipientStatus.CLOSED,
            SENT,
            SENT,
        )
    first.close()
    second.close()


def test_two_people_saving_for_one_recipient_at_the_same_moment_do_not_deadlock(
    side_by_side: sa.Engine,
) -> None:
    """Both writers insert their entry (which holds a KEY SHARE lock on the recipient it
    references) before either recounts; each recount then locks the recipient. With FOR UPDATE
    each waits for the other's KEY SHARE and PostgreSQL kills one (the load benchmark's saves
    failed this way); FOR NO KEY UPDATE lets one through and the other follows."""
    engine = side_by_side
    with Session(engine) as setup:
        recipient_id = a_recipient(setup).id
    writers = [Session(engine), Session(engine)]
    entries = [
        {"kind": "sent", "occurred_on": SENT, "channel": Channel.EMAIL},
        {"kind": "reply_received", "occurred_on": SENT, "reply_class": "declined"},
    ]
    for writer, entry in zip(writers, entries, strict=True):
        recipient = writer.get(Recipient, recipient_id)
        record_interaction(writer, recipient, entry, actor=None, refresh=False)
    failures: list[BaseException] = []

    def recount_and_commit(writer: Session) -> None:
        try:
            refresh_facts(writer, [recipient_id])
            writer.commit()
        except BaseException as error:
            failures.append(error)
            writer.rollback()

    threads = [threading.Thread(target=recount_and_commit, args=(w,)) for w in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert failures == []
    with Session(engine) as check:
        stored = check.get(Recipient, recipient_id)
        assert stored is not None and stored.status == RecipientStatus.CLOSED
        assert drifted_tallies(check) == []
    for writer in writers:
        writer.close()


def test_two_people_logging_for_two_recipients_of_one_campaign_at_once_are_both_tallied(
    side_by_side: sa.Engine,
) -> None:
    """Two writers on one campaign's tallies at once, on PostgreSQL: the second waits for the
    campaign the first locked before recounting it, and both add to the same reply-tally rows;
    afterwards every tally agrees with a recount."""
    engine = side_by_side
    with Session(engine) as setup:
        ada = a_recipient(setup, "Ada")
        grace = Official(given_name="Grace", family_name="Member", name_key="grace member")
        setup.add(grace)
        setup.flush()
        other = Recipient(
            campaign_id=ada.campaign_id,
            official_id=grace.id,
            addressed_as="x",
            salutation="y",
            position=1,
        )
        setup.add(other)
        setup.commit()
        ids = (ada.id, other.id)
    first, second = Session(engine), Session(engine)
    sent = {"kind": "sent", "occurred_on": SENT, "channel": Channel.EMAIL}
    record_interaction(first, first.get(Recipient, ids[0]), sent, actor=None)

    def send_the_other() -> None:
        record_interaction(second, second.get(Recipient, ids[1]), sent, actor=None)
        second.commit()

    waiting = threading.Thread(target=send_the_other)
    waiting.start()
    time.sleep(0.5)
    assert waiting.is_alive()  # held at the campaign the first writer is recounting
    first.commit()
    waiting.join(timeout=10)
    assert not waiting.is_alive()
    with Session(engine) as check:
        assert drifted_tallies(check) == []
        (row,) = check.execute(sa.select(CampaignTally.sent_on, CampaignTally.recipients))
        assert tuple(row) == (SENT, 2)
    first.close()
    second.close()


def test_recount_finds_and_repairs_a_tally_written_past_the_operations(
    app: Flask, db: Session, make_user: Any
) -> None:
    recipient = a_recipient(db)
    sent = {"kind": "sent", "occurred_on": SENT, "channel": Channel.EMAIL}
    record_interaction(db, recipient, sent, actor=make_user(), today=SENT)
    db.commit()
    db.execute(sa.delete(ReplyTally).where(ReplyTally.dimension == "party"))
    db.execute(sa.update(CampaignTally).values(recipients=CampaignTally.recipients + 1))
    db.commit()
    runner = app.test_cli_runner()
    check = runner.invoke(args=["db", "recount", "--check"])
    assert check.exit_code == 1
    assert "2 tallies differ from a count of the recipients." in check.output
    assert runner.invoke(args=["db", "recount"]).exit_code == 0
    assert runner.invoke(args=["db", "recount", "--check"]).exit_code == 0
