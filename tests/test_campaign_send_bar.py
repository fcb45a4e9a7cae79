"""The campaign page's send bar and its folding sections, as the server writes them (the
browser test tests/browser/test_phone_campaign_journey.py tries them at 390 px)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from lxml import html as lxml_html
from sqlalchemy.orm import Session

from tests.letters import letter_campaign
from tracker import clock
from tracker.models import Campaign, User, UserRole


def test_the_send_bar_is_dated_today_whatever_the_letters_date(
    app: Flask, client: FlaskClient, db: Session, signed_in: Callable[[UserRole], User]
) -> None:
    letter = letter_campaign(app, db)
    assert letter.campaign.letter_on != clock.today()
    signed_in(UserRole.VOLUNTEER)
    page = lxml_html.fromstring(
        client.get(f"/campaigns/{letter.campaign.id}").get_data(as_text=True)
    )
    bar = page.xpath("//*[@data-send-bar]")[0]
    assert bar.xpath(".//input[@type='date']/@value") == [clock.today().isoformat()]
    assert not page.xpath("//script[not(@src)]")  # the bar's behaviour is in app.js (CSP)


def test_a_coordinators_secondary_sections_fold_once_the_campaign_has_what_they_add(
    app: Flask,
    client: FlaskClient,
    db: Session,
    signed_in: Callable[[UserRole], User],
) -> None:
    letter = letter_campaign(app, db)
    empty = Campaign(title="A letter with nobody yet")
    db.add(empty)
    db.commit()
    signed_in(UserRole.COORDINATOR)

    def folding(campaign_id: int) -> list[str]:
        page = client.get(f"/campaigns/{campaign_id}").get_data(as_text=True)
        tree = lxml_html.fromstring(page)
        return [
            " ".join(d.xpath("./summary")[0].text_content().split())
            for d in tree.xpath("//details[@data-fold]")
        ]

    assert folding(letter.campaign.id) == [
        "Add recipients",
        "Plan a follow-up",
        f"Signatories ({len(letter.campaign.signatories)})",
    ]
    assert folding(empty.id) == []  # a new letter shows what adds its recipients and signatories


def test_the_recipients_sort_by_family_name_as_the_directory_does(
    app: Flask, client: FlaskClient, db: Session, signed_in: Callable[[UserRole], User]
) -> None:
    # The rows are plain values (queries.campaigns.RecipientLine): the "Name" sort reads the
    # official's sort key among them (it once was missing, and the sorted page failed).
    letter = letter_campaign(app, db)
    signed_in(UserRole.VOLUNTEER)
    response = client.get(f"/campaigns/{letter.campaign.id}?sort=name")
    assert response.status_code == 200
    page = lxml_html.fromstring(response.get_data(as_text=True))
    shown = [" ".join(a.text_content().split()) for a in page.xpath("//td[@class='who']/a")]
    by_key = sorted(letter.recipients, key=lambda r: r.official.sort_key)
    assert shown == [r.official.full_name for r in by_key]
