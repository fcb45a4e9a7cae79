"""Mail that comes back, in the shapes real mailers give it: each is stored once, placed on its
letter by its own address or its thread, logged as a reply, an acknowledgement or a bounce, and
otherwise kept in triage. Nothing is lost, nothing is logged twice."""

from __future__ import annotations

from collections.abc import Callable
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests import mail_shapes as shapes
from tests.letters import address_of, reply_to
from tracker.clock import utcnow
from tracker.jobs.mail import ingest
from tracker.models import (
    InboundAttachment,
    InboundKind,
    InboundMessage,
    InboundState,
    Interaction,
    InteractionKind,
    Letter,
    LetterState,
    ReplyClass,
    UserRole,
)
from tracker.rules.status import RecipientStatus

TORONTO = ZoneInfo("America/Toronto")


def thread_of(letter: Letter) -> str:
    return letter.message_id or ""


def stored(db: Session) -> list[InboundMessage]:
    db.expire_all()
    return list(db.scalars(select(InboundMessage).order_by(InboundMessage.id)))


def logged(db: Session, letter: Letter) -> list[Interaction]:
    db.expire_all()
    return list(
        db.scalars(
            select(Interaction)
            .where(Interaction.recipient_id == letter.recipient_id)
            .where(Interaction.kind != InteractionKind.SENT)
        )
    )


SHAPES: list[tuple[str, Callable[[str, str, str | None], bytes]]] = [
    ("outlook-en", shapes.outlook_reply_en),
    ("gmail-fr", shapes.gmail_reply_fr),
    ("outlook-fr", shapes.outlook_reply_fr),
    ("gmail-en", shapes.gmail_reply_en),
    ("forwarded", shapes.forwarded_chain),
    ("html-only", shapes.html_only),
]
FIRST_LINES = {
    "outlook-en": "Thank you for your letter. The Minister has asked officials to brief her.",
    "gmail-fr": "Merci de votre lettre. La ministre en prendra connaissance avec attention.",
    "outlook-fr": "Bonjour,",
    "gmail-en": "The Minister would be pleased to meet the coalition in October.",
    "forwarded": "Passing this to the Parliamentary Secretary, who follows the file.",
    "html-only": "We have received your letter.",
}
QUOTED = ("Dear Minister,", "Madame la Ministre,", "> ")


@pytest.mark.parametrize(("name", "shape"), SHAPES, ids=[n for n, _ in SHAPES])
def test_a_reply_to_the_letters_own_address_is_logged_as_a_reply_without_the_quoted_letter(
    app: Flask, db: Session, sent: Any, name: str, shape: Callable[..., bytes]
) -> None:
    _, letters = sent
    joly = letters["Mélanie Joly"]
    raw = shape(f"Office <{address_of(joly.recipient)}>", reply_to(joly), None)
    raw = shapes.dated(raw, format_datetime(utcnow()))  # written after the letter was sent
    received = ingest(app, raw, source="test")
    assert received.state is InboundState.PLACED
    (message,) = stored(db)
    assert message.placed_by == "token" and message.letter_id == joly.id
    assert message.kind is InboundKind.REPLY
    assert message.text and message.text.startswith(FIRST_LINES[name])
    if name != "forwarded":  # a forwarded chain is the message itself
        assert not any(marker in message.text for marker in QUOTED)
    (reply,) = logged(db, joly)
    assert reply.kind is InteractionKind.REPLY_RECEIVED
    assert reply.reply_class is None  # a volunteer classifies it later
    assert reply.summary == message.text
    assert reply.occurred_on == utcnow().astimezone(TORONTO).date()
    db.expire_all()
    assert joly.recipient.status == RecipientStatus.REPLIED
    assert message.from_other_address is False


@pytest.mark.parametrize(("name", "shape"), SHAPES[:2], ids=[n for n, _ in SHAPES[:2]])
def test_threading_places_a_reply_whose_server_dropped_the_reply_address(
    app: Flask, db: Session, sent: Any, name: str, shape: Callable[..., bytes]
) -> None:
    _, letters = sent
    rae = next(x for n, x in letters.items() if n.endswith("Rae"))
    raw = shape(f"<{address_of(rae.recipient)}>", "letters@coalition.example", thread_of(rae))
    ingest(app, raw, source="test")
    (message,) = stored(db)
    assert message.placed_by == "thread" and message.letter_id == rae.id


