"""Adding recipients in one place: a search over the directory near the top of the campaign
page (and on a page of its own), a tick box per result, one Add for all ticked; and by role,
a preview whose tick boxes decide who is added."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import csrf_token_from
from tests.importing import run_import
from tracker import clock
from tracker.models import AuditEvent, Campaign, Official, Recipient, User, UserRole
from tracker.operations.campaigns import create_campaign, current_role
from tracker.operations.imports import bundled_snapshot


@pytest.fixture
def house(app: Flask, db: Session) -> Session:
    """The bundled House snapshot: today's ministers, nobody's roles of 2023."""
    folder, _as_of = bundled_snapshot()
    run_import(app, folder)
    db.expire_all()
    return db


@pytest.fixture
def coordinator(signed_in: Callable[[UserRole], User]) -> User:
    return signed_in(UserRole.COORDINATOR)


def _campaign(db: Session, actor: User, letter_on: dt.date | None = None) -> Campaign:
    campaign = create_campaign(db, {"title": "A new letter", "letter_on": letter_on}, actor=actor)
    db.commit()
    return campaign


def _official(db: Session, family: str) -> Official:
    return db.scalars(
        select(Official).where(Official.family_name == family).order_by(Official.id)
    ).first()  # type: ignore[return-value]


def _recipients(db: Session, campaign: Campaign) -> list[str]:
    db.expire_all()
    rows = db.scalars(
        select(Recipient).where(Recipient.campaign_id == campaign.id).order_by(Recipient.position)
    )
    return [r.official.family_name for r in rows]


def test_the_campaign_page_searches_near_its_top_showing_role_party_and_riding(
    house: Session, client: FlaskClient, coordinator: User
) -> None:
    campaign = _campaign(house, coordinator)
    html = client.get(f"/campaigns/{campaign.id}?q=joly+melanie").get_data(as_text=True)
    assert html.index('id="add-recipients"') < html.index('id="progress-heading"')
    joly = _official(house, "Joly")
    role = current_role(joly, clock.today())
    assert role is not None
    result = html[html.index(f'id="pick-{joly.id}"') :]
    result = result[: result.index("</li>")]
    assert role.title in result
    assert "Liberal" in result
    assert "Ahuntsic-Cartierville" in result


def test_one_add_adds_everyone_ticked_and_comes_back_to_the_same_search(
    house: Session, client: FlaskClient, coordinator: User
) -> None:
    campaign = _campaign(house, coordinator)
    page = client.get(f"/campaigns/{campaign.id}?q=Joly").get_data(as_text=True)
    joly, anand = _official(house, "Joly"), _official(house, "Anand")
    response = client.post(
        f"/campaigns/{campaign.id}/recipients/add",
        data={
            "csrf_token": csrf_token_from(page),
            "official": [str(joly.id), str(anand.id), str(joly.id)],
            "q": "Joly",
            "back": "campaign",
            "pick-language": "",
            "pick-submit": "1",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/campaigns/{campaign.id}?q=Joly#add-recipients")
    assert _recipients(house, campaign) == ["Joly", "Anand"]
    assert (
        house.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "recipient.create")
        )
        == 2
    )
    again = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Added 2 recipients." in again
    assert re.search(rf'id="pick-{joly.id}"[^>]*checked disabled', again)
    assert "already a recipient" in again


def test_the_add_page_works_alone_and_comes_back_to_itself(
    house: Session, client: FlaskClient, coordinator: User
) -> None:
    campaign = _campaign(house, coordinator)
    page = client.get(f"/campaigns/{campaign.id}/recipients/add?q=Trois-Rivieres")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Trois-Rivières" in html
    found = re.findall(r'name="official" value="(\d+)"', html)
    response = client.post(
        f"/campaigns/{campaign.id}/recipients/add",
        data={
            "csrf_token": csrf_token_from(html),
            "official": found[:1],
            "q": "Trois-Rivieres",
            "back": "page",
            "pick-language": "",
        },
    )
    assert response.headers["Location"].startswith(f"/campaigns/{campaign.id}/recipients/add?q=")
    assert len(_recipients(house, campaign)) == 1


def test_nothing_ticked_adds_nobody_and_says_why(
    house: Session, client: FlaskClient, coordinator: User
) -> None:
    campaign = _campaign(house, coordinator)
    page = client.get(f"/campaigns/{campaign.id}/recipients/add").get_data(as_text=True)
    response = client.post(
        f"/campaigns/{campaign.id}/recipients/add",
        data={"csrf_token": csrf_token_from(page), "q": "x"},
        follow_redirects=True,
    )
    assert "Tick the people to add." in response.get_data(as_text=True)
    assert _recipients(house, campaign) == []


def test_the_results_alone_come_for_the_script(
    house: Session, client: FlaskClient, coordinator: User
) -> None:
    campaign = _campaign(house, coordinator)
    search = f"/campaigns/{campaign.id}/recipients/search?q=levis"
    html = client.get(search, headers={"X-Requested-With": "fetch"}).get_data(as_text=True)
    assert "Lévis" in html and "<html" not in html and 'name="official"' in html
    # Opened by hand, the same search on the page of its own.
    assert client.get(search).headers["Location"].endswith("/recipients/add?q=levis")


def test_by_role_offers_todays_holders_when_nobody_held_the_role_then_and_adds_the_ticked(
    house: Session, client: FlaskClient, coordinator: User
) -> None:
    campaign = _campaign(house, coordinator, dt.date(2023, 9, 7))
    page = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    choice = {
        "csrf_token": csrf_token_from(page),
        "byrole-selection": "ministers",
        "byrole-language": "",
        "byrole-post_nominals": "y",
    }
    preview = client.post(
        f"/campaigns/{campaign.id}/recipients/by-role", data={**choice, "byrole-preview": "1"}
    ).get_data(as_text=True)
    assert "No one in the directory held this role on September 7, 2023." in preview
    ticked = re.findall(r'name="official" value="(\d+)"[^>]*checked>', preview)
    assert len(ticked) > 20  # today's ministers, every one ticked
    assert 'name="holders" value="today"' in preview
    response = client.post(
        f"/campaigns/{campaign.id}/recipients/by-role",
        data={
            **choice,
            "ticks": "1",
            "holders": "today",
            "official": ticked[:2],
            "byrole-submit": "1",
        },
        follow_redirects=True,
    )
    assert "Added 2 recipients." in response.get_data(as_text=True)
    assert len(_recipients(house, campaign)) == 2
