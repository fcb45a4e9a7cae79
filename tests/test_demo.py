"""`hilltrack demo`: the September 2023 letter as a campaign, with its officials resolved."""

from __future__ import annotations

import csv
import datetime as dt

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.test_address import LETTER
from tracker import clock
from tracker.models import Campaign, Official, Organisation, RoleKind, User, UserRole

TODAY = clock.today()


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
    english = [(r, row) for r, row in zip(recipients, letter, strict=True) if r.language == "en"]
    assert [r.addressed_as for r, _row in english] == [row["addressed_as"] for _r, row in english]
    assert [r.official.family_name for r in recipients if r.language == "fr"] == ["Bergeron"]
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


def test_the_demo_gives_the_letters_recipients_the_roles_it_names_so_add_by_role_works(
    app: Flask, db: Session
) -> None:
    from tracker.operations.campaigns import RoleSelection, officials_by_role
    from tracker.operations.imports import ImportOptions, bundled_snapshot, run_officials_import
    from tracker.web.db import state

    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    letter_day = dt.date(2023, 9, 7)
    faae = db.scalars(select(Organisation).where(Organisation.acronym == "FAAE")).one()
    leads = officials_by_role(db, RoleSelection("committee_leads", str(faae.id)), letter_day)
    assert [(o.family_name, r.kind.value) for o, r in leads] == [
        ("Ehsassi", "committee_chair"),
        ("Bergeron", "committee_vice_chair"),
        ("Genuis", "committee_vice_chair"),
    ]
    assert {r.source for _, r in leads} == {"letter of 2023-09-07"}
    assert {(r.start_on, r.end_on) for _, r in leads} == {(letter_day, letter_day)}
    just = db.scalars(select(Organisation).where(Organisation.acronym == "JUST")).one()
    assert [
        o.family_name
        for o, _ in officials_by_role(
            db, RoleSelection("committee_leads", str(just.id)), letter_day
        )
    ] == ["Sarai"]
    secretaries = officials_by_role(db, RoleSelection("parliamentary_secretaries"), letter_day)
    assert sorted(o.family_name for o, _ in secretaries) == [
        "Oliphant",
        "Sidhu",
        "Vandenbeld",
        "Virani",
    ]
    to_joly = RoleSelection("parliamentary_secretaries", "Minister of Foreign Affairs")
    assert sorted(o.family_name for o, _ in officials_by_role(db, to_joly, letter_day)) == [
        "Oliphant",
        "Sidhu",
    ]
    # Today, nobody holds these from the letter: they were held on its date.
    assert officials_by_role(db, RoleSelection("committee_leads", str(faae.id)), TODAY) == []
    # An import of the feeds leaves roles taken from the letter alone.
    folder, as_of = bundled_snapshot()
    run_officials_import(state(app).sessions, ImportOptions(from_dir=folder, as_of=as_of))
    db.expire_all()
    again = officials_by_role(db, RoleSelection("committee_leads", str(faae.id)), letter_day)
    assert len(again) == 3
