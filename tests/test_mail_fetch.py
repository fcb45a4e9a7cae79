"""Mail taken in from a real IMAP server (Dovecot on loopback) and from a mail server's pipe:
each message flagged only once stored, never deleted, never logged twice, even across a
crash; and a database that cannot take mail makes the pipe answer "try again later" (75)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from imapclient import IMAPClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import tracker.jobs.mail as jobs_mail
from tests import mail_shapes as shapes
from tests.imapserver import PASSWORD, USER, Dovecot, running_dovecot
from tests.letters import reply_to
from tracker import create_app
from tracker.mail import imap as imap_module
from tracker.models import (
    InboundKind,
    InboundMessage,
    InboundState,
    Interaction,
    InteractionKind,
    Letter,
)


@pytest.fixture(scope="module")
def dovecot() -> Iterator[Dovecot]:
    with running_dovecot() as server:
        yield server


@pytest.fixture
def mailbox(dovecot: Dovecot) -> Iterator[IMAPClient]:
    client = IMAPClient("127.0.0.1", port=dovecot.port, ssl=False)
    client.login(USER, PASSWORD)
    for folder in ("INBOX", "Processed"):
        if client.folder_exists(folder):
            client.select_folder(folder)
            every = client.search(["ALL"])
            if every:
                client.delete_messages(every)  # the test's own throwaway mailbox
                client.expunge()
    if not client.folder_exists("Processed"):
        client.create_folder("Processed")
    client.select_folder("INBOX")
    yield client
    client.logout()


@pytest.fixture
def test_config(test_config: dict[str, Any], dovecot: Dovecot) -> dict[str, Any]:
    return {**test_config, **dovecot.config()}


def three_messages(letters: dict[str, Letter]) -> list[bytes]:
    joly, trudeau = letters["Mélanie Joly"], letters["Justin Trudeau"]
    return [
        shapes.gmail_reply_fr("o@parl.example", reply_to(joly), None),
        shapes.gmail_reply_en("x@else.example", "letters@coalition.example", None),
        shapes.postfix_bounce(
            f"bounces+{trudeau.token}@coalition.example",
            trudeau.to_address,
            trudeau.message_id or "",
        ),
    ]


def fetch(app: Flask) -> Any:
    return app.test_cli_runner().invoke(args=["mail", "fetch"])


def count(db: Session) -> int:
    db.expire_all()
    return int(db.scalar(select(func.count()).select_from(InboundMessage)) or 0)


def test_fetch_takes_in_each_new_message_flags_it_and_deletes_nothing(
    app: Flask, db: Session, mailbox: IMAPClient, sent: Any
) -> None:
    for raw in three_messages(sent[1]):
        mailbox.append("INBOX", raw)
    result = fetch(app)
    assert result.exit_code == 0, result.output
    assert "3 messages taken in." in result.output
    assert count(db) == 3
    states = sorted(m.state.value for m in db.scalars(select(InboundMessage)))
    assert states == ["placed", "placed", "triage"]
    mailbox.select_folder("INBOX")
    assert len(mailbox.search(["ALL"])) == 3  # nothing deleted
    assert mailbox.search(["UNKEYWORD", "$HilltrackProcessed"]) == []
    assert "0 messages taken in." in fetch(app).output
    assert count(db) == 3


def test_a_crash_before_the_commit_and_one_after_it_log_nothing_twice(
    app: Flask, db: Session, mailbox: IMAPClient, sent: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for raw in three_messages(sent[1]):
        mailbox.append("INBOX", raw)
    real_mark = imap_module._mark_processed
    calls = {"n": 0}

    def killed_after_first_commit(client: Any, uid: int, settings: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # the process dies between the commit and the flag
        real_mark(client, uid, settings)

    monkeypatch.setattr(imap_module, "_mark_processed", killed_after_first_commit)
    with pytest.raises(KeyboardInterrupt):
        imap_module.fetch_new(
            imap_module.ImapSettings.from_config(app.config),
            lambda raw, source: jobs_mail.ingest(app, raw, source=source),
        )
    assert count(db) == 2  # the second was committed, never flagged
    monkeypatch.setattr(imap_module, "_mark_processed", real_mark)

    result = fetch(app)  # the restart
    assert "2 messages taken in." in result.output
    assert count(db) == 3
    replies = db.scalars(select(Interaction).where(Interaction.kind != InteractionKind.SENT)).all()
    assert len(replies) == 2  # the reply and the bounce, once each
    mailbox.select_folder("INBOX")  # see the flags the fetch set
    assert mailbox.search(["UNKEYWORD", "$HilltrackProcessed"]) == []


def test_one_message_that_fails_never_stops_the_run_and_stays_for_the_next(
    app: Flask, db: Session, mailbox: IMAPClient, sent: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for raw in three_messages(sent[1]):
        mailbox.append("INBOX", raw)
    mailbox.append("INBOX", b"\x00\x01 not a message \xff")
    real_ingest = jobs_mail.ingest

    def a_bug_on_the_stranger(app: Flask, raw: bytes, *, source: str) -> Any:
        if b"x@else.example" in raw:
            raise RuntimeError("a bug in placing")
        return real_ingest(app, raw, source=source)

    monkeypatch.setattr(jobs_mail, "ingest", a_bug_on_the_stranger)
    result = fetch(app)
    assert "3 messages taken in; 1 could not be" in result.output
    assert count(db) == 3  # the unreadable one is kept raw, in triage
    mailbox.select_folder("INBOX")
    assert len(mailbox.search(["UNKEYWORD", "$HilltrackProcessed"])) == 1

    monkeypatch.setattr(jobs_mail, "ingest", real_ingest)  # the fix is deployed
    assert "1 message taken in." in fetch(app).output
    assert count(db) == 4


def test_a_message_that_keeps_failing_is_kept_unread_after_three_tries_not_polled_for_ever(
    app: Flask, db: Session, mailbox: IMAPClient, sent: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    mailbox.append("INBOX", shapes.gmail_reply_en("x@else.example", "l@coalition.example", None))

    def always_a_bug(app: Flask, raw: bytes, *, source: str) -> Any:
        raise RuntimeError("a bug in placing")

    monkeypatch.setattr(jobs_mail, "ingest", always_a_bug)
    for _ in range(imap_module.MAX_TRIES - 1):
        assert "0 messages taken in; 1 could not be" in fetch(app).output
        assert count(db) == 0
    assert "1 message taken in." in fetch(app).output  # the last try keeps it, unread
    (message,) = db.scalars(select(InboundMessage))
    assert message.kind is InboundKind.UNREADABLE and message.state is InboundState.TRIAGE
    assert "RuntimeError: a bug in placing" in (message.note or "")
    assert "0 messages taken in." in fetch(app).output  # and it is not polled again
    mailbox.select_folder("INBOX")
    assert mailbox.search(["UNKEYWORD", "$HilltrackProcessed"]) == []


def test_processed_messages_can_be_moved_to_a_folder_instead(
    app: Flask, db: Session, mailbox: IMAPClient, sent: Any
) -> None:
    app.config["IMAP_DONE_FOLDER"] = "Processed"
    for raw in three_messages(sent[1]):
        mailbox.append("INBOX", raw)
    fetch(app)
    mailbox.select_folder("INBOX")
    assert mailbox.search(["ALL"]) == []
    mailbox.select_folder("Processed")
    assert len(mailbox.search(["ALL"])) == 3


def test_a_refused_login_says_which_settings_to_check(
    app: Flask, mailbox: IMAPClient, dovecot: Dovecot
) -> None:
    app.config["IMAP_PASSWORD"] = "wrong-password-here"
    result = fetch(app)
    assert result.exit_code == 1
    assert "refused the login for capture" in result.output
    assert "wrong-password-here" not in result.output


def test_the_pipe_stores_a_message_and_exits_0_even_when_it_cannot_place_it(
    app: Flask, db: Session, tmp_path: Path, sent: Any
) -> None:
    message = tmp_path / "message.eml"
    message.write_bytes(shapes.gmail_reply_en("x@else.example", "letters@coalition.example", None))
    result = app.test_cli_runner().invoke(args=["mail", "ingest", str(message)])
    assert result.exit_code == 0, result.output
    assert "waits in triage" in result.output
    again = app.test_cli_runner().invoke(args=["mail", "ingest"], input=message.read_bytes())
    assert again.exit_code == 0 and "already stored" in again.output
    assert count(db) == 1


def test_the_pipe_says_try_again_later_when_the_database_cannot_take_mail(
    tmp_path: Path, test_config: dict[str, Any], instance_path: Path
) -> None:
    unreachable = {**test_config, "DATABASE_URL": f"sqlite:///{tmp_path}/no/such/folder/db.sqlite3"}
    app = create_app(unreachable)
    message = shapes.gmail_reply_en("x@else.example", "letters@coalition.example", None)
    result = app.test_cli_runner().invoke(args=["mail", "ingest"], input=message)
    assert result.exit_code == 75
    assert "Not stored, try again later" in result.output
    assert not (instance_path / "mail").exists()  # nothing was half-stored either


def test_the_workers_periodic_fetch_takes_in_the_mailbox(
    app: Flask, db: Session, mailbox: IMAPClient, sent: Any
) -> None:
    from tracker.jobs.queue import queue

    for raw in three_messages(sent[1]):
        mailbox.append("INBOX", raw)
    queue(app).periodic["fetch_mail"]()  # what the worker runs every IMAP_EVERY_MINUTES
    assert count(db) == 3
    app.config["IMAP_SERVER"] = None
    mailbox.append("INBOX", shapes.gmail_reply_en("n@else.example", "l@c.example", None, "<n@x>"))
    queue(app).periodic["fetch_mail"]()  # no mailbox set: nothing happens
    assert count(db) == 3
