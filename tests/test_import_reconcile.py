"""Importing officials: counts, idempotency, shuffles, elections, name collisions, hand edits."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.feeds import MEMBERS_2023, SNAPSHOT_2026, feed_folder
from tests.importing import AS_OF, dump, run_import, writes_to_data
from tracker.models import (
    AddressForm,
    AddressFormSource,
    Campaign,
    ImportReview,
    ImportStatus,
    Interaction,
    InteractionKind,
    Official,
    Organisation,
    Recipient,
    ReviewKind,
    Role,
    RoleKind,
)
from tracker.operations.recipient_facts import refresh_all_facts


def current_roles(db: Session, *kinds: RoleKind) -> list[Role]:
    return list(db.scalars(select(Role).where(Role.kind.in_(kinds), Role.end_on.is_(None))))


def official(db: Session, person_id: int) -> Official:
    return db.scalars(select(Official).where(Official.ourcommons_id == person_id)).one()


def test_first_import_creates_every_person_and_role(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    run = run_import(app, feed_folder(tmp_path / "feeds"))
    assert run.status is ImportStatus.SUCCEEDED, run.error
    assert db.scalar(select(func.count()).select_from(Official)) == 1231
    assert len(current_roles(db, RoleKind.MP)) == 342
    ministerial = (RoleKind.PRIME_MINISTER, RoleKind.MINISTER, RoleKind.SECRETARY_OF_STATE)
    assert len(current_roles(db, *ministerial)) == 38
    assert run.counts["members"]["officials_inserted"] == 1231
    carney = official(db, 28286)
    assert {r.kind for r in carney.roles if r.is_current} == {
        RoleKind.MP,
        RoleKind.PRIME_MINISTER,
        RoleKind.HOUSE_OFFICER,
    }
    assert carney.honorific == "Right Hon."


def test_importing_the_same_files_twice_changes_nothing(
    app: Flask, db: Session, connection: sa.Connection, tmp_path: Path
) -> None:
    folder = feed_folder(tmp_path / "feeds", with_constructed=True)
    run_import(app, folder)
    before = dump(db)
    with writes_to_data(connection) as writes:
        second = run_import(app, folder)
    assert second.status is ImportStatus.SUCCEEDED
    assert writes == []
    assert dump(db) == before
    assert second.changes == []
    for source, counts in second.counts.items():
        assert not {k for k in counts if k.endswith(("inserted", "updated", "ended"))}, source


def test_a_portfolio_change_ends_the_old_role_and_keeps_the_person_and_outreach(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    first = feed_folder(tmp_path / "december")
    run_import(app, first)
    anand = official(db, 96081)
    campaign = Campaign(title="Letter")
    db.add(campaign)
    db.flush()
    recipient = Recipient(
        campaign_id=campaign.id,
        official_id=anand.id,
        addressed_as="The Honourable Anita Anand",
        salutation="Dear Minister",
    )
    db.add(recipient)
    db.flush()
    db.add(
        Interaction(
            official_id=anand.id,
            recipient_id=recipient.id,
            kind=InteractionKind.SENT,
            occurred_on=dt.date(2026, 1, 5),
        )
    )
    refresh_all_facts(db)
    db.commit()
    outreach_before = {
        k: v
        for k, v in dump(db).items()
        if k in {"campaign", "recipient", "interaction", "follow_up"}
    }

    later = feed_folder(tmp_path / "march")
    ministries = (SNAPSHOT_2026 / "ministries.xml").read_text()
    shuffled = ministries.replace(
        "<Title>Minister of Foreign Affairs</Title><FromDateTime>2025-05-13T10:45:00",
        "<Title>Minister of National Defence</Title><FromDateTime>2026-03-02T11:00:00",
    )
    assert shuffled != ministries
    (later / "ministries.xml").write_text(shuffled)
    run = run_import(app, later, as_of=dt.datetime(2026, 3, 3, tzinfo=dt.UTC))

    assert run.status is ImportStatus.SUCCEEDED, run.error
    db.expire_all()
    roles = {r.title: r for r in official(db, 96081).roles if r.kind is RoleKind.MINISTER}
    assert roles["Minister of Foreign Affairs"].end_on == dt.date(2026, 3, 1)
    assert roles["Minister of National Defence"].start_on == dt.date(2026, 3, 2)
    assert roles["Minister of National Defence"].end_on is None
    assert official(db, 96081).id == anand.id
    assert run.counts["ministries"]["roles_ended"] == 1
    assert run.counts["ministries"]["roles_inserted"] == 1
    outreach_after = {k: v for k, v in dump(db).items() if k in outreach_before}
    assert outreach_after == outreach_before


def test_an_export_without_person_ids_then_one_with_them_keeps_one_official_per_person(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    old = feed_folder(tmp_path / "2023", members=MEMBERS_2023, with_positions=False)
    assert run_import(app, old, as_of=dt.datetime(2023, 10, 24, tzinfo=dt.UTC)).status is (
        ImportStatus.SUCCEEDED
    )
    assert db.scalar(select(func.count()).select_from(Official)) == 337
    run = run_import(app, feed_folder(tmp_path / "2026"))
    assert run.status is ImportStatus.SUCCEEDED, run.error
    joly = db.scalars(select(Official).where(Official.name_key == "melanie joly")).one()
    assert joly.ourcommons_id == 88384
    terms = sorted((r.start_on, r.end_on) for r in joly.roles if r.kind is RoleKind.MP)
    assert terms == [(dt.date(2021, 9, 20), dt.date(2025, 4, 27)), (dt.date(2025, 4, 28), None)]
    # Nobody from 2023 was duplicated; the one repeated name is two different MPs.
    duplicated = (
        db.execute(select(Official.name_key).group_by(Official.name_key).having(func.count() > 1))
        .scalars()
        .all()
    )
    assert duplicated == ["david anderson"]
    # Re-elected MPs in redrawn ridings were matched on full name, province and party...
    assert "Anita Anand: matched on full name, province and party (riding now Oakville East)" in (
        run.warnings
    )
    # ...while a change of party or province is held for a coordinator, not guessed.
    held = sorted(r.message.split(" (")[0] for r in db.scalars(select(ImportReview)))
    assert held == ["Chris d'Entremont", "Pierre Poilievre", "Pierre Poilievre"]


def test_people_with_the_same_surname_or_name_stay_distinct(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    run_import(app, feed_folder(tmp_path / "feeds"))
    sidhus = db.scalars(select(Official).where(Official.family_name == "Sidhu")).all()
    assert {(s.given_name, s.constituency) for s in sidhus} >= {
        ("Maninder", "Brampton East"),
        ("Sonia", "Brampton South"),
    }
    andersons = db.scalars(select(Official).where(Official.name_key == "david anderson")).all()
    assert len(andersons) == 2
    assert len({a.ourcommons_id for a in andersons}) == 2


def test_an_uncertain_match_is_held_for_review_not_guessed(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    # Someone by this name, in another province, is already known without a PersonId.
    db.add(
        Official(
            given_name="Mélanie",
            family_name="Joly",
            name_key="melanie joly",
            province="Manitoba",
            party="Green Party",
            constituency="Elsewhere",
        )
    )
    db.commit()
    run = run_import(app, feed_folder(tmp_path / "feeds"))
    assert run.status is ImportStatus.SUCCEEDED
    review = db.scalars(
        select(ImportReview).where(ImportReview.kind == ReviewKind.UNCERTAIN_MATCH)
    ).first()
    assert review is not None
    assert "Mélanie Joly" in review.message
    assert (
        db.scalar(
            select(func.count()).select_from(Official).where(Official.name_key == "melanie joly")
        )
        == 1
    )
    assert any("to review" in w for w in run.warnings)


def test_a_field_edited_by_hand_is_not_overwritten_and_the_conflict_is_listed(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    folder = feed_folder(tmp_path / "feeds", with_constructed=True)
    run_import(app, folder)
    ehsassi = official(db, 89010)
    assert ehsassi.email == "ali.ehsassi@parl.gc.ca"
    ehsassi.email = "scheduling@example.org"
    ehsassi.edited_fields = ["email"]
    db.commit()
    run_import(app, folder)
    run_import(app, folder)  # asked once, not at every run
    db.expire_all()
    assert official(db, 89010).email == "scheduling@example.org"
    conflicts = db.scalars(
        select(ImportReview).where(ImportReview.kind == ReviewKind.FIELD_CONFLICT)
    ).all()
    assert [(c.field, c.feed_value) for c in conflicts] == [("email", '"ali.ehsassi@parl.gc.ca"')]


def test_a_feed_that_would_end_too_many_roles_is_refused_unless_forced(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    run_import(app, feed_folder(tmp_path / "full"))
    before = dump(db)
    xml = (SNAPSHOT_2026 / "members.xml").read_text()
    records = re.findall(r"<MemberOfParliament>.*?</MemberOfParliament>", xml)
    sitting = [r for r in records if 'ToDateTime xsi:nil="true"' in r]
    kept = xml
    for record in sitting[: len(sitting) // 3]:
        kept = kept.replace(record, "")
    partial = feed_folder(tmp_path / "partial", members=None)
    (partial / "members.xml").write_text(kept)

    refused = run_import(app, partial)
    assert refused.status is ImportStatus.FAILED
    assert "would end 114 of 342 current roles (33%)" in (refused.error or "")
    assert "--force" in (refused.error or "")
    assert dump(db) == before

    forced = run_import(app, partial, force=True)
    assert forced.status is ImportStatus.SUCCEEDED
    assert len(current_roles(db, RoleKind.MP)) == 342 - 114


def test_represent_and_profiles_add_contacts_and_committee_roles(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    run = run_import(app, feed_folder(tmp_path / "feeds", with_constructed=True))
    assert run.status is ImportStatus.SUCCEEDED, run.error
    ehsassi = official(db, 89010)
    assert ehsassi.phone == "1 613 555-0100"
    assert ehsassi.offices[1]["type"] == "constituency"
    faae = db.scalars(select(Organisation).where(Organisation.acronym == "FAAE")).one()
    chairs = {
        (r.official.family_name, r.kind, r.end_on)
        for r in db.scalars(select(Role).where(Role.organisation_id == faae.id))
    }
    assert chairs == {
        ("Ehsassi", RoleKind.COMMITTEE_CHAIR, dt.date(2025, 3, 23)),
        ("Ehsassi", RoleKind.COMMITTEE_CHAIR, None),
        ("Genuis", RoleKind.COMMITTEE_VICE_CHAIR, None),
    }
    assert (
        db.scalars(select(Organisation.acronym).where(Organisation.name.like("%Justice%"))).one()
        == "JUST"
    )
    parl_secs = current_roles(db, RoleKind.PARLIAMENTARY_SECRETARY)
    assert {r.official.family_name for r in parl_secs} == {"Oliphant", "Vandenbeld"}
    assert any("PersonId" in w for w in run.warnings)  # the Represent record without one


def test_a_missing_source_file_is_skipped_and_reported_never_read_as_empty(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    folder = feed_folder(tmp_path / "feeds")
    run_import(app, folder)
    (folder / "ministries.xml").unlink()
    run = run_import(app, folder)
    assert run.status is ImportStatus.SUCCEEDED
    assert "ministries: skipped, no saved file for this source in the folder" in run.warnings
    assert len(current_roles(db, RoleKind.MINISTER)) == 26


def test_dry_run_reports_changes_and_writes_nothing(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    before = dump(db)
    run = run_import(app, feed_folder(tmp_path / "feeds"), dry_run=True)
    assert run.status is ImportStatus.DRY_RUN
    assert run.counts["members"]["officials_inserted"] == 1231
    assert dump(db) == before


def test_import_records_when_the_data_is_as_of(app: Flask, db: Session, tmp_path: Path) -> None:
    run = run_import(app, feed_folder(tmp_path / "feeds"))
    assert run.as_of == AS_OF
    assert official(db, 88384).last_seen_in_feed_at == AS_OF


def test_represent_gives_the_form_of_address_and_a_coordinators_choice_stays(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    folder = feed_folder(tmp_path / "feeds", with_constructed=True)
    run_import(app, folder)
    genuis, ehsassi = official(db, 89226), official(db, 89010)
    assert (genuis.address_form, genuis.address_form_source) == (
        AddressForm.MONSIEUR,
        AddressFormSource.REPRESENT,
    )
    assert ehsassi.address_form is None  # Represent's gender is "": not known, not guessed
    genuis.address_form = AddressForm.NEITHER
    genuis.address_form_source = AddressFormSource.COORDINATOR
    genuis.edited_fields = ["address_form"]
    db.commit()
    run_import(app, folder)
    db.expire_all()
    genuis = official(db, 89226)
    assert (genuis.address_form, genuis.address_form_source) == (
        AddressForm.NEITHER,
        AddressFormSource.COORDINATOR,
    )
    conflicts = db.scalars(
        select(ImportReview).where(ImportReview.kind == ReviewKind.FIELD_CONFLICT)
    ).all()
    assert [(c.field, c.feed_value) for c in conflicts] == [("address_form", '"monsieur"')]