def test_html_is_shown_sanitised_without_scripts_remote_images_or_javascript_links(
    app: Flask, db: Session, sent: Any
) -> None:
    _, letters = sent
    joly = letters["Mélanie Joly"]
    ingest(app, shapes.html_only("o@parl.example", reply_to(joly), None), source="test")
    (message,) = stored(db)
    html = message.html or ""
    assert "<b>letter</b>" in html
    for banned in ("<img", "<script", "<iframe", "javascript:", "spy.example", "evil.example"):
        assert banned not in html


@pytest.mark.parametrize("charset", ["iso-8859-1", "windows-1252"])
def test_legacy_charsets_are_read_as_declared_with_the_windows_apostrophe_kept(
    app: Flask, db: Session, sent: Any, charset: str
) -> None:
    _, letters = sent
    joly = letters["Mélanie Joly"]
    ingest(app, shapes.legacy_charset("o@parl.example", reply_to(joly), None, charset), source="t")
    (message,) = stored(db)
    assert "Nous l\u2019étudierons à la rentrée." in (message.text or "") or (
        charset == "iso-8859-1" and "Nous l'étudierons à la rentrée." in (message.text or "")
    )


@pytest.mark.parametrize("french", [False, True], ids=["en", "fr"])
def test_an_out_of_office_is_logged_as_acknowledged_never_as_a_reply(
    app: Flask, db: Session, sent: Any, french: bool
) -> None:
    _, letters = sent
    trudeau = letters["Justin Trudeau"]
    ingest(
        app, shapes.out_of_office("pm@parl.example", reply_to(trudeau), french=french), source="t"
    )
    (message,) = stored(db)
    assert message.kind is InboundKind.AUTO_REPLY
    (entry,) = logged(db, trudeau)
    assert entry.kind is InteractionKind.REPLY_RECEIVED
    assert entry.reply_class is ReplyClass.ACKNOWLEDGEMENT
    db.expire_all()
    assert trudeau.recipient.status == RecipientStatus.ACKNOWLEDGED


def test_a_postfix_bounce_to_the_verp_address_marks_the_letter_bounced_with_the_diagnostic(
    app: Flask, db: Session, sent: Any
) -> None:
    _, letters = sent
    trudeau = letters["Justin Trudeau"]
    raw = shapes.postfix_bounce(
        f"bounces+{trudeau.token}@coalition.example", trudeau.to_address, thread_of(trudeau)
    )
    ingest(app, raw, source="test")
    (message,) = stored(db)
    assert message.kind is InboundKind.BOUNCE and message.state is InboundState.PLACED
    assert "5.1.1" in (message.bounce_diagnostic or "")
    assert "Recipient address rejected: User unknown" in (message.bounce_diagnostic or "")
    db.expire_all()
    assert db.get(Letter, trudeau.id).state is LetterState.BOUNCED  # type: ignore[union-attr]
    (entry,) = logged(db, trudeau)
    assert entry.kind is InteractionKind.BOUNCED
    assert trudeau.recipient.last_bounced_on is not None


def test_an_exchange_ndr_names_its_letter_by_the_original_message_inside_it(
    app: Flask, db: Session, sent: Any
) -> None:
    _, letters = sent
    rae = next(x for n, x in letters.items() if n.endswith("Rae"))
    raw = shapes.exchange_ndr("letters@coalition.example", rae.to_address, thread_of(rae))
    ingest(app, raw, source="test")
    (message,) = stored(db)
    assert message.kind is InboundKind.BOUNCE and message.letter_id == rae.id
    assert "RESOLVER.ADR.RecipientNotFound" in (message.bounce_diagnostic or "")


def test_a_reply_from_another_address_is_logged_but_marked(
    app: Flask, db: Session, sent: Any
) -> None:
    _, letters = sent
    joly = letters["Mélanie Joly"]
    raw = shapes.gmail_reply_en("Someone <someone@gmail.example>", reply_to(joly), None)
    ingest(app, raw, source="test")
    (message,) = stored(db)
    assert message.state is InboundState.PLACED and message.from_other_address is True


def test_the_officials_own_address_without_a_token_is_only_a_guess_in_triage(
    app: Flask, db: Session, sent: Any
) -> None:
    """Anyone can write an official's address in From: it suggests the letter, it does not
    log a reply (a person accepts the guess in one click, tests/test_triage.py)."""
    _, letters = sent
    joly = letters["Mélanie Joly"]
    raw = shapes.gmail_reply_en(address_of(joly.recipient), "letters@coalition.example", None)
    ingest(app, raw, source="test")
    (message,) = stored(db)
    assert message.state is InboundState.TRIAGE and message.placed_by is None
    assert message.guess_recipient_id == joly.recipient_id
    assert "no token" in (message.guess_reason or "")
    assert logged(db, joly) == []


