"""What pages show of mail that came back: every value from a message (a sender's name and
address, a subject, a file name) is text on every page that shows it, in both languages, and
names and subjects are isolated from the text around them (<bdi>), so a direction override in a
header cannot turn the rest of a line around."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import html as lxml_html
from sqlalchemy.orm import Session

from tests import mail_shapes as shapes
from tests.letters import sent_letters
from tracker.jobs.mail import ingest
from tracker.models import InboundMessage, InboundState, Official, User, UserRole

LANGUAGES = {"en": "en-CA,en;q=0.9", "fr": "fr-CA,fr;q=0.9"}


def elements_reaching_off_site(page: str) -> list[str]:
    """Every element of the page with an attribute that names the hostile sender's domain."""
    tree = lxml_html.fromstring(page)
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        for name, value in element.attrib.items():
            if "evil.example" in value or "evil.example" in name:
                found.append(f"<{element.tag} {name}={value!r}>")
    return found


def texts_of(page: str, tag: str) -> list[str]:
    return [element.text_content() for element in lxml_html.fromstring(page).iter(tag)]


@pytest.fixture
def hostile_mail(app: Flask, db: Session, make_user: Any) -> tuple[list[int], dict[str, int]]:
    """Each hostile sender's message twice: once placed on a letter by its reply address, once
    waiting in triage. Returns the messages' ids and the pages the placed ones show on."""
    letter, letters = sent_letters(app, db, make_user(UserRole.COORDINATOR))
    joly = next(x for x in letters if x.recipient.official.full_name == "Mélanie Joly")
    ids, logged = [], []
    for n, sender in enumerate(shapes.HOSTILE_SENDERS):
        placed = ingest(
            app,
            shapes.hostile_sender(sender, f"replies+{joly.token}@coalition.example", n),
            source="t",
        )
        assert placed.state is InboundState.PLACED
        logged.append(db.get(InboundMessage, placed.id).interaction_id)  # type: ignore[union-attr]
        waiting = ingest(
            app, shapes.hostile_sender(sender, "letters@coalition.example", n + 10), source="t"
        )
        assert waiting.state is InboundState.TRIAGE
        ids += [placed.id, waiting.id]
    return ids, {
        "official": joly.recipient.official_id,
        "campaign": letter.campaign.id,
        "interaction": logged[0],
    }


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_a_hostile_sender_is_shown_as_text_on_every_page_that_shows_mail(
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    hostile_mail: tuple[list[int], dict[str, int]],
    language: str,
) -> None:
    ids, on = hostile_mail
    signed_in(UserRole.COORDINATOR)
    pages = [
        *(f"/mail/{message_id}" for message_id in ids),
        "/mail/triage",
        "/mail/",
        "/mail/?show=placed",
        "/mail/?show=waiting&q=mallory",
        f"/officials/{on['official']}",
        f"/campaigns/{on['campaign']}",
        f"/log/{on['official']}",
        f"/log/done/{on['interaction']}",
        f"/log/interactions/{on['interaction']}/edit",
        "/",
    ]
    headers = {"Accept-Language": LANGUAGES[language]}
    for path in pages:
        response = client.get(path, headers=headers)
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        assert elements_reaching_off_site(page) == [], path
    message = client.get(f"/mail/{ids[0]}", headers=headers).get_data(as_text=True)
    shown = " ".join(lxml_html.fromstring(message).text_content().split())
    assert "Mallory <img/src=//evil.example/pixel.gif/@evil.example>" in shown
    listed = client.get("/mail/", headers=headers).get_data(as_text=True)
    shown = " ".join(lxml_html.fromstring(listed).text_content().split())
    assert "Mallory <img/src=//evil.example/pixel.gif/@evil.example>" in shown


def test_names_subjects_and_file_names_from_mail_are_isolated_from_the_text_around_them(
    app: Flask,
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
) -> None:
    raw = shapes.with_attachment(
        "Dana Example <dana@office.example>", "letters@coalition.example", None, 50
    )
    received = ingest(app, raw, source="t")
    signed_in(UserRole.VOLUNTEER)
    for language in sorted(LANGUAGES):
        headers = {"Accept-Language": LANGUAGES[language]}
        message = client.get(f"/mail/{received.id}", headers=headers).get_data(as_text=True)
        isolated = texts_of(message, "bdi")
        assert "Dana Example" in isolated and "dana@office.example" in isolated
        assert "RE: Open letter" in isolated and "reply.pdf" in isolated
        for listing in ("/mail/triage", "/mail/"):
            triage = client.get(listing, headers=headers).get_data(as_text=True)
            isolated = texts_of(triage, "bdi")
            assert "Dana Example" in isolated and "dana@office.example" in isolated
            assert "RE: Open letter" in isolated


def test_no_page_loads_an_image_from_another_origin(
    app: Flask, client: FlaskClient, db: Session, signed_in: Callable[[UserRole], User]
) -> None:
    official = Official(
        given_name="Dana",
        family_name="Example",
        name_key="dana example",
        photo_url="https://www.ourcommons.ca/Content/Parliamentarians/Images/dana.jpg",
    )
    db.add(official)
    db.commit()
    signed_in(UserRole.VOLUNTEER)
    response = client.get(f"/officials/{official.id}")
    directives = [d.split() for d in response.headers["Content-Security-Policy"].split(";")]
    policy = {words[0]: words[1:] for words in directives}
    assert set(policy["img-src"]) <= {"'self'", "data:"}
    assert policy["default-src"] == ["'self'"]
    page = lxml_html.fromstring(response.get_data(as_text=True))
    sources = [img.get("src", "") for img in page.iter("img")]
    assert [src for src in sources if "//" in src] == []
    (link,) = [a for a in page.iter("a") if a.get("href") == official.photo_url]
    assert "noreferrer" in link.get("rel", "")
