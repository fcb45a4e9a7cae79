"""Triage: what Hilltrack could not place waits for a person, who accepts its guess in one
click, finds the letter by the official's name (and can have the sender remembered), or says
it is not outreach. Replies show where people look: the home page, the official, the campaign."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests import mail_shapes as shapes
from tests.conftest import post_form
from tests.letters import Replied, stranger_writes
from tracker.jobs.mail import ingest
from tracker.models import (
    AuditEvent,
    InboundAttachment,
    InboundMessage,
    InboundState,
    Interaction,
    InteractionKind,
    KnownSender,
    Letter,
    LetterState,
    ReplyClass,
    User,
    UserRole,
)


def test_volunteers_see_how_many_messages_wait_and_read_them_with_a_guess(
    app: Flask, client: FlaskClient, db: Session, sent: Any, signed_in: Callable[[UserRole], User]
) -> None:
    _, letters = sent
    joly = letters["Mélanie Joly"]
    stranger_writes(app)
    near = f"replies+{joly.id}-{'1' * 20}@coalition.example"
    stranger_writes(app, "other@office.example", near)
    signed_in(UserRole.VOLUNTEER)
    home = client.get("/").get_data(as_text=True)
    assert "2 messages</strong> wait for triage" in home
    page = client.get("/mail/triage").get_data(as_text=True)
    assert "aide@office.example" in page and "The Minister would be pleased to meet" in page
    assert "Best guess: <strong>Mélanie Joly</strong>" in page
    assert "Log it as:" in page and ">a meeting request</button>" in page


def test_accepting_the_guess_logs_the_reply_by_the_volunteer_in_one_click(
    app: Flask, client: FlaskClient, db: Session, sent: Any, signed_in: Callable[[UserRole], User]
) -> None:
    _, letters = sent
    joly = letters["Mélanie Joly"]
    message_id = stranger_writes(
        app, "other@office.example", f"replies+{joly.id}-{'1' * 20}@coalition.example"
    )
    volunteer = signed_in(UserRole.VOLUNTEER)
    response = post_form(
        client,
        f"/mail/{message_id}/place",
        {"recipient_id": joly.recipient_id},
        token_page="/mail/triage",
    )
    assert response.status_code == 302
    db.expire_all()
    message = db.get(InboundMessage, message_id)
    assert message is not None and message.state is InboundState.PLACED
    assert message.placed_by == "person" and message.handled_by_id == volunteer.id
    reply = db.get(Interaction, message.interaction_id)
    assert reply is not None and reply.kind is InteractionKind.REPLY_RECEIVED
    assert reply.recorded_by_id == volunteer.id
    actions = db.scalars(select(AuditEvent.action)).all()
    assert "inbound.placed" in actions
    assert "0 messages" not in client.get("/").get_data(as_text=True)
    assert "wait for triage" not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("placed_as", "kind", "reply_class"),
    [
        ("meeting_request", InteractionKind.MEETING_REQUESTED, None),
        ("acknowledgement", InteractionKind.REPLY_RECEIVED, ReplyClass.ACKNOWLEDGEMENT),
        ("reply", InteractionKind.REPLY_RECEIVED, None),
    ],
)
def test_placing_a_message_logs_what_the_volunteer_says_it_is(
    app: Flask,
    client: FlaskClient,
    db: Session,
    sent: Any,
    signed_in: Callable[[UserRole], User],
    placed_as: str,
    kind: InteractionKind,
    reply_class: ReplyClass | None,
) -> None:
    _, letters = sent
    joly = letters["Mélanie Joly"]
    message_id = stranger_writes(app)
    signed_in(UserRole.VOLUNTEER)
    post_form(
        client,
        f"/mail/{message_id}/place",
        {"recipient_id": joly.recipient_id, "placed_as": placed_as},
        token_page="/mail/triage",
    )
    db.expire_all()
    message = db.get(InboundMessage, message_id)
    assert message is not None and message.state is InboundState.PLACED
    logged = db.get(Interaction, message.interaction_id)
    assert logged is not None and (logged.kind, logged.reply_class) == (kind, reply_class)


def test_placing_by_name_can_remember_the_sender_so_the_next_one_comes_with_that_guess(
    app: Flask, client: FlaskClient, db: Session, sent: Any, signed_in: Callable[[UserRole], User]
) -> None:
    _, letters = sent
    joly = letters["Mélanie Joly"]
    first = stranger_writes(app, "chief.of.staff@office.example")
    signed_in(UserRole.VOLUNTEER)
    page = client.get(f"/mail/{first}?q=joly").get_data(as_text=True)
    assert ">a reply</button>" in page and "writes for Mélanie Joly" in page
    post_form(
        client,
        f"/mail/{first}/place",
        {"recipient_id": joly.recipient_id, "remember": "1"},
        token_page="/mail/triage",
    )
    known = db.scalars(select(KnownSender)).one()
    assert known.address == "chief.of.staff@office.example"
    assert known.official_id == joly.recipient.official_id

    second = ingest(
        app,
        shapes.outlook_reply_en(
            "chief.of.staff@office.example", "letters@coalition.example", None, mid="<z@o.example>"
        ),
        source="t",
    )
    assert second.state is InboundState.TRIAGE  # a From: is forgeable: a guess, one click away
    assert db.get(InboundMessage, second.id).guess_recipient_id == joly.recipient_id  # type: ignore[union-attr]


def test_not_outreach_takes_a_message_out_of_triage_and_logs_nothing(
    app: Flask, client: FlaskClient, db: Session, sent: Any, signed_in: Callable[[UserRole], User]
) -> None:
    message_id = stranger_writes(app)
    signed_in(UserRole.VOLUNTEER)
    post_form(client, f"/mail/{message_id}/not-outreach", {}, token_page="/mail/triage")
    db.expire_all()
    assert db.get(InboundMessage, message_id).state is InboundState.NOT_OUTREACH  # type: ignore[union-attr]
    assert (
        db.scalars(select(Interaction).where(Interaction.kind != InteractionKind.SENT)).all() == []
    )
    again = post_form(client, f"/mail/{message_id}/not-outreach", {}, token_page="/mail/triage")
    assert again.status_code == 302  # already dealt with: said so, nothing changes


def test_a_placed_reply_shows_on_the_official_and_the_campaign_with_its_text_one_click_away(
    client: FlaskClient, joly_replied: Replied, signed_in: Callable[[UserRole], User]
) -> None:
    letter, joly, received = joly_replied.letter, joly_replied.joly, joly_replied.received
    signed_in(UserRole.VOLUNTEER)
    official = client.get(f"/officials/{joly.recipient.official_id}").get_data(as_text=True)
    assert "logged from the e-mail that came back" in official
    assert f'/mail/{received.id}"' in official
    campaign = client.get(f"/campaigns/{letter.campaign.id}").get_data(as_text=True)
    assert f'<a href="/mail/{received.id}">Their mail</a>' in campaign
    message = client.get(f"/mail/{received.id}").get_data(as_text=True)
    assert "Merci de votre lettre." in message and "Logged on" in message
    signed_in(UserRole.COORDINATOR)
    dashboard = client.get("/reports/").get_data(as_text=True)
    assert "<strong>1</strong> reply and acknowledgement arrived by mail" in dashboard


def test_attachments_download_as_their_real_type_and_the_raw_message_is_for_coordinators(
    app: Flask, client: FlaskClient, db: Session, sent: Any, signed_in: Callable[[UserRole], User]
) -> None:
    _, letters = sent
    joly = letters["Mélanie Joly"]
    received = ingest(
        app,
        shapes.with_attachment(
            "o@parl.example", f"replies+{joly.token}@coalition.example", None, 50
        ),
        source="t",
    )
    signed_in(UserRole.VOLUNTEER)
    page = client.get(f"/mail/{received.id}").get_data(as_text=True)
    assert "reply.pdf" in page
    attachment = db.scalars(select(InboundMessage)).one().attachments[0]
    response = client.get(f"/mail/attachments/{attachment.id}")
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    response.close()
    assert client.get(f"/mail/{received.id}/raw").status_code == 403


def test_accepting_the_guess_for_a_delivery_report_without_a_token_marks_the_letter_bounced(
    app: Flask, client: FlaskClient, db: Session, sent: Any, signed_in: Callable[[UserRole], User]
) -> None:
    _, letters = sent
    trudeau = letters["Justin Trudeau"]
    report = ingest(app, shapes.forged_bounce(trudeau.to_address), source="t")
    signed_in(UserRole.VOLUNTEER)
    page = client.get("/mail/triage").get_data(as_text=True)
    assert "Best guess: <strong>Justin Trudeau</strong>" in page
    post_form(
        client,
        f"/mail/{report.id}/place",
        {"recipient_id": trudeau.recipient_id},
        token_page="/mail/triage",
    )
    db.expire_all()
    assert db.get(Letter, trudeau.id).state is LetterState.BOUNCED  # type: ignore[union-attr]
    bounced = db.scalars(
        select(Interaction).where(
            Interaction.recipient_id == trudeau.recipient_id,
            Interaction.kind == InteractionKind.BOUNCED,
        )
    ).one()
    assert "5.1.1" in (bounced.summary or "")


@pytest.mark.parametrize("stored_before", [False, True], ids=["as-sent", "stored-before-cleaning"])
def test_an_attachment_named_with_a_line_break_downloads_under_a_clean_name(
    app: Flask,
    client: FlaskClient,
    db: Session,
    sent: Any,
    signed_in: Callable[[UserRole], User],
    stored_before: bool,
) -> None:
    _, letters = sent
    joly = letters["Mélanie Joly"]
    name = "utf-8''reply%0D%0AX-Injected%3A%20yes.pdf"
    to = f"replies+{joly.token}@coalition.example"
    ingest(app, shapes.attachment_named("o@parl.example", to, name, "<n@x>"), source="t")
    attachment = db.scalars(select(InboundAttachment)).one()
    if stored_before:  # a name kept as it came, before names were cleaned
        attachment.filename = "reply\r\nX-Injected: yes.pdf"
        db.commit()
    signed_in(UserRole.VOLUNTEER)
    response = client.get(f"/mail/attachments/{attachment.id}")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert "X-Injected" not in response.headers
    assert "reply X-Injected: yes.pdf" in disposition
    response.close()


def test_each_message_in_triage_offers_the_buttons_of_its_own_kind(
    app: Flask, client: FlaskClient, sent: Any, signed_in: Callable[[UserRole], User]
) -> None:
    """The buttons that place a message are built once per kind of message for the list
    (tracker/web/templating.placed_as_buttons): a reply is offered as a reply, a meeting
    request or an acknowledgement, a delivery report only as a bounce, in either order."""
    _, letters = sent
    joly, trudeau = letters["Mélanie Joly"], letters["Justin Trudeau"]
    reply = stranger_writes(
        app, "other@office.example", f"replies+{joly.id}-{'1' * 20}@coalition.example"
    )
    report = ingest(app, shapes.forged_bounce(trudeau.to_address), source="t").id
    later = stranger_writes(
        app, "third@office.example", f"replies+{joly.id}-{'1' * 20}@coalition.example"
    )
    for language, log_as, button in (
        ("en", '">Log it as:', "Yes, log it there"),
        ("fr", '">La consigner comme', "Oui, le consigner là"),
    ):
        signed_in(UserRole.VOLUNTEER)
        page = client.get("/mail/triage", headers={"Accept-Language": language})
        items = {
            int(found): body
            for found, body in re.findall(
                r'<li class="triage-item" data-message="(\d+)">(.*?)</li>',
                page.get_data(as_text=True),
                re.S,
            )
        }
        for replied in (reply, later):
            assert log_as in items[replied] and button not in items[replied]
            assert items[replied].count('name="placed_as"') == 3
        assert log_as not in items[report] and f'class="small">{button}</button>' in items[report]
        assert 'name="placed_as"' not in items[report]