def test_the_address_a_letter_went_to_without_a_token_is_a_guess_even_when_the_official_has_none(
    app: Flask, db: Session, sent: Any
) -> None:
    """An address typed on the letter alone (not on the official) still suggests the letter."""
    _, letters = sent
    joly = letters["Mélanie Joly"]
    went_to = joly.to_address
    joly.recipient.official.email = None
    db.commit()
    raw = shapes.gmail_reply_en(f"Office <{went_to}>", "letters@coalition.example", None)
    ingest(app, raw, source="test")
    (message,) = stored(db)
    assert message.state is InboundState.TRIAGE
    assert message.guess_recipient_id == joly.recipient_id
    assert logged(db, joly) == []


def test_a_strangers_message_and_a_forged_thread_wait_in_triage(
    app: Flask, db: Session, sent: Any
) -> None:
    _, letters = sent
    joly = letters["Mélanie Joly"]
    forged_id = f"<hilltrack.{joly.id}-{'0' * 20}@coalition.example>"
    ingest(
        app, shapes.gmail_reply_en("x@else.example", "letters@coalition.example", None), source="t"
    )
    ingest(
        app,
        shapes.outlook_reply_en("y@else.example", "letters@coalition.example", forged_id),
        source="t",
    )
    forged_address = f"replies+{joly.id}-{'1' * 20}@coalition.example"
    ingest(app, shapes.gmail_reply_fr("z@else.example", forged_address, None), source="t")
    messages = stored(db)
    assert [m.state for m in messages] == [InboundState.TRIAGE] * 3
    assert logged(db, joly) == []
    assert messages[2].guess_recipient_id == joly.recipient_id  # a near miss is a guess only
    assert "fails the check" in (messages[2].guess_reason or "")


def test_the_same_message_twice_is_stored_and_logged_once(
    app: Flask, db: Session, sent: Any
) -> None:
    _, letters = sent
    joly = letters["Mélanie Joly"]
    raw = shapes.gmail_reply_en("o@parl.example", reply_to(joly), None)
    first = ingest(app, raw, source="test")
    again = ingest(app, raw.replace(b"Subject: Re:", b"Subject: RE:"), source="test")
    assert first.new and not again.new and again.id == first.id
    assert len(stored(db)) == 1 and len(logged(db, joly)) == 1


def test_an_unreadable_message_is_kept_raw_in_triage_with_the_reason(
    app: Flask, db: Session, sent: Any
) -> None:
    ingest(app, b"   \r\n", source="test")
    (message,) = stored(db)
    assert message.kind is InboundKind.UNREADABLE and message.state is InboundState.TRIAGE
    assert "empty" in (message.note or "")
    raw = Path(app.instance_path) / "mail" / "raw" / message.raw_path
    assert raw.read_bytes() == b"   \r\n"


def test_an_oversized_attachment_is_noted_not_kept_and_the_message_still_placed(
    app: Flask, db: Session, sent: Any
) -> None:
    app.config["MAIL_MAX_ATTACHMENT_BYTES"] = 5_000
    _, letters = sent
    joly = letters["Mélanie Joly"]
    ingest(app, shapes.with_attachment("o@parl.example", reply_to(joly), None, 20_000), source="t")
    ingest(app, shapes.with_attachment("o@parl.example", reply_to(joly), None, 100), source="t")
    big, small = stored(db)
    assert big.state is InboundState.PLACED
    (big_file,) = db.scalars(
        select(InboundAttachment).where(InboundAttachment.message_id == big.id)
    )
    assert big_file.path is None and "over the 5,000-byte cap" in (big.note or "")
    (small_file,) = db.scalars(
        select(InboundAttachment).where(InboundAttachment.message_id == small.id)
    )
    assert small_file.content_type == "application/pdf" and small_file.path is not None


def test_an_oversized_message_keeps_its_head_and_waits_in_triage(
    app: Flask, db: Session, sent: Any
) -> None:
    app.config["MAIL_MAX_BYTES"] = 10_000
    _, letters = sent
    raw = shapes.with_attachment("o@parl.example", reply_to(letters["Mélanie Joly"]), None, 50_000)
    ingest(app, raw, source="test")
    (message,) = stored(db)
    assert message.state is InboundState.TRIAGE and message.size == len(raw)
    assert "over the 10,000-byte cap" in (message.note or "")


