"""Signing in and out: the happy path, wrong credentials, CSRF, replayed cookies, redirects."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import PASSWORD, post_form, sign_in
from tracker.models import AuditEvent, User, UserRole
from tracker.views.auth import SIGN_IN_FAILED


def test_sign_in_lands_on_home_page(client: FlaskClient, make_user: Callable[..., User]) -> None:
    user = make_user(UserRole.VOLUNTEER, name="Val Volunteer")
    response = sign_in(client, user)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Welcome, Val Volunteer" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("email_case", [str.upper, str.strip])
def test_sign_in_ignores_email_case_and_spaces(
    client: FlaskClient, make_user: Callable[..., User], email_case: Callable[[str], str]
) -> None:
    user = make_user()
    response = post_form(
        client, "/login", {"email": f" {email_case(user.email)} ", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_answer(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user()
    wrong = post_form(client, "/login", {"email": user.email, "password": "not the password!"})
    unknown = post_form(client, "/login", {"email": "nobody@example.org", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 200
    assert str(SIGN_IN_FAILED) in wrong.get_data(as_text=True)
    assert str(SIGN_IN_FAILED) in unknown.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_failed_sign_in_is_audited(
    client: FlaskClient, make_user: Callable[..., User], db: Session
) -> None:
    user = make_user()
    post_form(client, "/login", {"email": user.email, "password": "not the password!"})
    actions = db.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == user.id)).all()
    assert actions == ["auth.login_failed"]


def test_deactivated_user_cannot_sign_in(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user(is_active=False)
    response = sign_in(client, user)
    assert str(SIGN_IN_FAILED) in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_deactivated_user_is_cut_off_at_next_request(
    client: FlaskClient, make_user: Callable[..., User], db: Session
) -> None:
    user = make_user()
    sign_in(client, user)
    assert client.get("/").status_code == 200
    user.is_active = False
    user.session_version += 1
    db.commit()
    assert client.get("/").status_code == 302


def test_sign_out_needs_post(client: FlaskClient, signed_in: Callable[[UserRole], User]) -> None:
    signed_in(UserRole.VOLUNTEER)
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


def test_sign_out_without_csrf_token_is_refused_and_user_stays_signed_in(
    client: FlaskClient, signed_in: Callable[[UserRole], User]
) -> None:
    signed_in(UserRole.VOLUNTEER)
    response = client.post("/logout")
    assert response.status_code == 400
    assert "Form expired" in response.get_data(as_text=True)
    assert client.get("/").status_code == 200


def test_sign_in_without_csrf_token_is_refused(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_sign_out_ends_the_session_and_a_replayed_cookie_is_refused(
    app: Flask, client: FlaskClient, signed_in: Callable[[UserRole], User]
) -> None:
    signed_in(UserRole.VOLUNTEER)
    cookie = client.get_cookie("session")
    assert cookie is not None
    response = post_form(client, "/logout", {}, token_page="/")
    assert response.headers["Location"] == "/login"
    assert client.get("/").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", cookie.value)
    assert replay.get("/").status_code == 302


def test_sign_in_starts_a_fresh_session(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    sign_in(client, make_user())
    with client.session_transaction() as session:
        assert "planted" not in session


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/admin/users", "/admin/users"),
        ("/account?tab=password", "/account?tab=password"),
        ("http://localhost/account", "http://localhost/account"),
        ("//example.com", "/"),
        ("http://example.com", "/"),
        ("https://example.com/", "/"),
        ("http:///example.com", "/"),
        ("\\\\example.com", "/"),
        ("/\\example.com", "/"),
        ("http:/\\example.com", "/"),
        ("javascript:alert('XSS')", "/"),
        ("\njavascript:alert(x)", "/"),
        ("\x08//example.com", "/"),
        ("http://localhost\\@example.com", "/"),
        ("http:999999999", "/"),
        ("///example.com", "/"),
        ("ftp://localhost/file", "/"),
    ],
)
def test_sign_in_redirects_only_within_the_site(
    client: FlaskClient, make_user: Callable[..., User], next_url: str, expected: str
) -> None:
    user = make_user(UserRole.ADMIN)
    response = post_form(
        client,
        "/login",
        {"email": user.email, "password": PASSWORD},
        query_string={"next": next_url},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_password_change_needs_the_current_password(
    client: FlaskClient, signed_in: Callable[[UserRole], User]
) -> None:
    signed_in(UserRole.VOLUNTEER)
    new = "a brand new long password"
    response = post_form(
        client,
        "/account",
        {"current_password": "wrong guess here", "new_password": new, "confirm": new},
        token_page="/account",
    )
    assert response.status_code == 200
    assert "That is not your current password." in response.get_data(as_text=True)


def test_password_change_signs_out_other_devices_but_not_this_one(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user()
    other_device = app.test_client()
    sign_in(client, user)
    sign_in(other_device, user)
    new = "a brand new long password"
    response = post_form(
        client,
        "/account",
        {"current_password": PASSWORD, "new_password": new, "confirm": new},
        token_page="/account",
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other_device.get("/").status_code == 302
    fresh = app.test_client()
    assert sign_in(fresh, user, password=new).status_code == 302


def test_too_short_new_password_is_refused_with_a_reason(
    client: FlaskClient, signed_in: Callable[[UserRole], User]
) -> None:
    signed_in(UserRole.VOLUNTEER)
    response = post_form(
        client,
        "/account",
        {"current_password": PASSWORD, "new_password": "elevenchars", "confirm": "elevenchars"},
        token_page="/account",
    )
    assert "Use between 12 and 128 characters." in response.get_data(as_text=True)
