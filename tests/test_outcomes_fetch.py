"""Reading the House's record: stored once by item id, a re-issued item updated in place, a
source that fails fails alone and says why, and the command line with --from-dir."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import responses
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from importers import hansard
from importers.http import FeedClient
from tests.feeds import HANSARD
from tests.outcomes import ABOULTAIF, LETTER_ON, demo_with_aboultaif, hansard_folder
from tracker.models import HouseIntervention, HouseRecordCheck
from tracker.operations.outcomes import fetch_outcomes
from tracker.web.db import state

XML = {"Content-Type": "application/xml; charset=utf-8"}


def _after_letter() -> int:
    items = hansard.read_member(HANSARD, ABOULTAIF, 37) or []
    items += hansard.read_member(HANSARD, ABOULTAIF, 40017) or []
    return sum(1 for i in items if i.spoken_on >= LETTER_ON)


def test_reading_the_same_files_again_changes_nothing(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    demo_with_aboultaif(app, db)
    folder = hansard_folder(tmp_path / "house")
    first = fetch_outcomes(state(app).sessions, from_dir=folder, today=dt.date(2024, 11, 11))
    assert first.members == 1 and not first.failed
    assert first.stored.inserted == _after_letter() > 0
    stored = db.scalar(select(func.count()).select_from(HouseIntervention))
    assert stored == first.stored.inserted
    assert db.scalar(select(func.min(HouseIntervention.spoken_on))) >= LETTER_ON  # type: ignore[operator]

    again = fetch_outcomes(state(app).sessions, from_dir=folder, today=dt.date(2024, 11, 12))
    assert (again.stored.inserted, again.stored.updated) == (0, 0)
    assert db.scalar(select(func.count()).select_from(HouseIntervention)) == stored


def test_a_reissued_item_is_updated_in_place(app: Flask, db: Session, tmp_path: Path) -> None:
    demo_with_aboultaif(app, db)
    folder = hansard_folder(tmp_path / "house")
    fetch_outcomes(state(app).sessions, from_dir=folder)
    before = db.scalars(
        select(HouseIntervention).where(HouseIntervention.item_id == 13405601)
    ).one()
    row_id = before.id
    house = folder / f"{ABOULTAIF}-37.xml"
    house.write_bytes(
        house.read_bytes().replace(
            b"it seems the government does not want", b"it seems the government will not", 1
        )
    )
    report = fetch_outcomes(state(app).sessions, from_dir=folder)
    assert report.stored.updated == 1 and report.stored.inserted == 0
    db.expire_all()
    after = db.scalars(select(HouseIntervention).where(HouseIntervention.item_id == 13405601)).one()
    assert after.id == row_id
    assert after.paragraphs[0].startswith("Mr. Speaker, it seems the government will not")


def test_the_command_reads_a_folder_with_a_progress_line(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    demo_with_aboultaif(app, db)
    folder = hansard_folder(tmp_path / "house")
    result = app.test_cli_runner().invoke(args=["outcomes", "fetch", "--from-dir", str(folder)])
    assert result.exit_code == 0, result.output
    assert f"1 member(s) read: {_after_letter()} new, 0 updated, 0 unchanged" in result.output
    again = app.test_cli_runner().invoke(args=["outcomes", "fetch", "--from-dir", str(folder)])
    # Read again: only the re-read windows (14 days for the House, 60 for committees), unchanged.
    assert re.search(r"1 member\(s\) read: 0 new, 0 updated, [1-9]\d* unchanged", again.output)


def _search(pub_type: int) -> re.Pattern[str]:
    return re.compile(
        rf"https://www\.ourcommons\.ca/publicationsearch/en/\?per=89156&pubType={pub_type}&.*"
    )


@responses.activate
def test_a_search_answering_a_web_page_fails_alone(app: Flask, db: Session, tmp_path: Path) -> None:
    demo_with_aboultaif(app, db)
    responses.add(
        responses.GET, _search(37), body=b"<html><body>Down</body></html>", content_type="text/html"
    )
    responses.add(
        responses.GET, _search(40017), body=(HANSARD / "89156-40017.xml").read_bytes(), headers=XML
    )
    report = fetch_outcomes(state(app).sessions, client=FeedClient(tmp_path / "cache"))
    assert len(report.failed) == 1
    assert "sent a web page" in report.failed[0] and "Ziad Aboultaif (hansard)" in report.failed[0]
    assert report.stored.inserted > 0  # the committees were read all the same
    checks = {c.pub_type: c for c in db.scalars(select(HouseRecordCheck))}
    assert "sent a web page" in (checks[37].error or "")
    assert checks[37].checked_to is None and checks[40017].checked_to is not None


@responses.activate
def test_a_rate_limited_search_fails_alone_and_keeps_what_was_read(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    demo_with_aboultaif(app, db)
    folder = hansard_folder(tmp_path / "house")
    fetch_outcomes(state(app).sessions, from_dir=folder)
    stored = db.scalar(select(func.count()).select_from(HouseIntervention))
    responses.add(responses.GET, _search(37), status=429, headers={"Retry-After": "60"})
    responses.add(
        responses.GET, _search(40017), body=(HANSARD / "89156-40017.xml").read_bytes(), headers=XML
    )
    report = fetch_outcomes(state(app).sessions, client=FeedClient(tmp_path / "cache"))
    assert len(report.failed) == 1 and "rate-limiting us (429)" in report.failed[0]
    assert db.scalar(select(func.count()).select_from(HouseIntervention)) == stored


@responses.activate
def test_the_search_is_asked_from_the_letter_and_politely(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    demo_with_aboultaif(app, db)
    app.config["CONTACT_EMAIL"] = "coalition@example.org"
    for pub_type in (37, 40017):
        body = (HANSARD / f"89156-{pub_type}.xml").read_bytes()
        responses.add(
            responses.GET, _search(pub_type), body=body, headers={**XML, "ETag": f'"{pub_type}"'}
        )
    pauses: list[float] = []
    from tracker.jobs.outcomes import run_fetch

    run_fetch(app, None, today=dt.date(2024, 11, 11), sleep=pauses.append)
    urls = [call.request.url for call in responses.calls]
    assert len(urls) == 2
    assert all("ParlSes=from2023-09-07to2024-11-11" in url for url in urls)
    assert pauses == [2.0]  # one request at a time, a pause between them
    agent = responses.calls[0].request.headers["User-Agent"]
    assert agent.startswith("Hilltrack/") and "coalition@example.org" in agent
    # Read again the next day: the House from 14 days back, the committees from 60, with the
    # validators of the last answer (conditional GET).
    run_fetch(app, None, today=dt.date(2024, 11, 12), sleep=pauses.append)
    again = [call.request for call in responses.calls][2:]
    assert "ParlSes=from2024-10-28to2024-11-12" in again[0].url
    assert "ParlSes=from2024-09-12to2024-11-12" in again[1].url


@responses.activate
def test_the_command_says_which_source_failed_and_exits_3(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    demo_with_aboultaif(app, db)
    app.config["OUTCOMES_PAUSE_SECONDS"] = 0
    responses.add(responses.GET, _search(37), status=429)
    responses.add(
        responses.GET,
        _search(40017),
        body=(HANSARD / "89156-40017.xml").read_bytes(),
        headers=XML,
    )
    result = app.test_cli_runner().invoke(args=["outcomes", "fetch", "--quiet"])
    assert result.exit_code == 3, result.output
    assert "failed: Ziad Aboultaif (hansard): the feed host is rate-limiting us (429)" in (
        result.output
    )


def test_an_answer_saved_under_another_member_s_id_is_not_put_in_their_mouth(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    _, recipient = demo_with_aboultaif(app, db)
    recipient.official.ourcommons_id = 88384  # as if the files were saved for Mélanie Joly
    db.commit()
    folder = tmp_path / "house"
    folder.mkdir()
    for pub_type in (37, 40017):
        (folder / f"88384-{pub_type}.xml").write_bytes(
            (HANSARD / f"89156-{pub_type}.xml").read_bytes()
        )
    result = app.test_cli_runner().invoke(args=["outcomes", "fetch", "--from-dir", str(folder)])
    assert "0 new" in result.output
    assert "770 item(s) were said by someone else than the member asked for; left out" in (
        result.output
    )
    assert db.scalar(select(func.count()).select_from(HouseIntervention)) == 0
