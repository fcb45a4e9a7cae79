"""Before a campaign's letters leave: a confirmation that counts them and warns, a tick for each
warning (on the page, and checked again on the server), the same warnings on the command line,
and the status the Letters page follows while letters are on their way."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from html import unescape
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tests.conftest import csrf_token_from, post_form
from tests.letters import LetterCampaign, letter_campaign, mail_config, send_ticked
from tests.mailserver import Recorder, running_server
from tests.test_letter_languages import change_language, flat, recipient_page
from tracker import clock
from tracker.jobs.letters import deliver_letters
from tracker.models import (
    Campaign,
    CampaignStatus,
    Letter,
    Official,
    Recipient,
    Role,
    RoleKind,
    Signatory,
    User,
    UserRole,
)
from tracker.queries.letters import send_checks, send_review
from tracker.rules import send_checks as rules

TODAY = clock.today()


@pytest.fixture
def smtp() -> Iterator[tuple[Recorder, int]]:
    recorder = Recorder()
    for _, port in running_server(recorder):
        yield recorder, port


@pytest.fixture
def test_config(test_config: dict[str, Any], smtp: tuple[Recorder, int]) -> dict[str, Any]:
    return {**test_config, **mail_config(smtp[1])}


@pytest.fixture
def letter(app: Flask, db: Session) -> LetterCampaign:
    """The demo letter, dated today and signed, every recipient in English and still in the
    role the letter names: nothing to warn of."""
    letter = letter_campaign(app, db, french=None)
    letter.campaign.letter_on = TODAY
    for recipient in letter.recipients:
        if recipient.role is not None:
            recipient.role.end_on = None
    db.commit()
    return letter


def keys(app: Flask, db: Session, campaign: Campaign, today: dt.date = TODAY) -> list[str]:
    db.expire_all()  # what the pages wrote
    with app.test_request_context():
        review = send_review(db, campaign)
        return [warning.key for warning in send_checks(db, campaign, review, today).warnings]


def texts(app: Flask, db: Session, campaign: Campaign) -> list[str]:
    db.expire_all()  # what the pages wrote
    with app.test_request_context():
        review = send_review(db, campaign)
        return [warning.text for warning in send_checks(db, campaign, review, TODAY).warnings]


def in_french_by_hand(recipient: Recipient) -> None:
    """The recipient's letter in French, its lines as a person wrote them (for French)."""
    recipient.language = "fr"
    recipient.address_line_language = recipient.salutation_language = None


def unsigned_and_a_year_old(db: Session, letter: LetterCampaign) -> None:
    db.execute(delete(Signatory).where(Signatory.campaign_id == letter.campaign.id))
    letter.campaign.letter_on = TODAY - dt.timedelta(days=365)
    db.commit()


def confirmation(client: FlaskClient, letter: LetterCampaign, **kw: Any) -> str:
    return unescape(
        client.get(f"/campaigns/{letter.campaign.id}/letters/send", **kw).get_data(as_text=True)
    )


def test_a_signed_letter_dated_today_to_current_office_holders_has_no_warning(
    app: Flask, db: Session, letter: LetterCampaign
) -> None:
    assert keys(app, db, letter.campaign) == []


def test_a_letter_nobody_signs_is_a_warning(
    app: Flask, db: Session, letter: LetterCampaign
) -> None:
    db.execute(delete(Signatory).where(Signatory.campaign_id == letter.campaign.id))
    db.commit()
    assert keys(app, db, letter.campaign) == ["signatories"]
    assert texts(app, db, letter.campaign) == ["The letter has no signatories: nobody signs it."]


@pytest.mark.parametrize(
    ("days", "warned"), [(-15, True), (-14, False), (0, False), (14, False), (15, True)]
)
def test_a_letter_dated_more_than_fourteen_days_either_side_of_today_is_a_warning(
    app: Flask, db: Session, letter: LetterCampaign, days: int, warned: bool
) -> None:
    letter.campaign.letter_on = TODAY + dt.timedelta(days=days)
    db.commit()
    assert keys(app, db, letter.campaign) == (["date"] if warned else [])


def test_an_undated_letter_is_dated_the_day_it_leaves_and_is_no_warning(
    app: Flask, db: Session, letter: LetterCampaign
) -> None:
    letter.campaign.letter_on = None
    db.commit()
    assert keys(app, db, letter.campaign) == []


