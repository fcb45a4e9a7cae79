"""The demo letter sent by e-mail, with one reply, two out-of-office notices and one bounce
coming back: every page and export says 1 replied, 2 acknowledged, 1 bounced; the reply waits
in "To classify" on the home and campaign pages, and one click there moves the figures."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from email import message_from_bytes
from email.policy import default
from email.utils import format_datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests import mail_shapes as shapes
from tests.conftest import csrf_token_from
from tests.letters import LetterCampaign, address_of, reply_to, sent_letters
from tracker.clock import utcnow
from tracker.jobs.mail import ingest
from tracker.models import InboundState, Interaction, Letter, ReplyClass, User, UserRole


def _today(raw: bytes) -> bytes:
    """The message as if it came back today, after the letter went out."""
    message = message_from_bytes(raw, policy=default)
    del message["Date"]
    message["Date"] = format_datetime(utcnow())
    return bytes(message)


def _subject_only(raw: bytes) -> bytes:
    """The French notice without the header that marks it: known by its subject alone."""
    message = message_from_bytes(raw, policy=default)
    del message["X-Auto-Response-Suppress"]
    return bytes(message)


@pytest.fixture
def came_back(app: Flask, db: Session, make_user: Any) -> tuple[LetterCampaign, dict[str, Letter]]:
    """The demo letter sent by e-mail; a reply, two out-of-office notices and a bounce back,
    each carrying its letter's token (reply address or bounce address)."""
    campaign, letters = sent_letters(app, db, make_user(UserRole.COORDINATOR))
    by_name = {x.recipient.official.full_name: x for x in letters}
    joly, trudeau, genuis, bergeron = (
        by_name[name]
        for name in ("Mélanie Joly", "Justin Trudeau", "Garnett Genuis", "Stéphane Bergeron")
    )

    for raw in (
        shapes.gmail_reply_en(f"Office <{address_of(joly.recipient)}>", reply_to(joly), None),
        shapes.out_of_office(address_of(genuis.recipient), reply_to(genuis)),
        _subject_only(
            shapes.out_of_office(address_of(bergeron.recipient), reply_to(bergeron), french=True)
        ),
        shapes.postfix_bounce(
            f"bounces+{trudeau.token}@coalition.example",
            trudeau.to_address,
            trudeau.message_id or "",
        ),
    ):
        assert ingest(app, _today(raw), source="test").state is InboundState.PLACED
    return campaign, by_name


CHART = re.compile(r"Replied (\d+) of \d+; Acknowledged only (\d+) of \d+; Bounced (\d+) of \d+")


def _csv(client: FlaskClient, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    text = response.get_data(as_text=True)
    response.close()
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def _figures(client: FlaskClient, campaign_id: int) -> dict[str, Any]:
    dashboard = client.get("/reports/").get_data(as_text=True)
    responsiveness = client.get("/reports/responsiveness?by=campaign").get_data(as_text=True)
    page = client.get(f"/campaigns/{campaign_id}").get_data(as_text=True)
    statuses = [
        r["status"] for r in _csv(client, f"/exports/campaign-status.csv?campaign={campaign_id}")
    ]
    log = _csv(client, f"/exports/interactions.csv?campaign={campaign_id}")
    return {
        "dashboard": [tuple(map(int, m)) for m in CHART.findall(dashboard)],
        "responsiveness": re.findall(
            r'<th scope="row">[^<]+</th><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>', responsiveness
        ),
        "page": re.findall(
            r'<option value="(replied|acknowledged|bounced)"[^>]*>[^<(]+\((\d+)\)', page
        ),
        "status export": {s: statuses.count(s) for s in ("Replied", "Acknowledged", "Bounced")},
        "log export": {
            c: sum(r["counts as"] == c for r in log) for c in ("replied", "acknowledged", "bounced")
        },
    }


def test_the_demo_letters_replies_notices_and_bounce_read_the_same_everywhere(
    client: FlaskClient, came_back: Any, signed_in: Callable[[UserRole], User]
) -> None:
    campaign, _ = came_back
    signed_in(UserRole.COORDINATOR)
    figures = _figures(client, campaign.campaign.id)
    # The totals and the one campaign's bars.
    assert figures["dashboard"] == [(1, 2, 1), (1, 2, 1)]
    # Thirteen letters arrived (one of fourteen bounced): one reply, two acknowledged only.
    assert figures["responsiveness"] == [("13", "1", "2")]
    assert figures["page"] == [("bounced", "1"), ("acknowledged", "2"), ("replied", "1")]
    assert figures["status export"] == {"Replied": 1, "Acknowledged": 2, "Bounced": 1}
    assert figures["log export"] == {"replied": 1, "acknowledged": 2, "bounced": 1}


def test_a_reply_from_mail_waits_to_be_classified_and_one_click_moves_the_figures(
    client: FlaskClient, db: Session, came_back: Any, signed_in: Callable[[UserRole], User]
) -> None:
    campaign, _ = came_back
    signed_in(UserRole.VOLUNTEER)
    home = client.get("/").get_data(as_text=True)
    assert "To classify (1)" in home and "Mélanie Joly" in home.split("To classify (1)")[1]
    page = client.get(f"/campaigns/{campaign.campaign.id}").get_data(as_text=True)
    assert "To classify (1)" in page
    (reply_id,) = re.findall(r'action="/replies/(\d+)/class"', page)
    response = client.post(
        f"/replies/{reply_id}/class",
        data={
            "csrf_token": csrf_token_from(page),
            "reply_class": "acknowledgement",
            "campaign_id": campaign.campaign.id,
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/campaigns/{campaign.campaign.id}#to-classify")
    db.expire_all()
    assert db.get(Interaction, int(reply_id)).reply_class is ReplyClass.ACKNOWLEDGEMENT  # type: ignore[union-attr]
    page = client.get(f"/campaigns/{campaign.campaign.id}").get_data(as_text=True)
    assert "To classify" not in page
    assert re.findall(r'<option value="(replied|acknowledged)"[^>]*>[^<(]+\((\d+)\)', page) == [
        ("acknowledged", "3"),
        ("replied", "0"),
    ]
    # A second click on the same reply (someone else's page) changes nothing.
    again = client.post(
        f"/replies/{reply_id}/class",
        data={"csrf_token": csrf_token_from(page), "reply_class": "substantive"},
        follow_redirects=True,
    )
    assert "already classified this reply as Acknowledgement" in again.get_data(as_text=True)
    db.expire_all()
    assert db.get(Interaction, int(reply_id)).reply_class is ReplyClass.ACKNOWLEDGEMENT  # type: ignore[union-attr]
