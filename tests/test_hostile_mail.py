# ruff: noqa: E501
"""Hostile and broken mail: whatever bytes arrive, taking them in never raises, stores the
message, and what cannot be placed lands in triage. Hypothesis generates the bytes; a corpus of
malformed messages covers the shapes mail servers really pass on."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests import mail_shapes as shapes
from tracker.jobs.mail import ingest
from tracker.mail.inbound import Unreadable, parse_mail
from tracker.models import InboundAttachment, InboundKind, InboundMessage, InboundState
from tracker.operations import inbound as inbound_operations
from tracker.rules.text import DIRECTION_CODES, ZERO_WIDTH

SEED = shapes.gmail_reply_en(
    "o@parl.example", "replies+1-aaaaaaaaaaaaaaaaaaaa@coalition.example", None
)
CORPUS = [
    b"",
    b"\r\n\r\n",
    b"not a header line at all\r\n",
    b"From: \r\nTo: \r\nSubject: \r\n\r\n",
    b'Content-Type: multipart/mixed; boundary="x"\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nno end',
    b"Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\ngarbage without fields\r\n--b--\r\n",
    b"Content-Type: text/plain; charset=no-such-charset\r\n\r\n\xe9\xe8\xff",
    b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!",
    b"Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=ZZ=\r\n=",
    b"Subject: =?utf-8?b?invalid?=\r\nFrom: =?unknown?q?x?= <a@b>\r\n\r\nbody",
    b"From: a@b\r\nIn-Reply-To: <hilltrack.99-0000000000000000000@coalition.example>\r\n\r\nforged",
    b"Date: not a date\r\nMessage-ID: no angle brackets\r\n\r\n",
    b"Content-Type: text/html\r\n\r\n<html><body><script>fetch('https://x')</script><img src=x onerror=alert(1)>",
    b"Content-Type: message/rfc822\r\n\r\nContent-Type: message/rfc822\r\n\r\nContent-Type: message/rfc822\r\n\r\n",
    b"From: " + b"a" * 5000 + b"@b\r\nSubject: " + b"s" * 5000 + b"\r\n\r\nlong headers",
    SEED[: len(SEED) // 2],
    b"\x00rom: o@parl.example\r\nSubject: a \x00 in a header\r\n\r\nand one \x00 in the body",
    SEED.replace(b"\r\n", b"\n").replace(b"\n", b"\r", 5),
    # Senders whose address would be an element if printed as markup (tests/test_mail_display.py).
    *(
        shapes.hostile_sender(sender, "letters@coalition.example", n)
        for n, sender in enumerate(shapes.HOSTILE_SENDERS)
    ),
    # Issue 22: each of these once took minutes, raised, or stored what it should not.
    shapes.quote_bomb(),  # "On", 65,000 spaces, "wrote:": 51 s under the write lock
    shapes.quote_bomb(16_000, mid="<bomb-16k@evil.example>"),
    shapes.long_references(5 * 1024 * 1024),  # 124 s and 678 MB
    shapes.long_references(200_000, mid="<refs-200k@evil.example>"),
    shapes.dated(SEED, "Fri, 31 Dec 9999 23:59:59 -1200"),  # OverflowError, nothing stored
    shapes.dated(SEED, "Wed, 01 Jan 1800 00:00:00 +0000"),
    shapes.forged_bounce("justin.trudeau@parl.example"),
    shapes.gmail_reply_en(
        "Justin Trudeau <justin.trudeau@parl.example>", "letters@c.example", None
    ),
    shapes.attachment_named(
        "o@parl.example", "letters@c.example", "utf-8''a%0D%0AContent-Type%3A%20x.pdf", "<crlf@x>"
    ),
    shapes.attachment_named(
        "o@parl.example", "l@c.example", "utf-8''..%2F..%2Fetc%2Fpasswd", "<p@x>"
    ),
    shapes.control_characters("letters@coalition.example"),
]


def stored(db: Session) -> list[InboundMessage]:
    db.expire_all()
    return list(db.scalars(select(InboundMessage)))


@pytest.mark.parametrize("raw", CORPUS, ids=[f"corpus-{n}" for n in range(len(CORPUS))])
def test_a_malformed_message_is_kept_and_waits_in_triage(
    app: Flask, db: Session, raw: bytes
) -> None:
    received = ingest(app, raw, source="corpus")
    (message,) = stored(db)
    assert message.id == received.id
    assert message.state in (InboundState.TRIAGE, InboundState.NOT_OUTREACH)
    assert message.size == len(raw)


def test_the_quote_bomb_is_read_before_the_write_lock_is_taken(
    app: Flask, db: Session, connection: sa.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading happens before the transaction that stores the message begins, so however long
    a message takes to read, no other save waits for it (tests/test_mail_ingest_processes.py
    holds the lock from another process)."""
    steps: list[str] = []
    reading = inbound_operations.parse_mail

    def read(raw: bytes) -> Any:
        steps.append("read")
        return reading(raw)

    monkeypatch.setattr(inbound_operations, "parse_mail", read)

    def began(*_: Any) -> None:
        steps.append("transaction")

    sa.event.listen(connection, "savepoint", began)
    try:
        received = ingest(app, shapes.quote_bomb(), source="corpus")
    finally:
        sa.event.remove(connection, "savepoint", began)
    assert steps[:2] == ["read", "transaction"]
    assert received.new and stored(db)[0].state is InboundState.TRIAGE


