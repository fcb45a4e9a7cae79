"""Importing past outreach from a spreadsheet: every problem shown, nothing written before yes."""

from __future__ import annotations

import html as html_module
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import csrf_token_from
from tracker.models import (
    Campaign,
    Interaction,
    InteractionKind,
    Official,
    Recipient,
    User,
    UserRole,
)

SHEET = (
    "Recipient,Date sent,What,How,Notes\n"
    "Hon. Mélanie Joly,2023-09-07,sent,email,Sent with the annex\n"
    'melanie joly,2023-10-02,reply,,=HYPERLINK("x") thanks\n'
    "Garnett Genuis,2023-09-07,Sent,Post,\n"
    "Jane Nobody,2023-09-07,sent,email,\n"
    "David Anderson,2023-09-07,sent,email,\n"
    "Garnett Genuis,7 Sept 2023,sent,email,\n"
)


@pytest.fixture
def campaign(db: Session) -> Campaign:
    for given, family, riding in (
        ("Mélanie", "Joly", "Ahuntsic-Cartierville"),
        ("Garnett", "Genuis", "Sherwood Park"),
        ("David", "Anderson", "Cypress Hills"),
        ("David", "Anderson", "Victoria"),
    ):
        db.add(
            Official(
                given_name=given,
                family_name=family,
                constituency=riding,
                name_key=f"{given} {family}".lower().replace("é", "e"),
            )
        )
    letter = Campaign(title="Past letter")
    db.add(letter)
    db.commit()
    return letter


def post_file(client: FlaskClient, campaign: Campaign, data: bytes) -> Any:
    page = f"/campaigns/{campaign.id}/import/"
    return client.post(
        page,
        data={
            "csrf_token": csrf_token_from(client.get(page).get_data(as_text=True)),
            "file": (io.BytesIO(data), "past.csv"),
        },
        content_type="multipart/form-data",
    )


def upload(client: FlaskClient, campaign: Campaign, content: str | bytes) -> str:
    data = content.encode() if isinstance(content, str) else content
    response = post_file(client, campaign, data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return str(response.headers["Location"])


def count(db: Session, model: type) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def test_preview_lists_each_problem_and_only_confirmation_records(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session, campaign: Campaign
) -> None:
    signed_in(UserRole.COORDINATOR)
    check_url = upload(client, campaign, SHEET)
    html = client.get(check_url).get_data(as_text=True)
    assert "3 of 6 rows can be recorded" in html
    assert "no official called &#39;Jane Nobody&#39;" in html
    assert "2 officials are called &#39;David Anderson&#39;" in html
    assert "date &#39;7 Sept 2023&#39; is not a date like 2023-09-07" in html
    assert '<option value="Recipient" selected>' in html  # columns guessed from the headers
    assert (count(db, Interaction), count(db, Recipient)) == (0, 0)

    token = csrf_token_from(html)
    mapping = dict(re.findall(r'name="(col_\w+)" value="([^"]*)"', html))
    done = client.post(check_url, data={"csrf_token": token, **mapping}, follow_redirects=True)
    assert "Recorded 3 interactions." in done.get_data(as_text=True)
    kinds = sorted(
        (i.kind.value, i.channel.value if i.channel else None)
        for i in db.scalars(select(Interaction))
    )
    assert kinds == [("reply_received", None), ("sent", "email"), ("sent", "post")]
    assert count(db, Recipient) == 2  # Joly and Genuis were added to the campaign


def test_the_same_file_imported_twice_records_nothing_new(
    app: Flask, db: Session, campaign: Campaign, tmp_path: Path
) -> None:
    sheet = tmp_path / "past.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    args = ["import", "interactions", str(sheet), "--campaign", str(campaign.id), "--yes"]
    first = app.test_cli_runner().invoke(args=args)
    assert first.exit_code == 0, first.output
    assert "line 5: Jane Nobody: no official called 'Jane Nobody'" in first.output
    assert "Recorded 3 interactions (0 already recorded from this file)." in first.output
    second = app.test_cli_runner().invoke(args=args)
    assert "Recorded 0 interactions (3 already recorded from this file)." in second.output
    assert count(db, Interaction) == 3
    reply = db.scalars(
        select(Interaction).where(Interaction.kind == InteractionKind.REPLY_RECEIVED)
    ).one()
    assert reply.summary == '=HYPERLINK("x") thanks'  # stored as typed; neutralised on export


def test_cli_asks_before_recording(
    app: Flask, db: Session, campaign: Campaign, tmp_path: Path
) -> None:
    sheet = tmp_path / "past.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    result = app.test_cli_runner().invoke(
        args=["import", "interactions", str(sheet), "--campaign", str(campaign.id)], input="n\n"
    )
    assert "3 of 6 rows can be recorded." in result.output
    assert "Nothing recorded." in result.output
    assert count(db, Interaction) == 0


def test_a_sheet_without_the_needed_columns_says_which(
    client: FlaskClient, signed_in: Callable[[UserRole], User], campaign: Campaign
) -> None:
    signed_in(UserRole.COORDINATOR)
    check_url = upload(client, campaign, "Foo,Bar\n1,2\n")
    assert "choose the column for: official, date" in client.get(check_url).get_data(as_text=True)


def test_volunteers_cannot_import(
    client: FlaskClient, signed_in: Callable[[UserRole], User], campaign: Campaign
) -> None:
    signed_in(UserRole.VOLUNTEER)
    assert client.get(f"/campaigns/{campaign.id}/import/").status_code == 403


