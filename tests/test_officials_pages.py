"""The officials directory, official pages, and adding or editing officials by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import csrf_token_from, post_form
from tests.feeds import FEEDS, feed_folder
from tests.importing import run_import
from tracker.models import AuditEvent, Official, Role, RoleKind, User, UserRole


@pytest.fixture
def imported(app: Flask, tmp_path: Path) -> None:
    run_import(app, feed_folder(tmp_path / "feeds", with_constructed=True))


def page_text(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


@pytest.mark.usefixtures("imported")
def test_directory_finds_people_without_accents_and_says_how_fresh_the_data_is(
    client: FlaskClient, signed_in: Callable[[UserRole], User]
) -> None:
    signed_in(UserRole.VOLUNTEER)
    text = page_text(client, "/officials/?q=melanie+joly")
    assert "1 official found." in text
    assert "Mélanie" in text and "Minister of Industry" in text
    assert "Data as of 2026-01-10" in text


@pytest.mark.usefixtures("imported")
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=minister", "26 officials found."),
        ("kind=prime_minister", "1 official found."),
        ("kind=committee_vice_chair", "1 official found."),
        ("party=Bloc+Qu%C3%A9b%C3%A9cois", "22 officials found."),
        ("province=Prince+Edward+Island&party=Liberal", "4 officials found."),
        ("status=all&q=david+anderson", "2 officials found."),
        ("status=former&q=herb+gray", "1 official found."),
        ("q=herb+gray", "0 officials found."),  # in office now: the default
    ],
)
def test_directory_filters(
    client: FlaskClient, signed_in: Callable[[UserRole], User], query: str, expected: str
) -> None:
    signed_in(UserRole.VOLUNTEER)
    assert expected in page_text(client, f"/officials/?{query}")


@pytest.mark.usefixtures("imported")
def test_directory_filters_by_committee_acronym(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    signed_in(UserRole.VOLUNTEER)
    faae = db.scalars(
        select(Role.organisation_id).where(Role.kind == RoleKind.COMMITTEE_VICE_CHAIR)
    ).first()
    text = page_text(client, f"/officials/?committee={faae}")
    assert "FAAE · Standing Committee on Foreign Affairs" in text
    assert "2 officials found." in text  # Ehsassi (chair) and Genuis (vice-chair)


@pytest.mark.usefixtures("imported")
def test_directory_pages_through_many_results(
    client: FlaskClient, signed_in: Callable[[UserRole], User]
) -> None:
    signed_in(UserRole.VOLUNTEER)
    first = page_text(client, "/officials/?status=all")
    assert "1231 officials found." in first
    assert "Page 1 of 25" in first
    last = page_text(client, "/officials/?status=all&page=25")
    assert "Page 25 of 25" in last and 'rel="next"' not in last
    assert "Page 25 of 25" in page_text(client, "/officials/?status=all&page=999")


@pytest.mark.usefixtures("imported")
def test_official_page_shows_every_role_with_dates_and_source(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    signed_in(UserRole.VOLUNTEER)
    ehsassi = db.scalars(select(Official).where(Official.ourcommons_id == 89010)).one()
    text = page_text(client, f"/officials/{ehsassi.id}")
    assert (
        "Chair of the Standing Committee on Foreign Affairs and International Development" in text
    )
    assert "2025-03-23" in text and "profiles" in text and "members" in text
    assert "ali.ehsassi@parl.gc.ca" in text
    assert "Last seen in a feed" in text and "2026-01-10" in text


def test_coordinator_adds_an_official_the_feeds_do_not_cover(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    signed_in(UserRole.COORDINATOR)
    response = post_form(
        client,
        "/officials/new",
        {
            "given_name": "Robert",
            "family_name": "Rae",
            "courtesy_title": "Mr.",
            "role_kind": "diplomat",
            "role_title": "Permanent Representative of Canada to the United Nations",
            "organisation": "Permanent Mission of Canada to the United Nations",
            "role_start_on": "2020-07-06",
        },
        token_page="/officials/new",
        follow_redirects=True,
    )
    text = response.get_data(as_text=True)
    assert "Added Robert Rae." in text
    assert "Permanent Representative of Canada to the United Nations" in text
    rae = db.scalars(select(Official).where(Official.name_key == "robert rae")).one()
    assert rae.roles[0].kind is RoleKind.DIPLOMAT
    assert rae.roles[0].start_on == dt.date(2020, 7, 6)
    assert rae.roles[0].source == "manual"


def test_volunteers_cannot_add_or_edit_officials(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    signed_in(UserRole.VOLUNTEER)
    someone = Official(given_name="A", family_name="B", name_key="a b")
    db.add(someone)
    db.commit()
    assert client.get("/officials/new").status_code == 403
    assert client.get(f"/officials/{someone.id}/edit").status_code == 403
    response = post_form(
        client,
        f"/officials/{someone.id}/edit",
        {"given_name": "X", "family_name": "Y", "version": "1"},
        token_page="/",
    )
    assert response.status_code == 403
    db.refresh(someone)
    assert someone.given_name == "A"


def _edit(client: FlaskClient, official: Official, version: int, **changes: str) -> object:
    data = {
        "given_name": official.given_name,
        "family_name": official.family_name,
        "courtesy_title": "",
        "version": str(version),
        **changes,
    }
    return post_form(client, f"/officials/{official.id}/edit", data, token_page="/")


def test_editing_an_official_marks_the_fields_as_hand_edited_and_is_audited(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    user = signed_in(UserRole.COORDINATOR)
    official = Official(
        given_name="Ali", family_name="Ehsassi", name_key="ali ehsassi", email="old@parl.gc.ca"
    )
    db.add(official)
    db.commit()
    response = _edit(
        client, official, official.version, email="office@example.org", notes="Prefers email"
    )
    assert response.status_code == 302  # type: ignore[attr-defined]
    db.refresh(official)
    assert official.email == "office@example.org"
    assert official.edited_fields == ["email"]  # notes are Hilltrack's own, never in a feed
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "official.update")).one()
    assert event.actor_id == user.id
    assert event.before == {"email": "old@parl.gc.ca", "notes": None}


def test_a_stale_edit_gets_a_conflict_page_and_overwrites_nothing(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    signed_in(UserRole.COORDINATOR)
    official = Official(given_name="Ali", family_name="Ehsassi", name_key="ali ehsassi")
    db.add(official)
    db.commit()
    loaded_version = official.version
    assert _edit(client, official, loaded_version, phone="613-555-0001").status_code == 302  # type: ignore[attr-defined]
    stale = _edit(client, official, loaded_version, phone="613-555-9999")
    assert stale.status_code == 409  # type: ignore[attr-defined]
    text = stale.get_data(as_text=True)  # type: ignore[attr-defined]
    assert "Someone else changed Ali Ehsassi" in text
    assert "613-555-0001" in text and "613-555-9999" in text  # theirs and yours, side by side
    db.refresh(official)
    assert official.phone == "613-555-0001"


def test_a_coordinator_enters_a_committee_role_by_hand_and_imports_keep_it(
    app: Flask,
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    db: Session,
    tmp_path: Path,
) -> None:
    signed_in(UserRole.COORDINATOR)
    run_import(app, feed_folder(tmp_path / "feeds"))
    vien = db.scalars(select(Official).where(Official.ourcommons_id == 110009)).one()
    page = f"/officials/{vien.id}"
    token = csrf_token_from(client.get(page).get_data(as_text=True))
    done = client.post(
        f"{page}/roles",
        data={
            "csrf_token": token,
            "role-kind": "committee_chair",
            "role-committee": "FEWO",
            "role-title": "",
            "role-start_on": "2025-06-13",
            "role-end_on": "",
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Added the role “Chair of the Standing Committee on Status of Women”" in done
    assert "entered by hand" in done
    refused = client.post(
        f"{page}/roles",
        data={"csrf_token": token, "role-kind": "parliamentary_secretary", "role-title": ""},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Give the title" in refused
    run_import(app, feed_folder(tmp_path / "again"))  # no feed lists it: it stays
    db.expire_all()
    chairs = [
        r
        for r in db.scalars(select(Role).where(Role.official_id == vien.id))
        if r.kind.value == "committee_chair"
    ]
    assert [(r.source, r.end_on) for r in chairs] == [("manual", None)]
    # The committee page later lists the same role: one role, the feed's, keeping the date.
    folder = feed_folder(tmp_path / "with-committees")
    (folder / "committees").mkdir()
    (folder / "committees" / "FEWO.html").write_bytes(
        (FEEDS / "committees" / "FEWO.html").read_bytes()
    )
    run_import(app, folder)
    db.expire_all()
    chairs = [
        r
        for r in db.scalars(select(Role).where(Role.official_id == vien.id))
        if r.kind.value == "committee_chair"
    ]
    assert [(r.source, r.start_on) for r in chairs] == [("committees", dt.date(2025, 6, 13))]


def test_a_coordinator_gives_the_form_of_address_and_a_french_letter_greets_by_role(
    app: Flask,
    client: FlaskClient,
    db: Session,
    signed_in: Callable[[UserRole], User],
    tmp_path: Path,
) -> None:
    """The issue's letter to a Secretary of State: "Madame la Ministre", "députée", and the
    title in French only, once the form of address is known (here from a coordinator)."""
    from tests.test_ministries_csv import full_folder
    from tracker.operations.campaigns import add_recipients, create_campaign

    run_import(app, full_folder(tmp_path / "feeds"))
    coordinator = signed_in(UserRole.COORDINATOR)
    provost = db.scalars(select(Official).where(Official.ourcommons_id == 122552)).one()
    url = f"/officials/{provost.id}"
    assert "not known: a neutral form" in page_text(client, url)
    response = post_form(
        client,
        f"{url}/address",
        {"address-address_form": "madame", "address-privy_council_on": ""},
        token_page=url,
    )
    assert response.status_code == 302
    text = page_text(client, url)
    assert "Madame (Ms.)" in text and "chosen by a coordinator" in text
    assert "May 13, 2025" in text  # sworn in with her first ministerial role
    assert "the start of their first ministerial role" in text

    db.expire_all()
    campaign = create_campaign(
        db, {"title": "Nature", "letter_on": dt.date(2026, 1, 20)}, actor=coordinator
    )
    campaign.body = "Protect the wetlands."
    role = next(r for r in provost.roles if r.kind is RoleKind.SECRETARY_OF_STATE)
    (recipient,), _ = add_recipients(
        db, campaign, [(provost, role)], language="fr", actor=coordinator
    )
    db.commit()
    assert recipient.addressed_as == (
        "L'honorable Nathalie Provost, C.P., députée, secrétaire d\u2019État (Nature)"
    )
    assert recipient.salutation == "Madame la Ministre"
    letter = page_text(client, f"/campaigns/{campaign.id}/letters/{recipient.id}")
    assert "Secretary of State" not in letter  # one language in the address block
    assert "secrétaire d\u2019État (Nature)" in letter
    assert "Madame la Ministre," in letter and "Bonjour" not in letter


def test_without_a_form_of_address_a_french_letter_opens_with_the_campaigns_neutral_formula(
    app: Flask, db: Session, make_user: Callable[..., User], tmp_path: Path
) -> None:
    from tracker.models import FrenchOpening
    from tracker.operations.campaigns import add_recipients, create_campaign, update_campaign

    run_import(app, feed_folder(tmp_path / "feeds"))
    coordinator = make_user(UserRole.COORDINATOR)
    provost = db.scalars(select(Official).where(Official.ourcommons_id == 122552)).one()
    campaign = create_campaign(db, {"title": "Nature"}, actor=coordinator)
    role = next(r for r in provost.roles if r.kind is RoleKind.SECRETARY_OF_STATE)
    (recipient,), _ = add_recipients(
        db, campaign, [(provost, role)], language="fr", actor=coordinator
    )
    assert recipient.salutation == "Madame, Monsieur"  # the default: the traditional one
    assert recipient.addressed_as == "L'honorable Nathalie Provost, C.P., député"
    update_campaign(
        db,
        campaign,
        {"title": "Nature", "french_opening": FrenchOpening.BONJOUR.value},
        version=campaign.version,
        actor=coordinator,
    )
    assert recipient.salutation == "Bonjour"


def test_a_form_of_address_chosen_after_the_letter_was_drafted_greets_the_unsent_letters(
    app: Flask,
    client: FlaskClient,
    db: Session,
    signed_in: Callable[[UserRole], User],
    tmp_path: Path,
) -> None:
    """A coordinator adds the recipient first and learns the form of address later: the letter
    not yet sent greets them as chosen, a line typed by hand stays, a sent letter is history."""
    from tests.test_ministries_csv import full_folder
    from tracker.operations.campaigns import add_recipients, create_campaign

    run_import(app, full_folder(tmp_path / "feeds"))
    coordinator = signed_in(UserRole.COORDINATOR)
    provost = db.scalars(select(Official).where(Official.ourcommons_id == 122552)).one()
    role = next(r for r in provost.roles if r.kind is RoleKind.SECRETARY_OF_STATE)
    drafts = []
    for title in ("Nature", "Wetlands"):
        campaign = create_campaign(
            db, {"title": title, "letter_on": dt.date(2026, 1, 20)}, actor=coordinator
        )
        campaign.body = "Protect the wetlands."
        (recipient,), _ = add_recipients(
            db, campaign, [(provost, role)], language="fr", actor=coordinator
        )
        drafts.append(recipient)
    db.commit()
    generated, typed = drafts
    assert generated.salutation == "Madame, Monsieur"  # not known yet: the neutral formula
    typed.salutation = "Chère Nathalie"  # a person's own words
    db.commit()

    url = f"/officials/{provost.id}"
    post_form(
        client,
        f"{url}/address",
        {"address-address_form": "madame", "address-privy_council_on": ""},
        token_page=url,
    )
    db.expire_all()
    assert generated.salutation == "Madame la Ministre"
    assert "députée" in generated.addressed_as
    assert typed.salutation == "Chère Nathalie"
