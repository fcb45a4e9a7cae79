"""What a French reader sees is French whoever read the page first (the language of a recipient's
letter on the campaign page), and the officials spreadsheet's columns are introduced in French."""

from __future__ import annotations

from collections.abc import Callable
from html import unescape

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.letters import letter_campaign
from tests.test_contacts_paste import paste
from tests.test_officials_upload import upload
from tracker.models import User, UserRole

FRENCH = {"Accept-Language": "fr-CA,fr;q=0.9"}
ENGLISH = {"Accept-Language": "en-CA,en;q=0.9"}


def test_a_french_reader_sees_anglais_on_the_campaign_page_after_an_english_reader(
    app: Flask, client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    letter = letter_campaign(app, db)
    signed_in(UserRole.COORDINATOR)
    url = f"/campaigns/{letter.campaign.id}"
    in_english = client.get(url, headers=ENGLISH).get_data(as_text=True)
    assert " · English</small>" in in_english

    in_french = client.get(url, headers=FRENCH).get_data(as_text=True)
    assert " · anglais</small>" in in_french
    assert " · English</small>" not in in_french


def test_an_english_reader_sees_english_after_a_french_reader(
    app: Flask, client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    letter = letter_campaign(app, db)
    signed_in(UserRole.COORDINATOR)
    url = f"/campaigns/{letter.campaign.id}"
    assert " · anglais</small>" in client.get(url, headers=FRENCH).get_data(as_text=True)
    in_english = client.get(url, headers=ENGLISH).get_data(as_text=True)
    assert " · English</small>" in in_english
    assert "anglais" not in in_english


def test_the_officials_spreadsheet_page_lists_its_columns_in_french(
    client: FlaskClient, signed_in: Callable[[UserRole], User]
) -> None:
    signed_in(UserRole.COORDINATOR)
    page = client.get("/officials/upload", headers=FRENCH).get_data(as_text=True)
    assert "Colonnes\u00a0: given_name, family_name, et au choix person_id," in page
    assert "and any of" not in page
    english = client.get("/officials/upload", headers=ENGLISH).get_data(as_text=True)
    assert "Columns: given_name, family_name, and any of person_id," in english


def test_the_spreadsheet_preview_says_in_french_how_it_was_read_and_each_kind_of_role(
    client: FlaskClient, signed_in: Callable[[UserRole], User]
) -> None:
    signed_in(UserRole.COORDINATOR)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr-CA,fr;q=0.9"
    sheet = (
        "given_name,family_name,role_kind,title,organisation\n"
        "Louise,Corbin,public_servant,Director General,Global Affairs Canada\n"
        "Pat,Odd,astronaut,Somebody,Somewhere\n"
    )
    page = upload(client, sheet.encode()).get_data(as_text=True)
    assert "(UTF-8 valide)" in page
    assert "valid UTF-8" not in page
    assert "Fonctionnaire" in page
    assert "public servant" not in page
    assert "astronaut" in page  # not a kind: left as typed, beside the row's problem

    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-CA,en;q=0.9"
    english = upload(client, sheet.encode()).get_data(as_text=True)
    assert "(valid UTF-8)" in english
    assert "Public servant" in english


def test_a_pasted_cell_that_is_no_contact_is_quoted_as_each_language_quotes(
    client: FlaskClient, signed_in: Callable[[UserRole], User]
) -> None:
    signed_in(UserRole.COORDINATOR)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr-CA,fr;q=0.9"
    french = unescape(paste(client, "Robert Oliphant, it's-no-email\n").get_data(as_text=True))
    assert "«\u00a0it's-no-email\u00a0» n'est ni une adresse courriel" in french
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-CA,en;q=0.9"
    english = unescape(paste(client, "Robert Oliphant, it's-no-email\n").get_data(as_text=True))
    assert "“it's-no-email” is not an e-mail address, a phone or an address" in english
    assert '"it\'s-no-email"' not in english  # not a programmer's quoting of the text
