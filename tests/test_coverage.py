"""Honest coverage: for every category, how many the directory knows, from which source and as
of when; where none, why and what to do, on the pages, in add by role and on the command line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.conftest import csrf_token_from
from tests.feeds import feed_folder
from tests.importing import run_import
from tracker.models import User, UserRole
from tracker.queries.coverage import coverage, summary


def test_coverage_counts_each_category_and_says_why_one_is_empty(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    run_import(app, feed_folder(tmp_path / "feeds"))
    lines = {line.category: line for line in coverage(db)}
    assert lines["MPs"].count == 342 and lines["MPs"].sources == ("members",)
    assert lines["MPs"].as_of is not None
    assert lines["Ministers"].count == 27 and lines["Secretaries of state"].count == 11
    assert lines["Parliamentary secretaries"].count == 0
    assert "no file of parliamentary secretaries" in (
        lines["Parliamentary secretaries"].why_none or ""
    )
    assert lines["Committee chairs"].count == 0 and lines["Contact details"].count == 0
    assert "Open North Represent" in (lines["Contact details"].why_none or "")
    text = summary(list(lines.values()))
    assert text.startswith("The directory holds 342 MPs, 27 ministers, 11 secretaries of state")
    assert "None yet: parliamentary secretaries, committee chairs" in text


def test_the_pages_and_add_by_role_say_what_is_known_and_why_none_can_be_added(
    app: Flask,
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    db: Session,
    tmp_path: Path,
) -> None:
    run_import(app, feed_folder(tmp_path / "feeds"))
    signed_in(UserRole.COORDINATOR)
    officials = client.get("/officials/").get_data(as_text=True)
    assert "What the directory covers" in officials
    assert "no file of parliamentary secretaries" in officials
    assert "What the directory covers" in client.get("/imports/").get_data(as_text=True)
    token = csrf_token_from(client.get("/campaigns/new").get_data(as_text=True))
    created = client.post(
        "/campaigns/new",
        data={
            "csrf_token": token,
            "title": "Letter",
            "status": "active",
            "letter_on": "2026-01-12",
        },
    )
    page = created.headers["Location"]
    form = client.get(page).get_data(as_text=True)
    assert "Parliamentary secretaries (to a given minister) · 0 known now" in form
    assert "All current ministers (and the Prime Minister) · 27 known now" in form
    preview = client.post(
        f"{page}/recipients/by-role",
        data={
            "csrf_token": csrf_token_from(form),
            "byrole-selection": "parliamentary_secretaries",
            "byrole-minister": "",
            "byrole-language": "en",
        },
    ).get_data(as_text=True)
    assert "No one in the directory holds this role" in preview
    assert "Run an import with network access" in preview
    assert "Added 0 recipients" not in preview


def test_the_bundled_import_prints_what_it_covers_and_lacks(app: Flask, db: Session) -> None:
    result = app.test_cli_runner().invoke(args=["import", "officials", "--bundled"])
    assert result.exit_code == 0, result.output
    assert "The directory holds 342 MPs" in result.output
    assert "None yet: parliamentary secretaries" in result.output
    again = app.test_cli_runner().invoke(args=["import", "officials", "--bundled", "--if-empty"])
    assert "The directory holds 342 MPs" in again.output
