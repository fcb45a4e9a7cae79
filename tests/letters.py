"""The 2023 letter, ready to send: the demo campaign with e-mail addresses and a French reader."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.demo_snapshot import load_demo
from tracker.models import Campaign, InboundMessage, Letter, LetterState, Recipient
from tracker.operations.demo import DATA, LETTER

BODY = (
    "We write about the *Lachin corridor*, «\u202fune crise humanitaire\u202f» that "
    "the coalition\u2019s members have followed since 2020.\n\n"
    "- Call for the corridor to reopen\n- Fund the relief effort\n"
)
BODY_FR = (
    "Nous vous écrivons au sujet du *corridor de Latchine*, «\u202fune crise humanitaire\u202f» "
    "que les membres de l\u2019alliance suivent depuis 2020.\n\n"
    "- Demander la réouverture du corridor\n- Financer l\u2019aide d\u2019urgence\n"
)
NO_EMAIL = "Louise Corbin"  # the Global Affairs official: the feeds give no address


@dataclass
class LetterCampaign:
    campaign: Campaign
    recipients: list[Recipient]

    def by_name(self, name: str) -> Recipient:
        """The recipient with this full name, or this family name."""
        return next(
            r for r in self.recipients if name in (r.official.full_name, r.official.family_name)
        )

    @property
    def emailed(self) -> list[Recipient]:
        return [r for r in self.recipients if r.official.email]


def address_of(recipient: Recipient) -> str:
    given = recipient.official.given_name.lower().replace(" ", "")
    family = recipient.official.family_name.lower().replace(" ", "")
    return f"{given}.{family}@parl.example".encode("ascii", "ignore").decode()


def demo_title() -> str:
    return str(json.loads((DATA / f"{LETTER}.json").read_text(encoding="utf-8"))["title"])


def letter_campaign(
    app: Flask, db: Session, *, french: str | None = "Mélanie Joly"
) -> LetterCampaign:
    load_demo(app, db)
    campaign = db.scalars(select(Campaign).where(Campaign.title == demo_title())).one()
    campaign.body = BODY
    campaign.body_fr = BODY_FR
    recipients = list(campaign.recipients)
    for recipient in recipients:
        if recipient.official.full_name != NO_EMAIL:
            recipient.official.email = address_of(recipient)
        if recipient.official.full_name == french:
            recipient.language = "fr"
            recipient.addressed_as = (
                "L\u2019honorable Mélanie Joly, ministre des Affaires étrangères"
            )
            recipient.role_title = "ministre des Affaires étrangères"
            recipient.salutation = "Madame la Ministre"
            # Lines a person wrote, for her French letter.
            recipient.address_line_language = recipient.salutation_language = None
    db.commit()
    return LetterCampaign(campaign, recipients)


def mail_config(port: int, **overrides: Any) -> dict[str, Any]:
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_SECURITY": "none",
        "MAIL_FROM": "Coalition for Rights <letters@coalition.example>",
        "MAIL_REPLY_TO": "replies@coalition.example",
        "MAIL_BOUNCES_TO": "bounces@coalition.example",
        "MAIL_PER_MINUTE": 60_000,  # pacing has its own test, on a fake clock
        "MAIL_TIMEOUT": 5,
        **overrides,
    }


SECRET = "test-secret-key-not-for-production"  # the tests' SECRET_KEY (tests/conftest.py)


def sent_letters(app: Flask, db: Session, actor: Any) -> tuple[LetterCampaign, list[Letter]]:
    """The letter campaign with its 14 e-mails sent and logged (as the worker would)."""
    from tracker.clock import utcnow
    from tracker.operations.letters import mark_sent, queue_letters

    letter = letter_campaign(app, db)
    letters = queue_letters(
        db, letter.campaign, actor=actor, secret=SECRET, domain="coalition.example"
    )
    for item in letters:
        item.state = LetterState.SENDING
        mark_sent(db, item.id, utcnow(), tz="America/Toronto")
    db.commit()
    return letter, letters


def by_official(letters: list[Letter]) -> dict[str, Letter]:
    """The letters by their official's full name."""
    return {x.recipient.official.full_name: x for x in letters}


def reply_to(letter: Letter) -> str:
    """The letter's own reply address: a reply sent there is placed by its token."""
    return f"replies+{letter.token}@coalition.example"


def reply_arrives(app: Flask, letter: Letter) -> InboundMessage:
    """A French reply from the official's office to the letter's reply address, taken in."""
    from tests import mail_shapes as shapes
    from tracker.jobs.mail import ingest

    return ingest(app, shapes.gmail_reply_fr("o@parl.example", reply_to(letter), None), source="t")


@dataclass
class Replied:
    """The letters sent, and Mélanie Joly's office's reply to hers, placed by its token."""

    letter: LetterCampaign
    joly: Letter
    received: InboundMessage


def stranger_writes(
    app: Flask,
    sender: str = "aide@office.example",
    to: str = "letters@coalition.example",
    n: int = 0,
) -> int:
    """A reply with no token from someone Hilltrack does not know (it waits for triage); ``n``
    tells apart several from one sender."""
    from tests import mail_shapes as shapes
    from tracker.jobs.mail import ingest

    raw = shapes.gmail_reply_en(f"An Aide <{sender}>", to, None, mid=f"<{sender}.{n}.{len(to)}@t>")
    return ingest(app, raw, source="t").id


TICKS = re.compile(r'<input[^>]*name="confirm"[^>]*value="([^"]+)"')


def send_ticked(client: FlaskClient, campaign_id: int, **kw: Any) -> Any:
    """Send the campaign's letters as a coordinator does: the confirmation, every warning ticked."""
    from tests.conftest import csrf_token_from

    page = f"/campaigns/{campaign_id}/letters/send"
    html = client.get(page, headers=kw.get("headers")).get_data(as_text=True)
    data = {"confirm": TICKS.findall(html), "csrf_token": csrf_token_from(html)}
    return client.post(page, data=data, **kw)