def test_a_forged_delivery_report_naming_an_officials_address_changes_no_letter(
    app: Flask, db: Session, sent: Any
) -> None:
    """A delivery report from anyone, with no token of ours, only the official's public
    address: the letter stays sent, the report waits in triage with that letter as the guess."""
    _, letters = sent
    trudeau = letters["Justin Trudeau"]
    ingest(app, shapes.forged_bounce(trudeau.to_address), source="test")
    (message,) = stored(db)
    assert message.kind is InboundKind.BOUNCE and message.state is InboundState.TRIAGE
    assert message.guess_recipient_id == trudeau.recipient_id
    assert "no token" in (message.guess_reason or "")
    db.expire_all()
    assert db.get(Letter, trudeau.id).state is LetterState.SENT  # type: ignore[union-attr]
    assert logged(db, trudeau) == []


def test_a_forged_from_of_an_official_logs_no_reply(app: Flask, db: Session, sent: Any) -> None:
    _, letters = sent
    trudeau = letters["Justin Trudeau"]
    forged = shapes.gmail_reply_en(
        f"Justin Trudeau <{trudeau.to_address}>", "letters@coalition.example", None
    )
    ingest(app, forged, source="test")
    (message,) = stored(db)
    assert message.state is InboundState.TRIAGE and message.guess_recipient_id == (
        trudeau.recipient_id
    )
    assert logged(db, trudeau) == []
    db.expire_all()
    assert trudeau.recipient.status == RecipientStatus.SENT


def test_a_reply_by_its_token_from_a_colleague_on_the_same_domain_is_marked_from_another_address(
    app: Flask, db: Session, sent: Any
) -> None:
    """Every member of Parliament shares parl.gc.ca: the whole address is compared."""
    _, letters = sent
    joly = letters["Mélanie Joly"]
    colleague = f"Someone Else <someone.else@{joly.to_address.rpartition('@')[2]}>"
    ingest(app, shapes.gmail_reply_en(colleague, reply_to(joly), None), source="test")
    (message,) = stored(db)
    assert message.state is InboundState.PLACED and message.from_other_address is True


@pytest.mark.parametrize(
    "date",
    ["Wed, 01 Jan 1800 00:00:00 +0000", "Tue, 12 Sep 2023 14:30:00 +0000"],
    ids=["1800", "before-the-send"],
)
def test_a_back_dated_reply_is_logged_on_the_day_its_letter_was_sent_and_counts_as_replied(
    app: Flask, db: Session, sent: Any, date: str
) -> None:
    _, letters = sent
    joly = letters["Mélanie Joly"]
    raw = shapes.dated(shapes.gmail_reply_en("o@parl.example", reply_to(joly), None), date)
    ingest(app, raw, source="test")
    (reply,) = logged(db, joly)
    db.expire_all()
    assert reply.occurred_on == joly.recipient.last_sent_on
    assert joly.recipient.status == RecipientStatus.REPLIED


def test_a_reply_whose_long_thread_ends_with_the_letter_is_still_placed_by_it(
    app: Flask, db: Session, sent: Any
) -> None:
    """Only the first and the last message ids of a long References header are read: the
    letter's, last, still places the reply."""
    _, letters = sent
    rae = next(x for n, x in letters.items() if n.endswith("Rae"))
    raw = shapes.long_references(200_000).replace(
        b"\r\n\r\nHello", f" {thread_of(rae)}\r\n\r\nHello".encode()
    )
    ingest(app, raw, source="test")
    (message,) = stored(db)
    assert message.placed_by == "thread" and message.letter_id == rae.id


def test_a_bounced_letter_s_row_on_the_letters_page_says_bounced_once(
    app: Flask, db: Session, sent: Any, client: Any, signed_in: Callable[[UserRole], Any]
) -> None:
    campaign, letters = sent
    trudeau = letters["Justin Trudeau"]
    raw = shapes.postfix_bounce(
        f"bounces+{trudeau.token}@coalition.example", trudeau.to_address, thread_of(trudeau)
    )
    ingest(app, raw, source="test")
    signed_in(UserRole.COORDINATOR)
    html = client.get(f"/campaigns/{campaign.campaign.id}/letters/").get_data(as_text=True)
    row = next(tr for tr in html.split("<tr") if "Justin Trudeau" in tr)
    assert row.count(">Bounced<") == 1
    assert "not delivered: send it another way" in row
