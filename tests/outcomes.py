"""The demo campaign with one more recipient whose real House record is recorded: Ziad
Aboultaif (PersonId 89156, a member of the Foreign Affairs committee), whose search answers
are in fixtures/feeds/hansard/. The demo's own recipients have no recorded answers."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from flask import Flask
from sqlalchemy.orm import Session

from tests.feeds import HANSARD
from tracker.models import Campaign, Official, Recipient, Role, RoleKind
from tracker.operations.demo import load_demo

LETTER_ON = dt.date(2023, 9, 7)
ABOULTAIF = 89156


def demo_with_aboultaif(app: Flask, db: Session) -> tuple[Campaign, Recipient]:
    """The demo campaign (letter of 2023-09-07), Aboultaif among its recipients."""
    with app.app_context():
        campaign = load_demo(db).campaign
    official = Official(
        given_name="Ziad",
        family_name="Aboultaif",
        name_key="ziad aboultaif",
        ourcommons_id=ABOULTAIF,
        party="Conservative",
    )
    db.add(official)
    db.flush()
    db.add(
        Role(
            official_id=official.id,
            kind=RoleKind.MP,
            title="Member of Parliament for Edmonton Manning",
            start_on=dt.date(2021, 9, 20),
            source="manual",
        )
    )
    recipient = aboultaif_recipient(campaign.id, official.id)
    db.add(recipient)
    db.commit()
    return campaign, recipient


def aboultaif_recipient(campaign_id: int, official_id: int) -> Recipient:
    """Aboultaif added to the demo letter's recipients, as a member of its committee."""
    return Recipient(
        campaign_id=campaign_id,
        official_id=official_id,
        position=16,
        role_title="Member of the Standing Committee on Foreign Affairs",
        addressed_as="Ziad Aboultaif, Member of Parliament",
        salutation="Dear Mr. Aboultaif",
    )


def hansard_folder(target: Path) -> Path:
    """A --from-dir folder with Aboultaif's two recorded answers."""
    target.mkdir(parents=True, exist_ok=True)
    for name in (f"{ABOULTAIF}-37.xml", f"{ABOULTAIF}-40017.xml"):
        shutil.copy(HANSARD / name, target / name)
    return target
