"""A day written out, in either language, by one rule (tracker/rules/dates.py): French writes
the first of a month as an ordinal ("1er décembre"), on a letter to a French minister as on the
pages; a follow-up's date after planning it is written in the reader's language, with its year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.conftest import post_form
from tracker import clock
from tracker.formats.letters import LetterText
from tracker.models import Official, User, UserRole
from tracker.rules.dates import long_day

FIRST = dt.date(2026, 12, 1)
FRENCH = {"Accept-Language": "fr"}


def letter(language: str, dated: dt.date) -> LetterText:
    return LetterText(language, dated, "Objet", ("Ministre",), "Madame la Ministre,", "", (), "X")


def test_a_french_letter_dated_the_first_says_1er_and_the_second_does_not() -> None:
    assert letter("fr", FIRST).date_line == "1er décembre 2026"
    assert letter("fr", dt.date(2026, 12, 2)).date_line == "2 décembre 2026"
    assert letter("en", FIRST).date_line == "December 1, 2026"
    assert long_day(dt.date(2023, 9, 1), "fr") == "1er septembre 2023"
    assert long_day(dt.date(2023, 9, 11), "fr") == "11 septembre 2023"  # not "11er"


def test_planning_a_follow_up_says_its_date_in_the_readers_language_with_its_year(
    client: FlaskClient, db: Session, signed_in: Callable[[UserRole], User]
) -> None:
    signed_in(UserRole.COORDINATOR)
    official = Official(given_name="Ada", family_name="Member", name_key="ada member")
    db.add(official)
    db.commit()
    due = dt.date(clock.today().year + 1, 1, 1)
    for headers, said in (
        (FRENCH, f"Suivi prévu pour le 1er janvier {due.year}"),
        ({}, f"Follow-up planned for January 1, {due.year}"),
    ):
        page = post_form(
            client,
            "/follow-ups/plan",
            {"fu-official_id": str(official.id), "fu-due_on": due.isoformat(), "fu-note": "Call"},
            token_page=f"/officials/{official.id}",
            headers=headers,
            follow_redirects=True,
        )
        assert said in page.get_data(as_text=True)
