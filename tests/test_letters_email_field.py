"""On a campaign's Letters page, a recipient without an e-mail address gets a field to add one,
which returns to the same row; the address is the official's, entered by hand."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.conftest import csrf_token_from
from tests.letters import NO_EMAIL, letter_campaign
from tracker.models import User, UserRole


def test_a_row_without_an_address_takes_one_and_returns_to_the_row(
    app: Flask, client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    letter = letter_campaign(app, db)
    corbin = letter.by_name(NO_EMAIL)
    signed_in(UserRole.COORDINATOR)
    page_url = f"/campaigns/{letter.campaign.id}/letters/"
    page = client.get(page_url).get_data(as_text=True)
    assert page.count('class="inline-email"') == 1
    assert f"E-mail address of {NO_EMAIL}" in page
    assert "Add e-mail addresses for many officials" in page
    field = "email"

    refused = client.post(
        f"{page_url}{corbin.id}/email",
        data={"csrf_token": csrf_token_from(page), field: "louise.corbin@"},
    )
    assert refused.headers["Location"].endswith(f"#recipient-{corbin.id}")
    assert "That is not an e-mail address." in client.get(page_url).get_data(as_text=True)
    db.expire_all()
    assert corbin.official.email is None

    saved = client.post(
        f"{page_url}{corbin.id}/email",
        data={"csrf_token": csrf_token_from(page), field: "louise.corbin@international.gc.ca"},
    )
    assert saved.headers["Location"].endswith(f"#recipient-{corbin.id}")
    after = client.get(page_url).get_data(as_text=True)
    assert "Saved louise.corbin@international.gc.ca for Louise Corbin." in after
    assert 'class="inline-email"' not in after
    db.expire_all()
    assert corbin.official.email == "louise.corbin@international.gc.ca"
    assert "email" in corbin.official.edited_fields


def test_volunteers_cannot_add_an_address_from_the_letters_page(
    app: Flask, client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    letter = letter_campaign(app, db)
    corbin = letter.by_name(NO_EMAIL)
    signed_in(UserRole.VOLUNTEER)
    token = csrf_token_from(client.get("/officials/").get_data(as_text=True))
    answer = client.post(
        f"/campaigns/{letter.campaign.id}/letters/{corbin.id}/email",
        data={"csrf_token": token, "email": "x@example.org"},
    )
    assert answer.status_code == 403
    db.expire_all()
    assert corbin.official.email is None


def test_the_letters_page_leads_to_pasting_many_addresses_and_back(
    app: Flask, client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    import re

    from tests.test_contacts_paste import confirm, paste

    letter = letter_campaign(app, db)
    corbin = letter.by_name(NO_EMAIL)
    signed_in(UserRole.COORDINATOR)
    page = client.get(f"/campaigns/{letter.campaign.id}/letters/").get_data(as_text=True)
    link = re.search(r'href="(/officials/contacts/\?campaign=(\d+))"', page)
    assert link and int(link.group(2)) == letter.campaign.id
    assert client.get(link.group(1)).status_code == 200
    preview = paste(
        client, "Louise Corbin\tlouise.corbin@international.gc.ca\n", campaign=link.group(2)
    )
    html = preview.get_data(as_text=True)
    assert "Louise Corbin" in html and "louise.corbin@international.gc.ca" in html
    done = confirm(client, html)
    assert done.request.path == f"/campaigns/{letter.campaign.id}/letters/"
    assert "Contact details saved for 1 official." in done.get_data(as_text=True)
    db.expire_all()
    assert corbin.official.email == "louise.corbin@international.gc.ca"
