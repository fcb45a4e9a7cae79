"""What was said since the letter, on the demo campaign with Ziad Aboultaif's real House record:
the campaign page, the "What was said" page, the official's page, the dashboard and the export
show exactly the interventions after the letter that match the demo's subject words."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from importers import hansard
from tests.conftest import post_form
from tests.feeds import HANSARD
from tests.outcomes import ABOULTAIF, demo_with_aboultaif, hansard_folder
from tracker.models import (
    Campaign,
    HouseIntervention,
    Official,
    Recipient,
    Role,
    RoleKind,
    User,
    UserRole,
)
from tracker.operations.outcomes import (
    fetch_outcomes,
    record_read,
    set_subject_words,
    store_interventions,
)
from tracker.queries.outcomes import (
    MemberOutcome,
    Outcome,
    RecipientOutcome,
    Said,
    by_recipient,
    letter_date,
    official_outcomes,
    outcomes_of,
    spoke_counts,
)
from tracker.web.db import state
from tracker.web.said_line import not_in_house_line, said_line

# On the subject after 2023-09-07: nine interventions at the Foreign Affairs committee (four on
# 2023-10-30, five on 2024-02-28) and one interjection; before it, 2023-01-18 and 2022-09-28.
AFTER = ["2023-10-30"] * 4 + ["2024-02-28"] * 6
BEFORE = ("January 18, 2023", "September 28, 2022")


@pytest.fixture
def demo(app: Flask, db: Session, tmp_path: Path) -> tuple[Campaign, Recipient]:
    campaign, recipient = demo_with_aboultaif(app, db)
    fetch_outcomes(state(app).sessions, from_dir=hansard_folder(tmp_path / "house"))
    # His whole record, also what came before the letter, as if another letter had asked.
    with state(app).sessions() as session:
        items = hansard.read_member(HANSARD, ABOULTAIF, 37) or []
        store_interventions(session, items + (hansard.read_member(HANSARD, ABOULTAIF, 40017) or []))
        session.commit()
    return campaign, recipient


def test_the_campaign_page_says_who_spoke_on_it_and_who_cannot_have(
    client: FlaskClient, signed_in: Callable[[UserRole], User], demo: tuple[Campaign, Recipient]
) -> None:
    signed_in(UserRole.VOLUNTEER)
    html = client.get(f"/campaigns/{demo[0].id}").get_data(as_text=True)
    assert "Spoke on it 9 times since the letter" in html
    assert "last February 28, 2024, Standing Committee on Foreign Affairs" in html
    assert "and 1 interjection" in html
    # Louise Corbin (a public servant) and the demo's officials with no House role.
    assert "Not a member of the House: not in the House record" in html


def test_what_was_said_lists_exactly_the_matching_interventions_after_the_letter(
    client: FlaskClient, signed_in: Callable[[UserRole], User], demo: tuple[Campaign, Recipient]
) -> None:
    signed_in(UserRole.VOLUNTEER)
    html = client.get(f"/campaigns/{demo[0].id}/said").get_data(as_text=True)
    assert html.count('<article class="said">') == 9
    assert html.count('<article class="said interjection">') == 1
    assert html.count("<strong>October 30, 2023</strong>") == 4
    assert html.count("<strong>February 28, 2024</strong>") == 6
    assert not any(day in html for day in BEFORE)
    assert "people of the <mark>Karabakh</mark> region" in html
    assert 'href="https://www.ourcommons.ca/Content/Committee/441/FAAE/' in html
    house_only = client.get(f"/campaigns/{demo[0].id}/said?where=house").get_data(as_text=True)
    assert '<article class="said' not in house_only


def test_the_export_lists_the_same_interventions(
    client: FlaskClient, signed_in: Callable[[UserRole], User], demo: tuple[Campaign, Recipient]
) -> None:
    signed_in(UserRole.COORDINATOR)
    response = client.get(f"/exports/outcomes.csv?campaign={demo[0].id}")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["campaign", "date", "official", "PersonId"]
    assert [r[1] for r in rows[1:]] == AFTER
    assert {r[2] for r in rows[1:]} == {"Ziad Aboultaif"} and {r[3] for r in rows[1:]} == {"89156"}
    assert {r[4] for r in rows[1:]} == {"committee"}


def test_the_export_command_writes_the_same_rows(
    app: Flask, demo: tuple[Campaign, Recipient], tmp_path: Path
) -> None:
    out = tmp_path / "said.csv"
    result = app.test_cli_runner().invoke(
        args=["export", "outcomes", "--campaign", str(demo[0].id), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [r[1] for r in rows[1:]] == AFTER


def test_the_official_s_page_and_the_dashboard_tell_it_too(
    client: FlaskClient, signed_in: Callable[[UserRole], User], demo: tuple[Campaign, Recipient]
) -> None:
    signed_in(UserRole.VOLUNTEER)
    page = client.get(f"/officials/{demo[1].official_id}").get_data(as_text=True)
    assert "Said in Parliament since the letters" in page
    assert "Spoke on it 9 times since the letter" in page
    home = client.get("/").get_data(as_text=True)
    assert "1 of 16 recipients spoke on the subject since the letter" in home


def test_the_home_page_counts_by_the_campaign_page_s_rule(
    db: Session, demo: tuple[Campaign, Recipient]
) -> None:
    """The home page counts in SQL what the campaign's page reads in full: both agree, with a
    member whose seat ended before the letter, one without a PersonId, and one who spoke."""
    campaign, speaker = demo
    others = [o.recipient for o in outcomes_of(db, [campaign.id])[campaign.id]]
    seat_ended, sitting, unknown = [r for r in others if r.id != speaker.id][:3]
    for person, recipient, ended in (
        (990001, seat_ended, dt.date(2020, 1, 1)),
        (990002, sitting, None),
    ):
        recipient.official.ourcommons_id = person
        db.add(
            Role(
                official_id=recipient.official_id,
                kind=RoleKind.MP,
                title="Member of Parliament",
                start_on=dt.date(2015, 1, 1),
                end_on=ended,
                source="manual",
            )
        )
    db.commit()
    outcomes = outcomes_of(db, [campaign.id])[campaign.id]
    counted = spoke_counts(db, [campaign])[campaign.id]
    assert (counted.spoke, counted.recipients, counted.in_house) == (
        sum(1 for o in outcomes if o.spoken),
        len(outcomes),
        sum(1 for o in outcomes if o.in_house),
    )
    assert counted.spoke == 1
    assert not next(o for o in outcomes if o.recipient.id == seat_ended.id).in_house
    assert not next(o for o in outcomes if o.recipient.id == unknown.id).in_house
    assert next(o for o in outcomes if o.recipient.id == sitting.id).in_house


def test_text_from_the_feed_is_shown_as_text(
    app: Flask,
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    demo: tuple[Campaign, Recipient],
) -> None:
    hostile = hansard.Intervention(
        item_id=1,
        publication_id=2,
        pub_type=40017,
        title="<script>alert(1)</script>",
        spoken_on=dt.date(2024, 3, 1),
        parliament=44,
        session=1,
        organization='<img src=x onerror="alert(2)">',
        order_of_business=None,
        subject_of_business=None,
        intervention_type=None,
        person_id=ABOULTAIF,
        speaker="Ziad Aboultaif",
        paragraphs=("On <b>Armenia</b> today.",),
        terms=(),
        record_url=None,
        video_url=None,
    )
    with state(app).sessions() as session:
        store_interventions(session, [hostile])
        session.commit()
    signed_in(UserRole.VOLUNTEER)
    html = client.get(f"/campaigns/{demo[0].id}/said").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "<img src=x" not in html
    assert "On &lt;b&gt;<mark>Armenia</mark>&lt;/b&gt; today." in html


def test_a_coordinator_sets_the_subject_words_in_both_languages(
    client: FlaskClient, signed_in: Callable[[UserRole], User], demo: tuple[Campaign, Recipient]
) -> None:
    signed_in(UserRole.COORDINATOR)
    page = f"/campaigns/{demo[0].id}/said"
    response = post_form(
        client,
        f"{page}/subject",
        {"english": "Yerevan\n", "french": "Erevan"},
        token_page=page,
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Subject words saved." in html
    assert "The subject: Yerevan, Erevan." in html
    assert html.count('<article class="said">') == 1  # "116,000 people in Yerevan"


def test_a_parliamentary_secretary_answering_in_the_house_shows_on_the_minister_s_row(
    app: Flask,
    db: Session,
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    tmp_path: Path,
) -> None:
    campaign, recipient = demo_with_aboultaif(app, db)
    recipient.role_title = "Parliamentary Secretary to the Minister of Foreign Affairs"
    with app.app_context():
        set_subject_words(db, campaign, ["carbon tax"], ["taxe sur le carbone"])
    db.commit()
    fetch_outcomes(state(app).sessions, from_dir=hansard_folder(tmp_path / "house"))
    signed_in(UserRole.VOLUNTEER)
    html = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    joly = html[html.index("Mélanie Joly") : html.index("Robert Rae")]
    assert re.search(r"answered in the House by their parliamentary secretary \(\d+ times?\)", joly)
    # The campaign page's column (plain values) and the outcomes page (ORM rows) agree.
    everyone = {o.recipient.id: o for o in outcomes_of(db, [campaign.id])[campaign.id]}
    assert any(o.answered_for for o in everyone.values())
    _agree(everyone, by_recipient(db, campaign))
    said = client.get(f"/campaigns/{campaign.id}/said").get_data(as_text=True)
    assert "<mark>carbon tax</mark>" in said.lower()
    # An official's page reads their own rows, and still their secretary's answers.
    minister = db.scalars(select(Official).where(Official.family_name == "Joly")).one()
    minister.ourcommons_id = 990003
    db.add(
        Role(
            official_id=minister.id,
            kind=RoleKind.MP,
            title="Member of Parliament",
            start_on=dt.date(2015, 1, 1),
            source="manual",
        )
    )
    db.commit()
    row = next(
        o
        for o in outcomes_of(db, [campaign.id])[campaign.id]
        if o.recipient.official_id == minister.id
    )
    [letter] = official_outcomes(db, minister)
    assert len(letter.outcome.answered_for) == len(row.answered_for) >= 1


def test_the_page_says_what_it_cannot_know(
    client: FlaskClient, signed_in: Callable[[UserRole], User], demo: tuple[Campaign, Recipient]
) -> None:
    signed_in(UserRole.VOLUNTEER)
    html = client.get(f"/campaigns/{demo[0].id}/said").get_data(as_text=True)
    assert "Only members of the House speak in its record" in html
    assert "a week it did not sit is shown as such, never as a silence" in html
    assert "committee evidence is published weeks late" in html


def test_a_coordinator_picks_an_index_term_seen_in_what_matched(
    client: FlaskClient, signed_in: Callable[[UserRole], User], demo: tuple[Campaign, Recipient]
) -> None:
    signed_in(UserRole.COORDINATOR)
    page = f"/campaigns/{demo[0].id}/said"
    post_form(client, f"{page}/subject", {"english": "Yerevan", "french": ""}, token_page=page)
    html = client.get(page).get_data(as_text=True)
    assert html.count('<article class="said">') == 1
    assert 'name="terms" value="55942"' in html  # "Armenia", an index term of that intervention
    response = post_form(
        client,
        f"{page}/subject",
        {"english": "Yerevan", "french": "", "terms": "55942"},
        token_page=page,
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "The subject: Yerevan, Armenia." in html  # the words, then the picked terms
    assert html.count('<article class="said">') > 1
    assert 'value="55942" checked' in html


def test_without_subject_words_no_one_reads_as_silent(
    app: Flask,
    db: Session,
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    tmp_path: Path,
) -> None:
    campaign, _ = demo_with_aboultaif(app, db)
    with app.app_context():
        set_subject_words(db, campaign, [], [])
    db.commit()
    fetch_outcomes(state(app).sessions, from_dir=hansard_folder(tmp_path / "house"))
    signed_in(UserRole.VOLUNTEER)
    html = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    assert "No subject words yet: nothing can match" in html
    assert "Did not speak on it since the letter" not in html


def test_subject_words_too_long_are_refused_with_a_reason(
    client: FlaskClient, signed_in: Callable[[UserRole], User], demo: tuple[Campaign, Recipient]
) -> None:
    signed_in(UserRole.COORDINATOR)
    page = f"/campaigns/{demo[0].id}/said"
    response = post_form(
        client,
        f"{page}/subject",
        {"english": "Armenia\n" * 600, "french": ""},
        token_page=page,
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "The subject words were not saved: Field cannot be longer than 4000 characters." in html
    assert "The subject: Armenia, Armenian," in html  # unchanged


def test_an_intervention_on_the_subject_by_its_index_terms_shows_what_was_said(
    client: FlaskClient, signed_in: Callable[[UserRole], User], demo: tuple[Campaign, Recipient]
) -> None:
    signed_in(UserRole.VOLUNTEER)
    html = client.get(f"/campaigns/{demo[0].id}/said").get_data(as_text=True)
    note = "The subject is in the index terms or the subject of business, not in the words spoken."
    after_note = html.split(note)[1].removeprefix("</p>")
    assert after_note.lstrip().startswith("<p>Do you know if this item is on the table now?</p>")


def _made_up_sitting(db: Session, on: dt.date, number: int) -> None:
    """Made up: another member we follow spoke in the House's debate numbered ``number``."""
    db.add(
        HouseIntervention(
            item_id=900_000_000 + number,
            publication_id=900_000_000 + number,
            pub_type=37,
            title=f"Hansard - {number}",
            spoken_on=on,
            parliament=44,
            session=1,
            organization="House of Commons",
            person_id=999_001,
            speaker="A made-up member",
            paragraphs=[],
            terms=[],
        )
    )
    db.commit()


