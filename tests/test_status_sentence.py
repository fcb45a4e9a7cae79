"""A letter's status and the day it went out read as one phrase, in both languages, and the
same wherever they show together: an official's letters and the letters a message could be
placed on (tracker/web/templating.py, status_and_sent)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import html as lxml_html
from sqlalchemy.orm import Session

from tests import mail_shapes as shapes
from tests.letters import address_of, reply_arrives, sent_letters
from tracker.jobs.mail import ingest
from tracker.models import User, UserRole
from tracker.web.templating import long_date

LANGUAGES = {"en": "en-CA,en;q=0.9", "fr": "fr-CA,fr;q=0.9"}
EXPECTED = {
    "en": "Replied · letter sent on {date}",
    "fr": "Réponse reçue · lettre envoyée le {date}",
}


def phrases(page: str, xpath: str) -> list[str]:
    return [" ".join(x.text_content().split()) for x in lxml_html.fromstring(page).xpath(xpath)]


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_an_officials_replied_letter_reads_replied_letter_sent_on_its_date(
    app: Flask,
    client: FlaskClient,
    db: Session,
    make_user: Any,
    signed_in: Callable[[UserRole], User],
    language: str,
) -> None:
    _, letters = sent_letters(app, db, make_user(UserRole.COORDINATOR))
    joly = next(x for x in letters if x.recipient.official.full_name == "Mélanie Joly")
    reply_arrives(app, joly)
    # A second message from her address, with no token: it waits, with her letter offered.
    waiting = ingest(
        app,
        shapes.gmail_reply_en(address_of(joly.recipient), "l@c.example", None, mid="<w@t>"),
        source="t",
    )
    signed_in(UserRole.VOLUNTEER)
    headers = {"Accept-Language": LANGUAGES[language]}
    db.refresh(joly.recipient)
    sent_on = joly.recipient.sent_on
    assert sent_on is not None
    with app.test_request_context(headers=headers):
        expected = EXPECTED[language].format(date=long_date(sent_on))
    official = client.get(f"/officials/{joly.recipient.official_id}", headers=headers)
    on_official = phrases(official.get_data(as_text=True), "//ul[contains(@class,'letters')]/li")
    assert any(expected in line for line in on_official), on_official
    assert not any("sent " + str(sent_on.year) in line for line in on_official)
    message = client.get(f"/mail/{waiting.id}", headers=headers).get_data(as_text=True)
    on_message = phrases(message, "//ul[contains(@class,'candidates')]/li")
    assert any(expected in line for line in on_message), on_message


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_a_progress_bar_shows_each_status_with_a_count_as_a_bar_and_a_badge(
    app: Flask, language: str
) -> None:
    from tracker.rules.status import RecipientStatus
    from tracker.web.templating import badge, progress_bar

    counts = {RecipientStatus.SENT: 1, RecipientStatus.REPLIED: 0, RecipientStatus.MEETING: 3}
    with app.test_request_context(headers={"Accept-Language": LANGUAGES[language]}):
        bar = str(progress_bar(counts, 4))
        sent, held = RecipientStatus.SENT, RecipientStatus.MEETING
        label = f"1 {sent.label.lower()}, 3 {held.label.lower()}"
        assert f'aria-label="{label}"' in bar
        assert '<rect class="fill-sent" x="0.000" y="0" width="25.000" height="4"/>' in bar
        assert 'x="25.000" y="0" width="75.000"' in bar and "replied" not in bar
        assert f"<span>{badge(sent)} 1</span> <span>{badge(held)} 3</span> " in bar
        assert str(progress_bar(counts, 0)).strip() == ""
