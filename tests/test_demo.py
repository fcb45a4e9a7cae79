"""`hilltrack demo`: the September 2023 letter as a campaign, with its officials resolved."""

from __future__ import annotations

import csv

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.test_address import LETTER
from tracker.models import Campaign, Official, RoleKind, User, UserRole


def test_demo_loads_the_letter_once_with_signatories_recipients_and_accounts(
    app: Flask, db: Session
) -> None:
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "with 23 signatories and 15 recipients" in result.output
    assert "added Louise Corbin, whom the feeds do not cover" in result.output
    assert result.output.count("one-time password: ") == 2

    campaign = db.scalars(select(Campaign)).one()
    assert campaign.letter_on.isoformat() == "2023-09-07"  # type: ignore[union-attr]
    names = [s.name for s in campaign.signatories]
    assert len(names) == 23
    assert names[0] == "Hayren Partners for Humanity"
    assert names[-1] == "UHRP - Uyghur Human Rights Project"
    assert [s.name for s in campaign.signatories if s.is_lead] == ["Hayren Partners for Humanity"]

    with LETTER.open(encoding="utf-8") as handle:
        letter = list(csv.DictReader(handle))
    recipients = sorted(campaign.recipients, key=lambda r: r.position)
    assert [r.addressed_as for r in recipients] == [row["addressed_as"] for row in letter]
    assert recipients[0].salutation == "Dear Prime Minister"
    by_family = {r.official.family_name: r for r in recipients}
    assert by_family["Oliphant"].official.ourcommons_id == 58858  # "Rob" is Robert Oliphant
    assert by_family["Rae"].official.ourcommons_id == 14188  # the former MP Bob Rae
    assert by_family["Rae"].role is not None
    assert by_family["Rae"].role.kind is RoleKind.DIPLOMAT
    assert by_family["Sidhu"].official.given_name == "Maninder"
    assert by_family["Corbin"].role.organisation.name == "Global Affairs Canada"  # type: ignore[union-attr]
    assert by_family["Joly"].role_title == "Minister of Foreign Affairs"  # as of the letter

    roles = {u.role for u in db.scalars(select(User))}
    assert roles == {UserRole.COORDINATOR, UserRole.VOLUNTEER}

    again = app.test_cli_runner().invoke(args=["demo"])
    assert "already loaded" in again.output
    assert "one-time password" not in again.output
    assert db.scalar(select(func.count()).select_from(Campaign)) == 1
    assert (
        db.scalar(
            select(func.count()).select_from(Official).where(Official.family_name == "Corbin")
        )
        == 1
    )