def test_the_date_warning_says_how_far_and_which_way(app: Flask) -> None:
    with app.test_request_context():
        (before,) = rules.date_far_from_today(dt.date(2025, 12, 6), dt.date(2026, 12, 6))
        (after,) = rules.date_far_from_today(dt.date(2026, 12, 26), dt.date(2026, 12, 6))
    assert before.text == (
        "The letter is dated December 6, 2025, 365 days ago: change its date, or send it as dated."
    )
    assert after.text.startswith("The letter is dated December 26, 2026, 20 days from now")


def test_a_closed_campaign_is_a_warning_and_an_archived_one_sends_nothing(
    app: Flask, db: Session, letter: LetterCampaign
) -> None:
    letter.campaign.status = CampaignStatus.CLOSED
    db.commit()
    assert keys(app, db, letter.campaign) == ["closed"]
    letter.campaign.status = CampaignStatus.ARCHIVED
    db.commit()
    with app.test_request_context():
        checks = send_checks(db, letter.campaign, send_review(db, letter.campaign), TODAY)
    assert checks.refusal == "This campaign is archived; nothing can be sent from it."


def ended_minister(db: Session, letter: LetterCampaign, *, successor: bool) -> Role:
    """Harjit Sajjan, Minister of International Development on the letter, left that office a
    month ago; Ahmed Hussen holds it now when ``successor``."""
    sajjan = letter.by_name("Harjit S. Sajjan")
    role = Role(
        official_id=sajjan.official_id,
        kind=RoleKind.MINISTER,
        title="Minister of International Development",
        title_fr="ministre du Développement international",
        start_on=dt.date(2021, 10, 26),
        end_on=TODAY - dt.timedelta(days=30),
    )
    db.add(role)
    db.flush()
    sajjan.role_id = role.id
    if successor:
        hussen = Official(given_name="Ahmed", family_name="Hussen", name_key="ahmed hussen")
        db.add(hussen)
        db.flush()
        db.add(
            Role(
                official_id=hussen.id,
                kind=RoleKind.MINISTER,
                title=role.title,
                start_on=TODAY - dt.timedelta(days=29),
            )
        )
    db.commit()
    return role


def test_a_recipient_no_longer_in_their_role_is_a_warning_naming_the_current_holder(
    app: Flask, db: Session, letter: LetterCampaign
) -> None:
    ended_minister(db, letter, successor=True)
    sajjan = letter.by_name("Harjit S. Sajjan")
    assert keys(app, db, letter.campaign) == [f"role-{sajjan.id}"]
    (text,) = texts(app, db, letter.campaign)
    assert text.startswith(
        "Harjit S. Sajjan is no longer Minister of International Development (the role "
    )
    assert text.endswith("send anyway, or add the current holder, Ahmed Hussen.")


def test_a_french_reader_reads_the_ended_role_by_its_french_title(
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    signed_in: Callable[[UserRole], User],
) -> None:
    signed_in(UserRole.COORDINATOR)
    ended_minister(db, letter, successor=True)
    page = confirmation(client, letter, headers={"Accept-Language": "fr-CA,fr"})
    assert "Harjit S. Sajjan n'est plus ministre du Développement international" in page
    assert "ajoutez la personne qui occupe ce poste aujourd'hui, Ahmed Hussen." in page


def test_a_role_ended_with_nobody_known_in_it_says_to_add_whoever_holds_it(
    app: Flask, db: Session, letter: LetterCampaign
) -> None:
    ended_minister(db, letter, successor=False)
    (text,) = texts(app, db, letter.campaign)
    assert text.endswith("send anyway, or add whoever holds it now.")


def test_a_role_that_ended_after_another_holder_left_names_only_the_one_in_it_today(
    app: Flask, db: Session, letter: LetterCampaign
) -> None:
    role = ended_minister(db, letter, successor=True)
    gone = Official(given_name="Maryam", family_name="Monsef", name_key="maryam monsef")
    db.add(gone)
    db.flush()
    db.add(
        Role(
            official_id=gone.id,
            kind=RoleKind.MINISTER,
            title=role.title,
            start_on=TODAY - dt.timedelta(days=900),
            end_on=TODAY - dt.timedelta(days=800),
        )
    )
    db.commit()
    (text,) = texts(app, db, letter.campaign)
    assert "Monsef" not in text and "Ahmed Hussen" in text