def test_a_message_too_large_to_read_is_kept_raw_in_triage_and_says_so(
    app: Flask, db: Session
) -> None:
    ingest(app, shapes.long_references(5 * 1024 * 1024), source="corpus")
    (message,) = stored(db)
    assert message.kind is InboundKind.UNREADABLE and message.state is InboundState.TRIAGE
    assert "Too large to read" in (message.note or "")


def test_headers_past_their_length_are_cut_and_the_message_still_read(
    app: Flask, db: Session
) -> None:
    ingest(app, CORPUS[14], source="corpus")  # a 5,000-character From: and Subject:
    (message,) = stored(db)
    assert message.kind is InboundKind.REPLY and message.text == "long headers"
    assert message.subject == "s" * 998


def test_a_date_of_year_9999_is_stored_as_unknown(app: Flask, db: Session) -> None:
    ingest(app, shapes.dated(SEED, "Fri, 31 Dec 9999 23:59:59 -1200"), source="corpus")
    (message,) = stored(db)
    assert message.sent_at is None and message.from_address == "o@parl.example"


def invisible(text: str | None) -> set[str]:
    """The control, direction and zero-width characters in ``text``."""
    return {
        ch
        for ch in text or ""
        if unicodedata.category(ch) == "Cc" or ch in DIRECTION_CODES or ch in ZERO_WIDTH
    }


def test_control_and_direction_characters_never_reach_a_subject_a_name_or_an_address(
    app: Flask, db: Session
) -> None:
    ingest(app, shapes.control_characters("letters@coalition.example"), source="corpus")
    (message,) = stored(db)
    assert message.subject == "Re: Open ]0;owned gpj.exe"
    assert message.from_name == "Justin [31m Trudeau"
    assert message.from_address == "pm@parl.example"
    assert message.text == "We read your letter.[2J See you soon."
    for value in (message.subject, message.from_name, message.from_address, message.text):
        assert invisible(value) <= {"\n"}


@pytest.mark.parametrize(
    ("encoded", "clean"),
    [
        ("utf-8''a%0D%0AContent-Type%3A%20x.pdf", "a Content-Type: x.pdf"),
        ("utf-8''..%2F..%2Fetc%2Fpasswd", "passwd"),
        ("utf-8''%E2%80%AEfdp.exe", "fdp.exe"),
        ("utf-8''" + "n" * 300 + ".pdf", "n" * 196 + ".pdf"),
    ],
    ids=["crlf", "path", "direction-override", "300-characters"],
)
def test_an_attachment_is_stored_under_a_clean_name(
    app: Flask, db: Session, encoded: str, clean: str
) -> None:
    raw = shapes.attachment_named("o@parl.example", "l@c.example", encoded, "<a@x>")
    ingest(app, raw, source="t")
    (attachment,) = db.scalars(select(InboundAttachment))
    assert attachment.filename == clean


def test_html_from_a_message_never_keeps_anything_that_runs_or_fetches(
    app: Flask, db: Session
) -> None:
    ingest(app, CORPUS[12], source="corpus")
    (message,) = stored(db)
    html = message.html or ""
    assert "<script" not in html and "<img" not in html and "onerror" not in html


def mutated(data: st.DataObject) -> bytes:
    raw = bytearray(SEED)
    for _ in range(data.draw(st.integers(0, 8))):
        position = data.draw(st.integers(0, len(raw) - 1))
        action = data.draw(st.sampled_from(["flip", "cut", "insert"]))
        if action == "flip":
            raw[position] = data.draw(st.integers(0, 255))
        elif action == "cut":
            del raw[position : position + data.draw(st.integers(1, 40))]
        else:
            raw[position:position] = data.draw(st.binary(min_size=1, max_size=40))
        if not raw:
            break
    return bytes(raw)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_any_bytes_either_parse_or_say_why(raw: bytes) -> None:
    try:
        parsed = parse_mail(raw)
    except Unreadable as error:
        assert str(error)
    else:
        assert isinstance(parsed.text, str)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_damaged_real_reply_either_parses_or_says_why(data: st.DataObject) -> None:
    raw = mutated(data)
    try:
        parsed = parse_mail(raw)
    except Unreadable:
        return
    assert isinstance(parsed.reply, str)
    assert "<script" not in (parsed.html or "")


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.data())
def test_taking_in_damaged_mail_never_raises_and_never_places_without_a_valid_token(
    app: Flask, db: Session, data: Any
) -> None:
    raw = mutated(data)
    received = ingest(app, raw, source="fuzz")
    assert received.state is not InboundState.PLACED  # SEED's token is not valid for any letter
