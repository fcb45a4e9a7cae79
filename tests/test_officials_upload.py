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


def confirm(client: FlaskClient, preview_html: str, **answers: str) -> Any:
    upload_token = re.search(r'name="token" type="hidden" value="([0-9a-f]{32})"', preview_html)
    assert upload_token, "no confirm form"
    return client.post(
        "/officials/upload/confirm",
        data={
            "csrf_token": csrf_token_from(preview_html),
            "token": upload_token.group(1),
            **{key.replace("_", "-"): value for key, value in answers.items()},
        },
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

    done = confirm(client, html).get_data(as_text=True)
    assert "2 officials added, 0 existing officials given roles, 2 rows skipped." in done
    assert "Row 4, Nameless: given name is missing" in done
    assert "committee_member; &#39;not-an-email&#39; is not an email address; start date" in done
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
    again = GOOD_AND_BAD + "Anita,Newcomer,,,diplomat,Ambassador to Ruritania,,\n"
    html = upload(client, again.encode()).get_data(as_text=True)
    assert "1 of 5 rows can be added" in html
    assert "Already in Hilltrack: Robert Rae" in html
    assert "Nothing to add: Robert Rae already holds" in html
    done = confirm(client, html).get_data(as_text=True)
    assert "1 official added, 0 existing officials given roles, 4 rows skipped." in done
    assert (
        "Row 2, Robert Rae: Robert Rae already holds “Permanent Representative of Canada to the "
        "United Nations” (since 2020-07-06)"
    ) in done.replace("&#34;", '"')
    assert "official 1" not in done
    assert count(db) == 3


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


def _mp(db: Session, given: str, family: str, riding: str, person_id: int) -> Official:
    from tests.test_person_match import add_official

    official = add_official(db, given, family, riding, person_id)
    official.honorific = "Hon."
    db.commit()
    return official


OLIPHANT_SHEET = (
    "given_name,family_name,role_kind,committee,start_on\n"
    "Rob,Oliphant,committee_member,FAAE,2025-06-13\n"
)


def test_a_nickname_is_a_question_in_the_preview_never_a_new_official(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    oliphant = _mp(db, "Robert", "Oliphant", "Don Valley West", 58858)
    signed_in(UserRole.COORDINATOR)
    before = count(db)
    html = upload(client, OLIPHANT_SHEET.encode()).get_data(as_text=True)
    assert "Rob Oliphant: is this Robert Oliphant (Don Valley West)?" in html
    assert "1 row asks who it names" in html

    unanswered = confirm(client, html).get_data(as_text=True)
    assert "0 officials added, 0 existing officials given roles, 1 row skipped." in unanswered
    assert "Row 2, Rob Oliphant: you did not say who this is" in unanswered
    assert count(db) == before

    html = upload(client, OLIPHANT_SHEET.encode()).get_data(as_text=True)
    done = confirm(client, html, answer_2=str(oliphant.id)).get_data(as_text=True)
    assert "0 officials added, 1 existing official given roles." in done
    assert count(db) == before
    db.expire_all()
    assert [r.title for r in oliphant.roles if r.kind is RoleKind.COMMITTEE_MEMBER] == [
        "Member of the Standing Committee on Foreign Affairs and International Development"
    ]


def test_a_name_written_family_name_first_is_a_question_in_the_preview(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    oliphant = _mp(db, "Robert", "Oliphant", "Don Valley West", 58858)
    signed_in(UserRole.COORDINATOR)
    sheet = OLIPHANT_SHEET.replace("Rob,Oliphant", "Oliphant,Robert")
    html = upload(client, sheet.encode()).get_data(as_text=True)
    assert "Oliphant Robert: is this Robert Oliphant (Don Valley West)?" in html
    assert "1 row asks who it names" in html
    done = confirm(client, html, answer_2=str(oliphant.id)).get_data(as_text=True)
    assert "0 officials added, 1 existing official given roles." in done


def test_answering_no_adds_a_new_official(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    _mp(db, "Robert", "Oliphant", "Don Valley West", 58858)
    signed_in(UserRole.COORDINATOR)
    before = count(db)
    sheet = "given_name,family_name,role_kind,title\nRob,Oliphant,diplomat,Ambassador\n"
    html = upload(client, sheet.encode()).get_data(as_text=True)
    done = confirm(client, html, answer_2="new").get_data(as_text=True)
    assert "1 official added, 0 existing officials given roles." in done
    assert count(db) == before + 1


def test_the_result_counts_new_officials_existing_officials_and_skipped_rows(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    _mp(db, "Robert", "Oliphant", "Don Valley West", 58858)
    _mp(db, "Mélanie", "Joly", "Ahuntsic-Cartierville", 58733)
    _mp(db, "Ali", "Ehsassi", "Willowdale", 88368)
    signed_in(UserRole.COORDINATOR)
    before = count(db)
    sheet = (
        "person_id,given_name,family_name,role_kind,committee,title,start_on\n"
        ",Robert,Rae,diplomat,,Ambassador to the UN,2020-07-06\n"
        ",Louise,Corbin,public_servant,,Director General,\n"
        "58858,Rob,Oliphant,committee_member,FAAE,,2025-06-13\n"
        ",MELANIE,JOLY,committee_member,FAAE,,2025-06-13\n"
        ",Ali,Ehsassi,committee_chair,FAAE,,2025-06-13\n"
        ",Pat,Nobody,astronaut,,,\n"
    )
    html = upload(client, sheet.encode()).get_data(as_text=True)
    done = confirm(client, html).get_data(as_text=True)
    assert "2 officials added, 3 existing officials given roles, 1 row skipped." in done
    assert "Row 7, Pat Nobody: role kind" in done
    assert count(db) == before + 2


def test_an_ended_role_never_blocks_entering_the_current_one(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    from tracker.operations.officials import NewRole, add_role

    chair = _mp(db, "Ali", "Ehsassi", "Willowdale", 88368)
    add_role(
        db,
        chair,
        NewRole(
            kind=RoleKind.COMMITTEE_CHAIR,
            title="Chair of the Standing Committee on Foreign Affairs and International "
            "Development",
            start_on=dt.date(2021, 12, 8),
            end_on=dt.date(2025, 3, 23),
            committee_acronym="FAAE",
        ),
        actor=None,
    )
    db.commit()
    signed_in(UserRole.COORDINATOR)
    sheet = (
        "given_name,family_name,role_kind,committee,start_on\n"
        "Ali,Ehsassi,committee_chair,FAAE,2025-06-13\n"
    )
    html = upload(client, sheet.encode()).get_data(as_text=True)
    done = confirm(client, html).get_data(as_text=True)
    assert "0 officials added, 1 existing official given roles." in done
    db.expire_all()
    current = [r for r in chair.roles if r.kind is RoleKind.COMMITTEE_CHAIR and r.end_on is None]
    assert [r.start_on for r in current] == [dt.date(2025, 6, 13)]


def test_the_upload_page_lists_every_column_and_offers_an_example(
    client: FlaskClient, signed_in: Callable[[UserRole], User]
) -> None:
    from importers.officials_csv import COLUMNS, ROLE_KINDS, read_rows

    signed_in(UserRole.COORDINATOR)
    html = client.get("/officials/upload").get_data(as_text=True)
    codes = " ".join(re.findall(r"<code>([^<]*)</code>", html))
    assert set(COLUMNS) | set(ROLE_KINDS) <= set(re.findall(r"[a-z_]+", codes))
    example = client.get("/officials/upload/example.csv")
    assert example.mimetype == "text/csv"
    rows = read_rows(example.data)
    assert all(row.ok for row in rows)
    assert set(example.get_data(as_text=True).splitlines()[0].split(",")) == set(COLUMNS)


def test_the_result_reads_in_french(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    user = signed_in(UserRole.COORDINATOR)
    user.language = "fr"
    db.commit()
    html = upload(client, GOOD_AND_BAD.encode()).get_data(as_text=True)
    done = confirm(client, html).get_data(as_text=True)
    assert (
        "2 responsables ajoutés, 0 responsable existant a reçu des rôles, 2 lignes ignorées."
        in done
    )


def test_two_rows_for_one_new_person_add_one_official_with_both_roles(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    signed_in(UserRole.COORDINATOR)
    sheet = (
        "given_name,family_name,role_kind,title,start_on,end_on\n"
        "Robert,Rae,diplomat,Ambassador to the UN,2020-07-06,\n"
        "Robert,Rae,diplomat,Ambassador to Ruritania,2010-01-01,2015-01-01\n"
        "Bob,Rae,senator,Senator,,\n"
    )
    html = upload(client, sheet.encode()).get_data(as_text=True)
    assert "New official, the same as row 2" in html
    done = confirm(client, html).get_data(as_text=True)
    # "Bob Rae" was previewed as someone new: never quietly made into Robert Rae.
    assert "2 officials added, 0 existing officials given roles." in done
    rae = db.scalars(select(Official).where(Official.name_key == "robert rae")).one()
    assert sorted(r.title for r in rae.roles) == ["Ambassador to Ruritania", "Ambassador to the UN"]