def test_recipients_in_a_language_the_campaign_has_no_text_in_are_one_warning(
    app: Flask, db: Session, letter: LetterCampaign
) -> None:
    letter.campaign.body_fr = None  # the campaign written in English only
    in_french_by_hand(letter.by_name("Mélanie Joly"))
    db.commit()
    assert keys(app, db, letter.campaign) == ["language"]
    (text,) = texts(app, db, letter.campaign)
    assert text.startswith(
        "2 recipients read a language the campaign has no text in (Mélanie Joly, Stéphane Bergeron)"
    )
    assert rules.recipients_without_text([letter.by_name("Mélanie Joly")], ()) == []


def test_the_confirmation_counts_by_language_and_print_and_lists_every_warning(
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    signed_in: Callable[[UserRole], User],
) -> None:
    signed_in(UserRole.COORDINATOR)
    in_french_by_hand(letter.by_name("Mélanie Joly"))
    unsigned_and_a_year_old(db, letter)
    page = confirmation(client, letter)
    # The demo writes to Stéphane Bergeron in French too; the campaign has both versions, so
    # nobody waits for a text (that warning has its own test above).
    assert "<strong>12</strong> letters by e-mail in English" in page
    assert "<strong>2</strong> letters by e-mail in French" in page
    assert "<strong>1</strong> letter to print: no e-mail address" in page
    assert "2 warnings" in page
    assert page.count('name="confirm"') == 2
    assert "The letter has no signatories" in page
    assert "365 days ago" in page
    assert "no text in" not in page


def test_a_send_without_every_tick_is_refused_with_a_message_and_queues_nothing(
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    signed_in: Callable[[UserRole], User],
) -> None:
    signed_in(UserRole.COORDINATOR)
    unsigned_and_a_year_old(db, letter)
    path = f"/campaigns/{letter.campaign.id}/letters/send"
    token = csrf_token_from(client.get(path).get_data(as_text=True))
    for ticked in ([], ["date"]):
        response = client.post(path, data={"csrf_token": token, "confirm": ticked})
        assert response.status_code == 400
        page = unescape(response.get_data(as_text=True))
        left = 2 - len(ticked)
        assert f"Nothing was sent: {left} warning" in page
        assert db.scalars(select(Letter)).all() == []
    response = client.post(path, data={"csrf_token": token, "confirm": ["date", "signatories"]})
    assert response.status_code == 302
    assert len(db.scalars(select(Letter)).all()) == 14


def test_a_warning_that_appeared_after_the_page_was_shown_is_not_taken_as_ticked(
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    signed_in: Callable[[UserRole], User],
) -> None:
    signed_in(UserRole.COORDINATOR)
    path = f"/campaigns/{letter.campaign.id}/letters/send"
    token = csrf_token_from(client.get(path).get_data(as_text=True))  # no warning yet
    letter.campaign.status = CampaignStatus.CLOSED
    db.commit()
    response = client.post(path, data={"csrf_token": token})
    assert response.status_code == 400
    assert "The campaign is closed" in response.get_data(as_text=True)
    assert db.scalars(select(Letter)).all() == []


def test_the_confirmation_reads_in_french(
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    signed_in: Callable[[UserRole], User],
) -> None:
    signed_in(UserRole.COORDINATOR)
    unsigned_and_a_year_old(db, letter)
    page = confirmation(client, letter, headers={"Accept-Language": "fr-CA,fr"})
    assert "Avant l'envoi des lettres" in page
    assert "La lettre n'a aucun signataire" in page
    assert "il y a 365\u00a0jours" in page


def test_the_command_line_lists_the_warnings_and_sends_nothing_without_yes(
    app: Flask,
    db: Session,
    letter: LetterCampaign,
    smtp: tuple[Recorder, int],
    make_user: Callable[..., User],
) -> None:
    unsigned_and_a_year_old(db, letter)
    coordinator = make_user(UserRole.COORDINATOR)
    base = ["letters", "send", "--campaign", str(letter.campaign.id), "--by", coordinator.email]
    runner = app.test_cli_runner()
    refused = runner.invoke(args=base)
    assert refused.exit_code == 1, refused.output
    assert "warning The letter has no signatories" in refused.output
    assert "365 days ago" in refused.output
    assert "Nothing was sent: 2 warnings above." in refused.output
    db.expire_all()
    assert db.scalars(select(Letter)).all() == []

    sent = runner.invoke(args=[*base, "--yes", "--wait"])
    assert sent.exit_code == 0, sent.output
    assert len(smtp[0].received) == 14