ENCODED_SHEETS = [
    ("utf-8-sig", "UTF-8", "its byte-order mark"),
    ("utf-16", "UTF-16", "its byte-order mark"),
    ("utf-16-le", "UTF-16", "its layout"),  # saved without a byte-order mark
    ("utf-8", "UTF-8", "valid UTF-8"),
    ("cp1252", "Windows-1252", "a guess"),
    ("mac_roman", "Mac OS Roman", "a guess"),
]


@pytest.mark.parametrize(("codec", "shown", "how"), ENCODED_SHEETS)
def test_an_uploads_encoding_is_detected_and_said_in_the_preview(
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    campaign: Campaign,
    codec: str,
    shown: str,
    how: str,
) -> None:
    signed_in(UserRole.COORDINATOR)
    check_url = upload(client, campaign, SHEET.encode(codec))
    html = client.get(check_url).get_data(as_text=True)
    assert f"Read as <strong>{shown}" in html and f"({how})" in html
    assert "Hon. Mélanie Joly" in html
    assert "3 of 6 rows can be recorded" in html


def test_a_wrong_guess_can_be_overridden_by_choosing_the_encoding(
    client: FlaskClient, signed_in: Callable[[UserRole], User], campaign: Campaign
) -> None:
    signed_in(UserRole.COORDINATOR)
    check_url = upload(client, campaign, SHEET.encode("mac_roman"))
    as_windows = client.get(f"{check_url}?encoding=latin-1").get_data(as_text=True)
    assert "Read as <strong>ISO-8859-1" in as_windows and "(your choice)" in as_windows
    assert "Hon. Mélanie Joly" not in as_windows  # read wrongly, as chosen: visible, not silent
    assert "2 of 6 rows can be recorded" in as_windows


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00", "an Excel workbook (.xlsx) or another ZIP file"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "a gzip archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel workbook (.xls)"),
    ],
)
def test_a_file_that_is_not_a_csv_is_refused_with_a_plain_reason(
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    db: Session,
    campaign: Campaign,
    data: bytes,
    what: str,
) -> None:
    signed_in(UserRole.COORDINATOR)
    html = post_file(client, campaign, data + b"\x00" * 64).get_data(as_text=True)
    assert f"this file is {what}, not a CSV" in html
    assert "“CSV UTF-8”" in html
    assert count(db, Interaction) == 0


def test_the_past_outreach_upload_lists_its_own_columns(
    client: FlaskClient, signed_in: Callable[[UserRole], User], campaign: Campaign
) -> None:
    signed_in(UserRole.COORDINATOR)
    page = client.get(f"/campaigns/{campaign.id}/import/").get_data(as_text=True)
    assert "the official and the date" in page
    assert "given_name" not in page  # the officials upload's columns


def test_a_long_import_commits_batch_by_batch_and_stays_whole_when_rerun(
    db: Session, campaign: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each batch is committed by the caller (other people's saves wait for one batch, not for
    the file); the statuses are right after every batch."""
    from tracker.operations import past_work
    from tracker.operations.recipient_facts import drifted_recipients

    monkeypatch.setattr(past_work, "BATCH", 2)
    mapping = {"official": "Recipient", "date": "Date sent", "kind": "What", "channel": "How"}
    commits: list[int] = []

    def commit_batch() -> None:
        assert drifted_recipients(db.connection()) == []
        db.commit()
        commits.append(count(db, Interaction))

    recorded, _ = past_work.record_rows(
        db, campaign, SHEET.encode(), mapping, actor=None, end_of_batch=commit_batch
    )
    assert recorded == 3
    assert commits == [2, 3]  # two rows, then the last one, each batch committed


def mapped(html: str) -> dict[str, str]:
    """field → the column the check page chose for it."""
    chosen: dict[str, str] = {}
    for field, block in re.findall(r'<select id="col_(\w+)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.search(r'<option value="([^"]*)" selected>', block)
        if selected:
            chosen[field] = html_module.unescape(selected.group(1))
    return chosen


@pytest.mark.parametrize(
    "header",
    [
        "Official,Date,What happened,How,Kind of reply,Summary or notes",
        "OFFICIAL,date,what happened,HOW,kind of reply,summary or notes",
        "Responsable,Date,Ce qui s'est passé,Moyen,Type de réponse,Résumé ou notes",
        "responsable,DATE,ce qui s est passe,moyen,type de reponse,resume ou notes",
    ],
    ids=["english", "english-any-case", "french", "french-without-accents"],
)
def test_a_column_headed_with_a_fields_label_is_mapped_to_it_so_replies_preview_as_replies(
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    db: Session,
    campaign: Campaign,
    header: str,
) -> None:
    signed_in(UserRole.COORDINATOR)
    sheet = (
        f"{header}\n"
        "Hon. Mélanie Joly,2023-09-07,sent,email,,Sent with the annex\n"
        "Mélanie Joly,2023-10-02,reply,email,declined,No\n"
        "Garnett Genuis,2023-10-03,replied,post,form letter,\n"
    )
    html = client.get(upload(client, campaign, sheet)).get_data(as_text=True)
    columns = header.split(",")
    assert mapped(html) == dict(
        zip(("official", "date", "kind", "channel", "reply", "summary"), columns, strict=True)
    )
    assert "3 of 3 rows can be recorded" in html
    previewed = re.findall(r"<td>(reply received|sent)(?: \(|</td>)", html)
    assert previewed == ["sent", "reply received", "reply received"]
