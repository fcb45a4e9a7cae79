"""An out-of-office notice logged as a reply reads as an acknowledgement on every page that
lists entries of the log (the dashboard's recent activity, the campaign's latest entries, the
official's history): one function, tracker/web/templating.py `what_happened`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tracker.models import (
    Campaign,
    CampaignStatus,
    Channel,
    InteractionKind,
    Official,
    Recipient,
    ReplyClass,
    User,
    UserRole,
)
from tracker.operations.interactions import record_interaction

ON = dt.date(2026, 11, 2)


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "Reply received · acknowledgement"), ("fr", "Réponse reçue · accusé de réception")],
)
def test_an_acknowledgement_reads_as_one_on_every_list_of_entries(
    client: FlaskClient,
    db: Session,
    signed_in: Callable[[UserRole], User],
    language: str,
    words: str,
) -> None:
    user = signed_in(UserRole.COORDINATOR)
    campaign = Campaign(title="A letter", status=CampaignStatus.ACTIVE, letter_on=ON)
    official = Official(given_name="Ana", family_name="Example", name_key="ana example")
    db.add_all([campaign, official])
    db.flush()
    recipient = Recipient(
        campaign_id=campaign.id,
        official_id=official.id,
        position=1,
        addressed_as="x",
        salutation="y",
    )
    db.add(recipient)
    db.flush()
    sent = {"kind": InteractionKind.SENT, "occurred_on": ON, "channel": Channel.EMAIL}
    record_interaction(db, recipient, sent, actor=user, today=ON)
    ack = {
        "kind": InteractionKind.REPLY_RECEIVED,
        "occurred_on": ON,
        "reply_class": ReplyClass.ACKNOWLEDGEMENT,
    }
    record_interaction(db, recipient, ack, actor=user, today=ON)
    db.commit()
    headers = {"Accept-Language": language}
    for page in (
        "/reports/?fresh=1",
        f"/campaigns/{campaign.id}",
        f"/officials/{official.id}",
    ):
        html = client.get(page, headers=headers).get_data(as_text=True)
        assert words in html, page
