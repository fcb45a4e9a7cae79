"""Which language a person reads: their saved choice, else their browser's, else the
installation's default; one click from every page's header; dates, numbers and percentages
written the French way in French."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.conftest import post_form
from tracker.models import Campaign, CampaignStatus, User, UserRole

FRENCH = {"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"}
ENGLISH = {"Accept-Language": "en-CA,en;q=0.9"}


def test_a_french_browser_gets_french_and_an_english_one_english(client: FlaskClient) -> None:
    french = client.get("/login", headers=FRENCH).get_data(as_text=True)
    english = client.get("/login", headers=ENGLISH).get_data(as_text=True)
    assert '<html lang="fr">' in french and "Se connecter à Hilltrack" in french
    assert '<html lang="en">' in english and "Sign in to Hilltrack" in english


@pytest.fixture
def test_config(test_config: dict[str, Any]) -> dict[str, Any]:
    return {**test_config, "DEFAULT_LANGUAGE": "fr"}


def test_the_installations_default_applies_when_the_browser_asks_for_neither(
    client: FlaskClient,
) -> None:
    html = client.get("/login", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="fr">' in html


def test_the_switch_in_the_header_changes_the_language_for_a_visitor(client: FlaskClient) -> None:
    page = client.get("/login", headers=ENGLISH).get_data(as_text=True)
    assert 'value="fr" lang="fr"' in page  # the button reads "Français", in French
    response = post_form(client, "/language", {"language": "fr", "next": "/login"}, headers=ENGLISH)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert '<html lang="fr">' in client.get("/login", headers=ENGLISH).get_data(as_text=True)


def test_a_saved_choice_beats_the_browser_and_follows_the_person(
    app: Flask,
    client: FlaskClient,
    db: Session,
    signed_in: Callable[[UserRole], User],
) -> None:
    user = signed_in(UserRole.VOLUNTEER)
    post_form(client, "/language", {"language": "fr", "next": "/"}, token_page="/")
    db.expire_all()
    assert db.get(User, user.id).language == "fr"  # type: ignore[union-attr]
    other_device = app.test_client()
    from tests.conftest import sign_in

    sign_in(other_device, user)
    home = other_device.get("/", headers=ENGLISH).get_data(as_text=True)
    assert '<html lang="fr">' in home and "Consigner ce qui s'est passé" in home


def test_a_redirect_after_switching_stays_on_this_site(client: FlaskClient) -> None:
    response = post_form(client, "/language", {"language": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert post_form(client, "/language", {"language": "xx"}).status_code == 400


def test_dates_numbers_and_percentages_follow_the_language(
    client: FlaskClient, db: Session, signed_in: Callable[[UserRole], User]
) -> None:
    campaign = Campaign(title="Lettre", letter_on=dt.date(2023, 9, 7), status=CampaignStatus.ACTIVE)
    db.add(campaign)
    db.commit()
    signed_in(UserRole.COORDINATOR)
    french = client.get(f"/campaigns/{campaign.id}", headers=FRENCH).get_data(as_text=True)
    english = client.get(f"/campaigns/{campaign.id}", headers=ENGLISH).get_data(as_text=True)
    assert "lettre du 7 septembre 2023" in french
    assert "letter of September 7, 2023" in english


def test_an_error_page_is_in_french_for_a_french_reader(client: FlaskClient) -> None:
    html = unescape(client.get("/no-such-page", headers=FRENCH).get_data(as_text=True))
    assert "Introuvable" in html and "Il n'y a rien à cette adresse." in html


def test_a_csv_header_follows_the_exporters_language_and_the_values_stay_data(
    app: Flask, client: FlaskClient, signed_in: Callable[[UserRole], User], tmp_path: Any
) -> None:
    signed_in(UserRole.COORDINATOR)
    french = client.get("/exports/officials.csv", headers=FRENCH).get_data(as_text=True)
    english = client.get("/exports/officials.csv", headers=ENGLISH).get_data(as_text=True)
    assert french.lstrip("\ufeff").startswith("titre honorifique,prénom,nom de famille")
    assert english.lstrip("\ufeff").startswith("honorific,given name,family name")
    out = tmp_path / "officials.csv"
    result = app.test_cli_runner().invoke(
        args=["export", "officials", "--language", "fr", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8-sig").startswith("titre honorifique,prénom")


def test_an_officials_page_in_french_shows_the_french_title_and_committee_and_province(
    client: FlaskClient, db: Session, signed_in: Callable[[UserRole], User], make_user: Any
) -> None:
    from tracker.models import Official, Role, RoleKind
    from tracker.operations.officials import NewRole, add_role_by_hand

    official = Official(
        given_name="Ali", family_name="Ehsassi", name_key="ali ehsassi", province="Quebec"
    )
    minister = Role(
        official=official,
        kind=RoleKind.MINISTER,
        title="Minister of Foreign Affairs",
        title_fr="Ministre des Affaires étrangères",
    )
    db.add_all([official, minister])
    db.flush()
    add_role_by_hand(
        db,
        official,
        NewRole(kind=RoleKind.COMMITTEE_CHAIR, title="", committee_acronym="FAAE"),
        actor=make_user(UserRole.COORDINATOR),
    )
    db.commit()
    signed_in(UserRole.VOLUNTEER)
    html = client.get(f"/officials/{official.id}", headers=FRENCH).get_data(as_text=True)
    assert "Ministre des Affaires étrangères" in html
    assert "Comité permanent des affaires étrangères et du développement international" in html
    assert "Québec" in html
    english = client.get(f"/officials/{official.id}", headers=ENGLISH).get_data(as_text=True)
    assert "Minister of Foreign Affairs" in english and "Ministre des" not in english


def test_the_command_line_speaks_the_installations_language(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["db", "recount", "--check"])
    assert "L'état de 0 destinataires diffère de leurs interactions." in result.output


def test_the_command_lines_help_speaks_the_installations_language(app: Flask) -> None:
    runner = app.test_cli_runner()
    export = runner.invoke(args=["export", "--help"])
    assert export.exit_code == 0, export.output
    text = " ".join(export.output.split())  # Click wraps the lines
    assert "Écrire une exportation en CSV" in text
    assert "La langue de la ligne d'en-tête" in text
    assert "Write an export as CSV" not in text
    group = " ".join(runner.invoke(args=["letters", "--help"]).output.split())
    assert "La lettre de chaque destinataire" in group
    assert "Mettre en file la lettre pour chaque destinataire" in group  # a command's short help


def test_an_english_installations_command_line_help_is_english(
    test_config: dict[str, Any], instance_path: Any
) -> None:
    from tracker import create_app

    app = create_app({**test_config, "DEFAULT_LANGUAGE": "en"})
    text = " ".join(app.test_cli_runner().invoke(args=["export", "--help"]).output.split())
    assert "Write an export as CSV" in text and "The language of the header row" in text
