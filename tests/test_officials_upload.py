"""Uploading officials the feeds do not cover: a preview of every row, then only good rows."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import csrf_token_from
from tracker.models import Official, Organisation, OrganisationKind, RoleKind, User, UserRole

GOOD_AND_BAD = (
    "Given Name,Surname,Courtesy title,Email,Role kind,Title,Organisation,Start on\n"
    "Robert,Rae,Mr.,,diplomat,Permanent Representative of Canada to the United Nations,"
    "Permanent Mission of Canada to the United Nations,2020-07-06\n"
    "Louise,Corbin,Ms.,louise.corbin@example.org,public_servant,"
    "Deputy Director Eastern Europe and Eurasia Division (ECE),Global Affairs Canada,\n"
    ",Nameless,,,,,,\n"
    "Pat,Bad-Date,,not-an-email,astronaut,Somebody,Somewhere,7 Sept 2023\n"
)


def upload(client: FlaskClient, content: bytes, filename: str = "officials.csv") -> Any:
    token = csrf_token_from(client.get("/officials/upload").get_data(as_text=True))
    return client.post(
        "/officials/upload",
        data={"csrf_token": token, "file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def confirm(client: FlaskClient, preview_html: str) -> Any:
    upload_token = re.search(r'name="token" type="hidden" value="([0-9a-f]{32})"', preview_html)
    assert upload_token, "no confirm form"
    return client.post(
        "/officials/upload/confirm",
        data={"csrf_token": csrf_token_from(preview_html), "token": upload_token.group(1)},
        follow_redirects=True,
    )


def count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Official)) or 0


def test_preview_lists_every_problem_and_writes_nothing_until_confirmed(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    signed_in(UserRole.COORDINATOR)
    preview = upload(client, GOOD_AND_BAD.encode())
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "2 of 4 rows can be added" in html
    assert "given name is missing" in html
    assert "&#39;not-an-email&#39; is not an email address" in html
    assert "role kind &#39;astronaut&#39; is not one of" in html
    assert "start date &#39;7 Sept 2023&#39; is not a date like 2023-09-07" in html
    assert count(db) == 0

    done = confirm(client, html)
    assert "Added 2 officials." in done.get_data(as_text=True)
    rae = db.scalars(select(Official).where(Official.name_key == "robert rae")).one()
    assert rae.courtesy_title == "Mr."
    assert rae.roles[0].kind is RoleKind.DIPLOMAT
    mission = db.scalars(
        select(Organisation).where(Organisation.kind == OrganisationKind.MISSION)
    ).one()
    assert mission.name == "Permanent Mission of Canada to the United Nations"
    assert count(db) == 2


def test_confirming_twice_adds_nothing_more(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    signed_in(UserRole.COORDINATOR)
    html = upload(client, GOOD_AND_BAD.encode()).get_data(as_text=True)
    confirm(client, html)
    again = confirm(client, html).get_data(as_text=True)
    assert "That upload has expired or was already added" in again
    assert count(db) == 2


def test_a_row_for_someone_already_known_is_skipped(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    signed_in(UserRole.COORDINATOR)
    confirm(client, upload(client, GOOD_AND_BAD.encode()).get_data(as_text=True))
    html = upload(client, GOOD_AND_BAD.encode()).get_data(as_text=True)
    assert "0 of 4 rows can be added" in html
    assert "already in Hilltrack as official" in html


def test_a_latin1_spreadsheet_keeps_its_accents(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    signed_in(UserRole.COORDINATOR)
    content = "given_name,family_name,title\nStéphane,Bergeron,Vice-Chair\n".encode("latin-1")
    confirm(client, upload(client, content).get_data(as_text=True))
    assert db.scalars(select(Official.given_name)).one() == "Stéphane"


def test_an_unusable_file_is_refused_with_what_to_fix(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    signed_in(UserRole.COORDINATOR)
    no_names = upload(client, b"email,title\na@b.ca,Chair\n").get_data(as_text=True)
    assert "the header has no given_name or family_name column" in no_names
    empty = upload(client, b"").get_data(as_text=True)
    assert "the file is empty" in empty
    wrong_type = upload(client, b"x", filename="officials.xlsx").get_data(as_text=True)
    assert "Upload a .csv file (save it from your spreadsheet as CSV)." in wrong_type
    assert count(db) == 0


def test_volunteers_cannot_upload(
    client: FlaskClient, signed_in: Callable[[UserRole], User]
) -> None:
    signed_in(UserRole.VOLUNTEER)
    assert client.get("/officials/upload").status_code == 403


def test_a_spreadsheet_gives_roles_to_mps_the_feeds_know_by_committee_acronym(
    app: Flask,
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    db: Session,
    tmp_path: Path,
) -> None:
    from tests.feeds import feed_folder
    from tests.importing import run_import
    from tracker.models import Role

    run_import(app, feed_folder(tmp_path / "feeds"))
    signed_in(UserRole.COORDINATOR)
    before = count(db)
    sheet = (
        "given_name,family_name,role_kind,committee,title,start_on,end_on\n"
        "Dominique,Vien,committee_chair,FEWO,,2025-06-13,\n"
        "Dominique,Vien,committee_member,XXXX,,2025-06-13,\n"
        "Marilyn,Gladu,committee_vice_chair,fewo,,2025-06-13,2025-05-01\n"
    )
    html = upload(client, sheet.encode()).get_data(as_text=True)
    assert "1 of 3 rows can be added" in html
    assert "committee XXXX is not a House committee&#39;s acronym" in html
    assert "the end date is before the start date" in html
    confirm(client, html)
    assert count(db) == before  # a role for a known MP, not a new person
    vien = db.scalars(select(Official).where(Official.ourcommons_id == 110009)).one()
    roles = [
        (r.title, r.source, r.start_on)
        for r in db.scalars(select(Role).where(Role.official_id == vien.id))
        if r.kind.value == "committee_chair"
    ]
    assert roles == [
        ("Chair of the Standing Committee on Status of Women", "manual", dt.date(2025, 6, 13))
    ]