def test_the_status_follows_each_letter_from_queued_to_sent(
    app: Flask,
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    signed_in: Callable[[UserRole], User],
) -> None:
    app.config["QUEUE_IMMEDIATE"] = False
    signed_in(UserRole.COORDINATOR)
    page = client.get(f"/campaigns/{letter.campaign.id}/letters/").get_data(as_text=True)
    assert "data-letter-status" not in page  # nothing on its way: nothing to follow
    send_ticked(client, letter.campaign.id)
    page = client.get(f"/campaigns/{letter.campaign.id}/letters/").get_data(as_text=True)
    assert "14 letters are queued or being sent." in page and "data-letter-status" in page

    status = client.get(f"/campaigns/{letter.campaign.id}/letters/status.json")
    assert status.mimetype == "application/json"
    assert status.json is not None
    assert status.json["in_flight"] == 14
    assert status.json["summary"] == "Queued: 14"
    assert {item["state"] for item in status.json["letters"]} == {"queued"}

    deliver_letters(app, letter.campaign.id)
    status = client.get(f"/campaigns/{letter.campaign.id}/letters/status.json")
    assert status.json is not None
    assert status.json["in_flight"] == 0
    assert status.json["summary"] == "Sent: 14"
    assert {item["label"] for item in status.json["letters"]} == {"Sent"}


def test_a_volunteer_cannot_read_the_letters_status(
    client: FlaskClient, letter: LetterCampaign, signed_in: Callable[[UserRole], User]
) -> None:
    signed_in(UserRole.VOLUNTEER)
    assert client.get(f"/campaigns/{letter.campaign.id}/letters/status.json").status_code == 403
    assert client.get(f"/campaigns/{letter.campaign.id}/letters/send").status_code == 403


def test_the_confirmation_reads_as_many_times_for_ten_ended_roles_as_for_one(
    client: FlaskClient,
    db: Session,
    connection: Any,
    letter: LetterCampaign,
    signed_in: Callable[[UserRole], User],
) -> None:
    from tests.test_query_counts import counted

    signed_in(UserRole.COORDINATOR)
    with_roles = [r for r in letter.recipients if r.role is not None]
    assert len(with_roles) == 10
    counts = []
    for ended in (with_roles[:1], with_roles):
        for recipient in ended:
            assert recipient.role is not None
            recipient.role.end_on = TODAY - dt.timedelta(days=1)
        db.commit()
        with counted(connection) as statements:
            page = confirmation(client, letter)
        assert page.count("is no longer") == len(ended)
        counts.append(len(statements))
    assert counts[0] == counts[1]


