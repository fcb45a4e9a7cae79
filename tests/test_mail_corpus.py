"""Replies written with real mail clients and bounces written by real mail servers (the corpus
in tests/fixtures/mail, with its provenance), each read as a person would read it."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import html as lxml_html
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.letters import sent_letters
from tracker.jobs.mail import ingest
from tracker.mail.inbound import ParsedMail, parse_mail
from tracker.models import (
    InboundKind,
    InboundMessage,
    InboundState,
    Interaction,
    InteractionKind,
    LetterState,
    User,
    UserRole,
)

CORPUS = Path(__file__).parent / "fixtures" / "mail"


def rows(name: str) -> list[dict[str, str]]:
    text = (CORPUS / name / "expected.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


REPLIES = rows("replies")
BOUNCES = rows("bounces")
# What a reader must never see where a reply should be: a style sheet or an HTML comment.
NOT_TEXT = re.compile(r"<!--|-->|@font-face|font-family\s*:|\{[^{}]*:[^{}]*;[^{}]*\}|mso-")
# An HTML part saved alone (talon keeps them so): wrapped in the headers of a real message.
HTML_HEADERS = (
    b"From: office@example.org\nTo: letters@coalition.example\nSubject: Re: Test\n"
    b"MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n"
    b"Content-Transfer-Encoding: 8bit\n\n"
)


def raw_of(path: Path) -> bytes:
    data = path.read_bytes()
    return HTML_HEADERS + data if path.suffix == ".html" else data


def read(row: dict[str, str]) -> ParsedMail:
    return parse_mail(raw_of(CORPUS / "replies" / row["file"]))


def words(text: str) -> list[str]:
    return text.split()


def test_the_corpus_holds_replies_of_ten_clients_and_bounces_of_seven_servers() -> None:
    real = [r for r in REPLIES if r["file"].startswith("talon/")]
    assert len(REPLIES) >= 20 and len(real) >= 20
    assert len({r["client"] for r in real}) >= 10
    assert {r["format"] for r in REPLIES} >= {"html-only", "multipart", "text"}
    assert {"en", "fr"} <= {r["language"] for r in REPLIES}
    servers = {r["server"] for r in BOUNCES if r["file"].startswith("flufl/")}
    assert len([r for r in BOUNCES if r["file"].startswith("flufl/")]) >= 30
    assert len(servers - {"other servers (Mailman simple match)"}) >= 7


@pytest.mark.parametrize("row", REPLIES, ids=[r["file"] for r in REPLIES])
def test_each_reply_is_kept_without_the_letter_it_quotes(row: dict[str, str]) -> None:
    mail = read(row)
    assert mail.bounce is None
    assert words(mail.reply) == words(row["reply"].replace("\\n", "\n"))


@pytest.mark.parametrize("row", REPLIES, ids=[r["file"] for r in REPLIES])
def test_no_reply_or_whole_text_holds_css_or_an_html_comment(row: dict[str, str]) -> None:
    mail = read(row)
    for text in (mail.reply, mail.text):
        assert not NOT_TEXT.search(text), text[:300]


@pytest.mark.parametrize("row", BOUNCES, ids=[r["file"] for r in BOUNCES])
def test_each_bounce_names_its_failed_addresses_and_whether_it_is_permanent(
    row: dict[str, str],
) -> None:
    mail = parse_mail((CORPUS / "bounces" / row["file"]).read_bytes())
    assert mail.bounce is not None
    assert set(row["failed_addresses"].split()) <= set(mail.bounce.addresses)
    assert mail.bounce.failed is (row["kind"] == "permanent")
    assert all("<" not in a and ">" not in a for a in mail.bounce.addresses)


def test_a_report_names_the_address_we_wrote_to_before_the_one_a_server_rewrote() -> None:
    path = CORPUS / "bounces" / "constructed" / "dsn_failure_original_recipient.eml"
    bounce = parse_mail(path.read_bytes()).bounce
    assert bounce is not None and bounce.failed
    assert bounce.addresses[0] == "minister@parl.example"


PERMANENT = [r for r in BOUNCES if r["kind"] == "permanent"]


def _with_token(raw: bytes, address: str) -> bytes:
    return f"Delivered-To: {address}\n".encode() + raw


@pytest.mark.parametrize("tokened", [True, False], ids=["with a token", "without a token"])
def test_a_permanent_failure_is_never_filed_as_not_outreach(
    app: Flask, db: Session, make_user: Any, tokened: bool
) -> None:
    """Every permanent bounce of the corpus: with a letter's token it is logged as a bounce on
    that letter; without one it waits in triage, labelled a bounce with its failed addresses."""
    _campaign, letters = sent_letters(app, db, make_user(UserRole.COORDINATOR))
    for n, row in enumerate(PERMANENT):
        letter = letters[n % len(letters)]
        raw = (CORPUS / "bounces" / row["file"]).read_bytes()
        if tokened:
            raw = _with_token(raw, f"replies+{letter.token}@coalition.example")
        message = ingest(app, raw, source="corpus")
        stored = db.get(InboundMessage, message.id)
        assert stored is not None and stored.kind is InboundKind.BOUNCE, row["file"]
        assert stored.state is not InboundState.NOT_OUTREACH, row["file"]
        if tokened:
            assert stored.state is InboundState.PLACED and stored.letter_id == letter.id
            logged = db.scalar(select(Interaction).where(Interaction.id == stored.interaction_id))
            assert logged is not None and logged.kind is InteractionKind.BOUNCED
            db.refresh(letter)
            assert letter.state is LetterState.BOUNCED
        else:
            assert stored.state is InboundState.TRIAGE
            failed = row["failed_addresses"].split()[0]
            assert failed in str(stored.note), row["file"]


HOSTILE_HTML = {
    "a table of 90,000 cells": b"<table>" + (b"<tr>" + b"<td>cell</td>" * 300 + b"</tr>") * 300,
    "5 MB of paragraphs": b"<style>p{color:red;}</style>" + b"<p>word</p>" * 500_000,
    "10,000 nested blocks": b"<div>" * 10_000 + b"deep" + b"</div>" * 10_000,
}


@pytest.mark.parametrize("body", HOSTILE_HTML.values(), ids=list(HOSTILE_HTML))
def test_html_past_the_bounds_is_still_read_as_text_without_its_style(body: bytes) -> None:
    """Only the first HTML_LIMIT characters are read for text, and a tree past
    MAX_HTML_ELEMENTS is read a block a line: the message is read, never Unreadable."""
    mail = parse_mail(HTML_HEADERS + body)
    assert not NOT_TEXT.search(mail.text)
    assert len(mail.text) <= 1024 * 1024
    assert mail.reply


LANGUAGES = {"en": ("en-CA,en;q=0.9", "Bounce"), "fr": ("fr-CA,fr;q=0.9", "Non-remise")}


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_a_bounce_without_a_token_waits_in_triage_with_its_failed_address_and_the_guess(
    app: Flask,
    db: Session,
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    make_user: Any,
    language: str,
) -> None:
    """The report names the address we wrote to (Original-Recipient) beside the one a remote
    server rewrote it to: triage shows it as a bounce, for that address, with the guess."""
    _campaign, letters = sent_letters(app, db, make_user(UserRole.COORDINATOR))
    letter = letters[0]
    path = CORPUS / "bounces" / "constructed" / "dsn_failure_original_recipient.eml"
    raw = path.read_bytes().replace(b"minister@parl.example", letter.to_address.encode())
    message = ingest(app, raw, source="corpus")
    assert message.state is InboundState.TRIAGE
    signed_in(UserRole.COORDINATOR)
    accept, label = LANGUAGES[language]
    page = client.get("/mail/triage", headers={"Accept-Language": accept})
    shown = " ".join(lxml_html.fromstring(page.get_data(as_text=True)).text_content().split())
    assert label in shown
    assert letter.to_address in shown
    assert letter.recipient.official.full_name in shown
