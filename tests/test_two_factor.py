"""Two-factor sign-in: setting it up, signing in with a code, no replays, and enforcement."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.conftest import PASSWORD, csrf_token_from, post_form, sign_in
from tracker.models import User, UserRole


def test_account_page_shows_its_sections_in_the_page_not_the_title(
    client: FlaskClient, signed_in: Callable[[UserRole], User]
) -> None:
    signed_in(UserRole.VOLUNTEER)
    html = client.get("/account").get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)  # type: ignore[union-attr]
    assert title.strip() == "Your account · Hilltrack"
    body = html[html.index("<main") :]
    assert "Two-factor sign-in" in body and "Follow-ups in your calendar" in body


def enable_two_factor(client: FlaskClient) -> str:
    post_form(client, "/account/2fa/start", {}, token_page="/account/2fa")
    page = client.get("/account/2fa").get_data(as_text=True)
    assert "<svg" in page  # the QR code, drawn on the server
    secret = re.search(r"<code>([A-Z2-7]+)</code>", page).group(1)  # type: ignore[union-attr]
    response = client.post(
        "/account/2fa",
        data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_token_from(page)},
        follow_redirects=True,
    )
    assert "Two-factor sign-in is on." in response.get_data(as_text=True)
    return secret


def test_with_two_factor_the_password_alone_is_not_enough(
    app: Flask, client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    user = signed_in(UserRole.COORDINATOR)
    secret = enable_two_factor(client)
    fresh = app.test_client()
    response = sign_in(fresh, user)
    assert response.headers["Location"] == "/login/code"
    assert fresh.get("/").status_code == 302  # not signed in yet
    page = fresh.get("/login/code").get_data(as_text=True)
    wrong = fresh.post("/login/code", data={"code": "000000", "csrf_token": csrf_token_from(page)})
    assert "That code does not match" in wrong.get_data(as_text=True)
    # The code that enabled it is spent; the app's next code (one step ahead) is accepted.
    code = pyotp.TOTP(secret).at(time.time() + 30)
    ok = fresh.post("/login/code", data={"code": code, "csrf_token": csrf_token_from(page)})
    assert ok.status_code == 302
    assert fresh.get("/").status_code == 200
    # The same code cannot be used again, even right away.
    other = app.test_client()
    sign_in(other, user)
    page = other.get("/login/code").get_data(as_text=True)
    replay = other.post("/login/code", data={"code": code, "csrf_token": csrf_token_from(page)})
    assert "That code does not match" in replay.get_data(as_text=True)
    assert other.get("/").status_code == 302


def test_turning_it_off_needs_the_password(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    user = signed_in(UserRole.VOLUNTEER)
    enable_two_factor(client)
    page = client.get("/account/2fa").get_data(as_text=True)
    refused = client.post(
        "/account/2fa/disable",
        data={"off-password": "not my password at all", "csrf_token": csrf_token_from(page)},
        follow_redirects=True,
    )
    assert "That is not your current password." in refused.get_data(as_text=True)
    done = client.post(
        "/account/2fa/disable",
        data={"off-password": PASSWORD, "csrf_token": csrf_token_from(page)},
        follow_redirects=True,
    )
    assert "Two-factor sign-in is off." in done.get_data(as_text=True)
    db.refresh(user)
    assert user.totp_secret is None


def test_required_two_factor_sends_coordinators_to_set_it_up_but_not_volunteers(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    app.config["REQUIRE_2FA"] = True
    coordinator = make_user(UserRole.COORDINATOR)
    sign_in(client, coordinator)
    response = client.get("/campaigns/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/2fa"
    volunteer_client = app.test_client()
    sign_in(volunteer_client, make_user(UserRole.VOLUNTEER))
    assert volunteer_client.get("/campaigns/").status_code == 200
    enable_two_factor(client)
    assert client.get("/campaigns/").status_code == 200