KEPT_LINE = {
    "en": "Chrystia Freeland's letter is in French, but its address line is still in English: "
    "write the address line in French on the recipient's page.",
    "fr": "La lettre à Chrystia Freeland est en français, mais sa ligne d\u2019adresse est encore "
    "en anglais\u202f: écrivez la ligne d\u2019adresse en français sur la page du destinataire.",
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_french_letter_whose_address_line_stayed_in_english_is_a_warning_with_a_link(
    app: Flask,
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    signed_in: Callable[[UserRole], User],
    language: str,
) -> None:
    """Hilltrack knows no French for "Deputy Prime Minister and Minister of Finance": the
    line stays in English when her letter turns French, and the send asks about it."""
    coordinator = signed_in(UserRole.COORDINATOR)
    freeland = letter.by_name("Chrystia Freeland")
    change_language(client, letter, [freeland], "fr")
    assert keys(app, db, letter.campaign) == [f"lines-{freeland.id}"]
    headers = {"Accept-Language": "fr-CA,fr"} if language == "fr" else {}
    page = confirmation(client, letter, headers=headers)
    assert flat(KEPT_LINE[language]) in flat(page)
    assert f'href="{recipient_page(letter.campaign, freeland)}"' in page
    if language == "en":  # the command line asks the same
        command = ["letters", "send", "--campaign", str(letter.campaign.id)]
        refused = app.test_cli_runner().invoke(args=[*command, "--by", coordinator.email])
        assert refused.exit_code == 1, refused.output
        assert f"warning {KEPT_LINE['en']}" in refused.output


def edit_lines(
    client: FlaskClient, letter: LetterCampaign, recipient: Recipient, **values: str
) -> None:
    """Save the recipient's page with ``values`` over the lines as they are."""
    url = recipient_page(letter.campaign, recipient)
    data = {
        "addressed_as": recipient.addressed_as,
        "salutation": recipient.salutation,
        "language": recipient.language,
        **values,
    }
    response = post_form(client, url, data, token_page=url)
    assert response.status_code == 302


def test_a_line_a_person_writes_is_no_warning_and_a_salutation_left_in_english_is_one(
    app: Flask,
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    signed_in: Callable[[UserRole], User],
) -> None:
    signed_in(UserRole.COORDINATOR)
    freeland, joly = letter.by_name("Chrystia Freeland"), letter.by_name("Mélanie Joly")
    change_language(client, letter, [freeland], "fr")
    db.expire_all()
    edit_lines(
        client,
        letter,
        freeland,
        addressed_as="L'honorable Chrystia Freeland, vice-première ministre",
    )
    assert keys(app, db, letter.campaign) == []
    # Her line written in French by hand as her letter turns French; the salutation is left.
    edit_lines(
        client,
        letter,
        joly,
        addressed_as="L'honorable Mélanie Joly, ministre des Affaires étrangères",
        language="fr",
    )
    db.expire_all()
    assert joly.salutation.startswith("Dear")
    assert texts(app, db, letter.campaign) == [
        "Mélanie Joly's letter is in French, but its salutation is still in English: write the "
        "salutation in French on the recipient's page."
    ]
    # Back in English, Hilltrack writes both lines again: nothing is left in French.
    change_language(client, letter, [joly], "en")
    assert keys(app, db, letter.campaign) == []


def kept_on_each_surface(
    app: Flask, client: FlaskClient, db: Session, letter: LetterCampaign
) -> dict[str, dict[int, str]]:
    """Which recipients each surface says have a line in another language, with its words:
    the confirmation before a send, the Letters page's rows and each recipient's page."""
    db.expire_all()
    with app.test_request_context():
        review = send_review(db, letter.campaign)
        warnings = send_checks(db, letter.campaign, review, TODAY).warnings
    letters = unescape(client.get(f"/campaigns/{letter.campaign.id}/letters/").get_data(True))
    rows = {}
    for row in letters.split('<tr data-recipient="')[1:]:
        hint = re.search(r'<div class="kept-lines"><small class="field-error">(.*?)</small>', row)
        if hint:
            rows[int(row.split('"', 1)[0])] = hint.group(1)
    pages = {}
    for recipient in letter.recipients:
        page = unescape(client.get(recipient_page(letter.campaign, recipient)).get_data(True))
        notice = re.search(r'<p class="field-error" id="kept-lines">(.*?)</p>', page, re.S)
        if notice:
            pages[recipient.id] = notice.group(1)
    return {
        "send check": {w.recipient_id: w.text for w in warnings if w.recipient_id is not None},
        "letters page": rows,
        "recipient page": pages,
    }


def test_the_send_check_the_letters_page_and_the_recipient_page_name_the_same_lines(
    app: Flask,
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    signed_in: Callable[[UserRole], User],
) -> None:
    signed_in(UserRole.COORDINATOR)
    trudeau, freeland, joly = (
        letter.by_name(name) for name in ("Justin Trudeau", "Chrystia Freeland", "Mélanie Joly")
    )
    change_language(client, letter, [trudeau, freeland], "fr")  # his title has a French form
    edit_lines(client, letter, joly, addressed_as="L'honorable Mélanie Joly", language="fr")
    surfaces = kept_on_each_surface(app, client, db, letter)
    assert set(surfaces["send check"]) == {freeland.id, joly.id}
    assert surfaces["letters page"] == surfaces["send check"]
    assert surfaces["recipient page"] == surfaces["send check"]
