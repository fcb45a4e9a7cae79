"""The Mail page: every message that came back, filtered by where it stands and searched by
sender or subject; what each message is, in words; a message marked "not outreach" by mistake
found again and placed after all; a placed message leads back to where it was logged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from lxml import html as lxml_html
from sqlalchemy.orm import Session

from tests import mail_shapes as shapes
from tests.conftest import post_form
from tests.letters import Replied, address_of, reply_arrives, stranger_writes
from tracker.jobs.mail import ingest
from tracker.models import (
    InboundKind,
    InboundMessage,
    InboundState,
    Interaction,
    InteractionKind,
    User,
    UserRole,
)

FRENCH = {"Accept-Language": "fr-CA,fr;q=0.9"}


def text_of(page: str) -> str:
    return " ".join(lxml_html.fromstring(page).text_content().split())


def listed(page: str) -> list[int]:
    """The messages the Mail page lists, in order."""
    return [int(x) for x in lxml_html.fromstring(page).xpath("//li[@data-message]/@data-message")]


def test_a_message_marked_not_outreach_is_found_on_the_mail_page_and_placed_after_all(
    app: Flask, client: FlaskClient, db: Session, sent: Any, signed_in: Callable[[UserRole], User]
) -> None:
    _, letters = sent
    joly = letters["Mélanie Joly"]
    message_id = stranger_writes(app)
    signed_in(UserRole.VOLUNTEER)
    post_form(client, f"/mail/{message_id}/not-outreach", {}, token_page="/mail/triage")
    assert "Nothing waits" in client.get("/mail/triage").get_data(as_text=True)

    found = client.get("/mail/?show=not-outreach&q=aide").get_data(as_text=True)
    assert listed(found) == [message_id]
    assert "not outreach" in text_of(found)
    page = client.get(f"/mail/{message_id}?q=joly").get_data(as_text=True)
    assert "Place it after all" in page and "Mélanie Joly" in page

    response = post_form(
        client,
        f"/mail/{message_id}/place",
        {"recipient_id": joly.recipient_id, "placed_as": "reply"},
        token_page=f"/mail/{message_id}",
    )
    assert response.status_code == 302
    db.expire_all()
    message = db.get(InboundMessage, message_id)
    assert message is not None and message.state is InboundState.PLACED
    reply = db.get(Interaction, message.interaction_id)
    assert reply is not None and reply.kind is InteractionKind.REPLY_RECEIVED
    assert listed(client.get("/mail/?show=placed").get_data(as_text=True)) == [message_id]
    assert listed(client.get("/mail/?show=not-outreach").get_data(as_text=True)) == []


def test_not_outreach_can_be_undone_and_the_message_waits_to_be_placed_again(
    app: Flask, client: FlaskClient, db: Session, sent: Any, signed_in: Callable[[UserRole], User]
) -> None:
    message_id = stranger_writes(app)
    signed_in(UserRole.VOLUNTEER)
    post_form(client, f"/mail/{message_id}/not-outreach", {}, token_page="/mail/triage")
    page = client.get(f"/mail/{message_id}").get_data(as_text=True)
    assert "Undo: it waits to be placed again" in page
    post_form(client, f"/mail/{message_id}/not-outreach/undo", {}, token_page="/mail/triage")
    db.expire_all()
    assert db.get(InboundMessage, message_id).state is InboundState.TRIAGE  # type: ignore[union-attr]
    assert listed(client.get("/mail/?show=waiting").get_data(as_text=True)) == [message_id]
    assert "1 message</strong> waits for triage" in client.get("/").get_data(as_text=True)
    again = post_form(
        client, f"/mail/{message_id}/not-outreach/undo", {}, token_page="/mail/triage"
    )
    assert again.status_code == 302  # nothing to undo any more: said so, nothing changes
    db.expire_all()
    assert db.get(InboundMessage, message_id).state is InboundState.TRIAGE  # type: ignore[union-attr]


def test_the_mail_page_filters_by_where_a_message_stands_and_finds_a_sender_or_a_subject(
    app: Flask, client: FlaskClient, db: Session, sent: Any, signed_in: Callable[[UserRole], User]
) -> None:
    _, letters = sent
    joly = letters["Mélanie Joly"]
    placed = reply_arrives(app, joly).id
    waiting = stranger_writes(app, "aide@office.example")
    other = stranger_writes(app, "someone@else.example", n=1)
    unreadable = stranger_writes(app, "broken@mailer.example", n=2)
    db.get(InboundMessage, unreadable).kind = InboundKind.UNREADABLE  # type: ignore[union-attr]
    db.commit()
    signed_in(UserRole.VOLUNTEER)
    everything = listed(client.get("/mail/").get_data(as_text=True))
    assert everything == [unreadable, other, waiting, placed]  # newest first
    assert listed(client.get("/mail/?show=placed").get_data(as_text=True)) == [placed]
    assert listed(client.get("/mail/?show=waiting").get_data(as_text=True)) == [
        unreadable,
        other,
        waiting,
    ]
    assert listed(client.get("/mail/?show=unreadable").get_data(as_text=True)) == [unreadable]
    assert listed(client.get("/mail/?q=OFFICE.example").get_data(as_text=True)) == [waiting]
    assert listed(client.get("/mail/?q=an+aide").get_data(as_text=True)) == [
        unreadable,
        other,
        waiting,
    ]
    subject = db.get(InboundMessage, placed).subject  # type: ignore[union-attr]
    assert subject
    assert placed in listed(client.get(f"/mail/?q={subject.split()[-1]}").get_data(as_text=True))
    nothing = client.get("/mail/?q=%25").get_data(as_text=True)  # a wildcard is a character
    assert listed(nothing) == [] and "No message matches." in nothing


def test_each_message_says_what_it_is_first_message_reply_automatic_reply_or_bounce(
    app: Flask, client: FlaskClient, db: Session, sent: Any, signed_in: Callable[[UserRole], User]
) -> None:
    _, letters = sent
    joly = letters["Mélanie Joly"]
    first = stranger_writes(app, "aide@office.example")
    second = stranger_writes(app, "aide@office.example", n=1)
    away = ingest(app, shapes.out_of_office("o@parl.example", "letters@c.example"), source="t").id
    bounce = ingest(
        app,
        shapes.postfix_bounce(
            "bounces@coalition.example", address_of(joly.recipient), "<x@coalition.example>"
        ),
        source="t",
    ).id
    signed_in(UserRole.VOLUNTEER)

    def labels(path: str, message_id: int, headers: Any = None) -> str:
        page = lxml_html.fromstring(client.get(path, headers=headers).get_data(as_text=True))
        spans = page.xpath(f"//li[@data-message='{message_id}']//span[@class='mail-labels']")
        if not spans:
            spans = page.xpath("//span[@class='mail-labels']")
        return " ".join(spans[0].text_content().split())

    assert labels("/mail/", first) == "first message from this sender Reply"
    assert labels("/mail/", second) == "Reply"
    assert labels("/mail/", away) == "first message from this sender Automatic reply"
    assert labels("/mail/", bounce).endswith("Bounce")
    # The message's own page says the same: one rule.
    for message_id in (first, second, away, bounce):
        assert labels(f"/mail/{message_id}", message_id) == labels("/mail/", message_id)
    assert labels("/mail/", first, FRENCH) == "premier message de cet expéditeur Réponse"
    assert labels("/mail/", away, FRENCH).endswith("Réponse automatique")


def test_placing_offers_the_senders_letters_with_their_status_and_date_the_likeliest_first(
    app: Flask, client: FlaskClient, db: Session, sent: Any, signed_in: Callable[[UserRole], User]
) -> None:
    _, letters = sent
    joly = letters["Mélanie Joly"]
    # From the official's own address, with no token of ours: the guess, then their letters.
    raw = shapes.gmail_reply_en(
        f"Office <{address_of(joly.recipient)}>", "letters@coalition.example", None, mid="<g@t>"
    )
    message = ingest(app, raw, source="t")
    assert message.state is InboundState.TRIAGE
    signed_in(UserRole.VOLUNTEER)
    page = client.get(f"/mail/{message.id}").get_data(as_text=True)
    tree = lxml_html.fromstring(page)
    choices = tree.xpath("//ul[contains(@class,'candidates')]/li")
    assert choices, page
    first = " ".join(choices[0].text_content().split())
    assert first.startswith("Mélanie Joly")
    assert "Hilltrack's guess" in first
    sent_on = joly.recipient.sent_on
    assert sent_on is not None
    assert "Sent · letter sent on " in first and str(sent_on.year) in first
    french = client.get(f"/mail/{message.id}", headers=FRENCH).get_data(as_text=True)
    assert "lettre envoyée le " in text_of(french)
    # Another official's letters are found by name, below the likeliest.
    searched = lxml_html.fromstring(
        client.get(f"/mail/{message.id}?q=oliphant").get_data(as_text=True)
    ).xpath("//ul[contains(@class,'candidates')]/li")
    names = [" ".join(x.text_content().split()) for x in searched]
    assert names[0].startswith("Mélanie Joly") and any("Oliphant" in n for n in names[1:])


def test_a_placed_messages_page_leads_back_to_the_official_the_campaign_and_the_entry(
    client: FlaskClient, joly_replied: Replied, signed_in: Callable[[UserRole], User]
) -> None:
    letter, joly, received = joly_replied.letter, joly_replied.joly, joly_replied.received
    signed_in(UserRole.VOLUNTEER)
    page = client.get(f"/mail/{received.id}").get_data(as_text=True)
    official_id = joly.recipient.official_id
    assert f'href="/officials/{official_id}#timeline-heading"' in page
    assert f'href="/campaigns/{letter.campaign.id}#recipients-heading"' in page
    assert "Reply received" in text_of(page)
    assert 'href="/mail/"' in page  # the breadcrumb goes back to the Mail page


def test_the_mail_page_is_in_the_menu_and_reads_in_french(
    app: Flask, client: FlaskClient, db: Session, sent: Any, signed_in: Callable[[UserRole], User]
) -> None:
    stranger_writes(app)
    signed_in(UserRole.VOLUNTEER)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/mail/"' in home
    page = client.get("/mail/", headers=FRENCH).get_data(as_text=True)
    assert "Tous les messages" in page and "en attente" in text_of(page)
