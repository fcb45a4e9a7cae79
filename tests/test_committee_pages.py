"""Committee roles from the committees' Members pages: parsed from the real FEWO page with its
quirks, applied to the people the members feed knows, merged with the profile feed's roles."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from importers.committee_pages import parse_members_page
from importers.errors import FeedError
from tests.feeds import FEEDS, feed_folder
from tests.importing import run_import
from tracker.models import ImportReview, Official, Role, RoleKind

FEWO_PAGE = FEEDS / "committees" / "FEWO.html"


def test_the_real_fewo_page_gives_its_chair_and_vice_chairs_once_each() -> None:
    terms = parse_members_page(FEWO_PAGE.read_bytes(), "FEWO")
    assert [
        (t.kind, t.person.person_id, t.person.given_name, t.person.family_name) for t in terms
    ] == [
        ("committee_chair", 110009, "Dominique", "Vien"),
        ("committee_vice_chair", 88938, "Marilyn", "Gladu"),
        ("committee_vice_chair", 104973, "Andréanne", "Larouche"),  # "Andr&#233;anne"
    ]
    vien = terms[0]
    assert vien.person.constituency == "Bellechasse—Les Etchemins—Lévis"  # raw UTF-8 em dashes
    assert vien.person.honorific is None  # the page's honorific is an empty <abbr>
    assert vien.title == "Chair of the Standing Committee on Status of Women"
    assert vien.organisation_acronym == "FEWO"


@pytest.mark.parametrize(
    ("page", "reason"),
    [
        (b"", "empty or not HTML"),
        (b"Service Unavailable", "empty or not HTML"),
        (b"<html><body><p>Maintenance</p></body></html>", "lists no chair, vice-chair or member"),
    ],
)
def test_an_empty_or_wrong_committee_page_fails_like_any_bad_feed(page: bytes, reason: str) -> None:
    with pytest.raises(FeedError, match=reason):
        parse_members_page(page, "FEWO")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000) | st.text(max_size=2000).map(str.encode))
def test_any_bytes_give_terms_or_a_feed_error_never_a_crash(data: bytes) -> None:
    with contextlib.suppress(FeedError):
        parse_members_page(b'<div class="member-section" id="committee-chair">' + data, "FEWO")


def committees_folder(target: Path, page: bytes | None = None) -> Path:
    folder = feed_folder(target)
    (folder / "committees").mkdir()
    (folder / "committees" / "FEWO.html").write_bytes(page or FEWO_PAGE.read_bytes())
    return folder


def fewo_roles(db: Session) -> list[tuple[str, str, str]]:
    db.expire_all()
    return sorted(
        (o.family_name, r.kind.value, r.source)
        for r, o in db.execute(
            select(Role, Official)
            .join(Official, Official.id == Role.official_id)
            .where(Role.kind.in_([RoleKind.COMMITTEE_CHAIR, RoleKind.COMMITTEE_VICE_CHAIR]))
        )
    )


def test_an_import_puts_the_committee_roles_on_the_right_people_and_a_rerun_changes_nothing(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    folder = committees_folder(tmp_path / "feeds")
    first = run_import(app, folder)
    assert fewo_roles(db) == [
        ("Gladu", "committee_vice_chair", "committees"),
        ("Larouche", "committee_vice_chair", "committees"),
        ("Vien", "committee_chair", "committees"),
    ]
    assert first.counts["committees"]["roles_inserted"] == 3
    second = run_import(app, folder)
    assert second.counts["committees"].get("roles_inserted", 0) == 0
    assert second.counts["committees"]["roles_unchanged"] == 3
    assert fewo_roles(db) == [
        ("Gladu", "committee_vice_chair", "committees"),
        ("Larouche", "committee_vice_chair", "committees"),
        ("Vien", "committee_chair", "committees"),
    ]


def test_an_unknown_person_id_on_a_committee_page_is_held_for_review_not_created(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    page = FEWO_PAGE.read_bytes().replace(b"(110009)", b"(9999999)")
    folder = committees_folder(tmp_path / "feeds", page)
    run_import(app, feed_folder(tmp_path / "first"))
    before = db.scalar(select(func.count()).select_from(Official))
    run_import(app, folder)
    assert db.scalar(select(func.count()).select_from(Official)) == before
    review = db.scalars(select(ImportReview)).one()
    assert "PersonId 9999999 is not a known official" in review.message
    assert [name for name, kind, _ in fewo_roles(db)] == ["Gladu", "Larouche"]


def test_a_role_the_profile_and_the_committee_page_both_give_is_one_role(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    folder = committees_folder(tmp_path / "feeds")
    template = (FEEDS / "constructed" / "profiles" / "89010.xml").read_text()
    profile = (
        template.replace("Ali", "Dominique")
        .replace("Ehsassi", "Vien")
        .replace("Willowdale", "Bellechasse—Les Etchemins—Lévis")
        .replace("Foreign Affairs and International Development", "Status of Women")
    )
    (folder / "profiles").mkdir()
    (folder / "profiles" / "110009.xml").write_text(profile)
    run_import(app, folder)
    db.expire_all()
    vien = db.scalars(select(Official).where(Official.ourcommons_id == 110009)).one()
    chairs = [
        r
        for r in db.scalars(select(Role).where(Role.official_id == vien.id))
        if r.kind is RoleKind.COMMITTEE_CHAIR and r.end_on is None
    ]
    assert len(chairs) == 1
    assert chairs[0].start_on == dt.date(2025, 6, 10)  # the profile's date, kept


def test_an_absent_committees_folder_skips_the_source(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    run = run_import(app, feed_folder(tmp_path / "feeds"))
    assert "committees: skipped, no saved file for this source in the folder" in run.warnings