def _week_row(html: str, period: str) -> str:
    found = re.search(rf"<td>{period}</td>\s*<td[^>]*>(.*?)</td>", html)
    assert found, f"no row for {period}"
    return found.group(1)


def test_a_recess_reads_as_the_house_not_sitting_and_a_gap_as_not_known(
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    db: Session,
    demo: tuple[Campaign, Recipient],
) -> None:
    signed_in(UserRole.VOLUNTEER)
    page = f"/campaigns/{demo[0].id}/said"
    recess = "December 18, 2023 to January 28, 2024"
    # His own debates, 265 on Dec. 11 and 271 on Jan. 30, leave a gap: who knows what sat.
    assert "Not known" in _week_row(client.get(page).get_data(as_text=True), recess)
    # Debate 270 on Dec. 15 and his 271 on Jan. 30 follow each other: nothing sat between.
    _made_up_sitting(db, dt.date(2023, 12, 15), 270)
    html = client.get(page).get_data(as_text=True)
    assert _week_row(html, "December 4, 2023 to December 17, 2023") == "Sat (4 days on record)"
    assert _week_row(html, recess) == "Did not sit"
    assert _week_row_said(html, "February 26, 2024 to March 3, 2024") == "5 interventions"
    french = client.get(page, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "N\u2019a pas siégé" in french


def _week_row_said(html: str, period: str) -> str:
    found = re.search(rf"<td>{period}</td>\s*<td[^>]*>.*?</td>\s*<td[^>]*>(.*?)</td>", html)
    assert found, f"no row for {period}"
    return found.group(1)


def test_a_recipient_written_to_in_a_recess_did_not_sit_rather_than_did_not_speak(
    client: FlaskClient, signed_in: Callable[[UserRole], User], app: Flask, db: Session
) -> None:
    campaign, _ = demo_with_aboultaif(app, db)
    campaign.letter_on = dt.date(2023, 12, 18)
    for pub_type in (37, 40017):
        record_read(db, ABOULTAIF, pub_type, dt.date(2023, 12, 18), dt.date(2024, 1, 28))
    _made_up_sitting(db, dt.date(2024, 1, 30), 271)
    signed_in(UserRole.VOLUNTEER)
    html = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    assert "Did not speak on it since the letter" in html  # nothing tells the recess yet
    _made_up_sitting(db, dt.date(2023, 12, 15), 270)
    html = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    assert "The House has not sat since the letter" in html
    assert "Did not speak on it since the letter" not in html


def test_the_campaign_page_reads_in_full_only_the_rows_that_say_more(
    app: Flask, db: Session, demo: tuple[Campaign, Recipient]
) -> None:
    """The campaign page's column reads its members of the House and its ministers in full
    (by_recipient); every other row says "not in the House record", as campaign_outcomes
    would: with a member whose seat ended before the letter, one sitting, one without a
    PersonId, a minister outside the House and one who spoke."""
    campaign, speaker = demo
    others = [
        o.recipient
        for o in outcomes_of(db, [campaign.id])[campaign.id]
        if o.recipient.id != speaker.id
        and o.recipient.role_kind not in (RoleKind.MINISTER.value, RoleKind.PRIME_MINISTER.value)
        and not (o.recipient.role_title or "").startswith("Minister")
    ]
    seat_ended, sitting, unknown, minister = others[:4]
    for person, recipient, ended in (
        (990001, seat_ended, dt.date(2020, 1, 1)),
        (990002, sitting, None),
    ):
        recipient.official.ourcommons_id = person
        db.add(
            Role(
                official_id=recipient.official_id,
                kind=RoleKind.MP,
                title="Member of Parliament",
                start_on=dt.date(2015, 1, 1),
                end_on=ended,
                source="manual",
            )
        )
    minister.role_kind, minister.official.ourcommons_id = RoleKind.MINISTER.value, None
    db.commit()
    everyone = {o.recipient.id: o for o in outcomes_of(db, [campaign.id])[campaign.id]}
    shown = by_recipient(db, campaign)
    assert {speaker.id, sitting.id, minister.id} <= set(shown)
    assert seat_ended.id not in shown and unknown.id not in shown
    with app.test_request_context():
        for rid, outcome in everyone.items():
            if rid in shown:
                assert said_line(shown[rid], campaign.id) == said_line(outcome, campaign.id)
            else:
                assert said_line(outcome, campaign.id) == not_in_house_line(campaign.id)
    _agree(everyone, shown)


def _facts(outcome: Outcome[Any, Any]) -> tuple[object, ...]:
    """What an outcome says, whichever way its recipients were read (ORM rows or plain values):
    the same rule must give the same facts."""

    def said(items: list[Said[Any, Any]]) -> list[tuple[object, ...]]:
        return [
            (
                s.intervention.id,
                s.recipient.id,
                s.official.id,
                s.official.full_name,
                s.words,
                s.paragraphs,
                s.for_minister.id if s.for_minister else None,
            )
            for s in items
        ]

    r = outcome.recipient
    return (
        (r.id, r.campaign_id, r.official_id, r.role_title, r.role_kind, letter_date(r)),
        (r.official.id, r.official.ourcommons_id, r.official.full_name),
        outcome.in_house,
        outcome.since,
        outcome.checked_to,
        outcome.failed,
        outcome.has_subject,
        outcome.house_did_not_sit,
        said(outcome.said),
        said(outcome.answered_for),
    )


def _agree(everyone: dict[int, RecipientOutcome], shown: dict[int, MemberOutcome]) -> None:
    for rid, outcome in shown.items():
        assert _facts(outcome) == _facts(everyone[rid])
    for rid, outcome in everyone.items():
        if rid not in shown:
            assert not outcome.in_house and not outcome.answered_for


def test_the_home_page_counts_a_speaker_as_soon_as_the_house_record_is_read(
    app: Flask,
    client: FlaskClient,
    db: Session,
    signed_in: Callable[[UserRole], User],
    tmp_path: Path,
) -> None:
    """The home page keeps each campaign's line per campaign revision: reading the House
    record changes the revision, so the next view counts the speaker."""
    demo_with_aboultaif(app, db)
    signed_in(UserRole.VOLUNTEER)
    before = client.get("/").get_data(as_text=True)
    assert "0 of 16 recipients spoke on the subject since the letter" in before
    fetch_outcomes(state(app).sessions, from_dir=hansard_folder(tmp_path / "house"))
    after = client.get("/").get_data(as_text=True)
    assert "1 of 16 recipients spoke on the subject since the letter" in after
