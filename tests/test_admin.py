"""Admins add users, change roles and deactivate accounts; every change is audited."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import post_form, sign_in
from tracker.models import AuditEvent, User, UserRole

NEW_PASSWORD = "twelve chars or more"


def add_user(client: FlaskClient, **overrides: str) -> object:
    data = {"email": "new@example.org", "name": "Nour New", "role": "coordinator"}
    data["password"] = NEW_PASSWORD
    data.update(overrides)
    return post_form(client, "/admin/users", data, token_page="/admin/users")


def test_admin_adds_a_user_who_can_then_sign_in(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session, app: Flask
) -> None:
    admin = signed_in(UserRole.ADMIN)
    response = add_user(client)
    assert response.status_code == 302
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Added Nour New as coordinator." in page
    created = db.scalar(select(User).where(User.email == "new@example.org"))
    assert created is not None and created.role is UserRole.COORDINATOR
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "user.create"))
    assert event is not None and event.actor_id == admin.id and event.object_id == created.id
    assert sign_in(app.test_client(), created, NEW_PASSWORD).status_code == 302


def test_duplicate_email_is_refused_on_the_form(
    client: FlaskClient, signed_in: Callable[[UserRole], User], make_user: Callable[..., User]
) -> None:
    signed_in(UserRole.ADMIN)
    existing = make_user()
    response = add_user(client, email=existing.email.upper())
    assert response.status_code == 200
    assert "A user with this email already exists." in response.get_data(as_text=True)


def test_short_initial_password_is_refused(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    signed_in(UserRole.ADMIN)
    response = add_user(client, password="too short")
    assert "Use between 12 and 128 characters." in response.get_data(as_text=True)
    assert db.scalar(select(User).where(User.email == "new@example.org")) is None


def test_admin_changes_a_role_and_the_user_must_sign_in_again(
    app: Flask,
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    make_user: Callable[..., User],
    db: Session,
) -> None:
    signed_in(UserRole.ADMIN)
    volunteer = make_user(UserRole.VOLUNTEER)
    volunteer_client = app.test_client()
    sign_in(volunteer_client, volunteer)
    response = post_form(
        client,
        f"/admin/users/{volunteer.id}",
        {"name": volunteer.name, "role": "coordinator"},
        token_page="/admin/users",
    )
    assert response.status_code == 302
    db.refresh(volunteer)
    assert volunteer.role is UserRole.COORDINATOR
    assert volunteer_client.get("/").status_code == 302


def test_deactivation_cuts_off_the_user_and_can_be_undone(
    app: Flask,
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    make_user: Callable[..., User],
    db: Session,
) -> None:
    signed_in(UserRole.ADMIN)
    volunteer = make_user()
    volunteer_client = app.test_client()
    sign_in(volunteer_client, volunteer)
    post_form(client, f"/admin/users/{volunteer.id}/active", {}, token_page="/admin/users")
    db.refresh(volunteer)
    assert volunteer.is_active is False
    assert volunteer_client.get("/").status_code == 302
    assert sign_in(volunteer_client, volunteer).status_code == 200  # refused: form shown again
    post_form(client, f"/admin/users/{volunteer.id}/active", {}, token_page="/admin/users")
    db.refresh(volunteer)
    assert volunteer.is_active is True
    actions = db.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.object_id == volunteer.id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["auth.login", "user.deactivate", "auth.login_failed", "user.activate"]


def test_the_last_admin_cannot_be_demoted(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    admin = signed_in(UserRole.ADMIN)
    response = post_form(
        client,
        f"/admin/users/{admin.id}",
        {"name": admin.name, "role": "volunteer"},
        token_page="/admin/users",
    )
    assert "Hilltrack needs at least one active admin." in response.get_data(as_text=True)
    db.refresh(admin)
    assert admin.role is UserRole.ADMIN


def test_admins_cannot_deactivate_themselves(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    admin = signed_in(UserRole.ADMIN)
    response = post_form(
        client,
        f"/admin/users/{admin.id}/active",
        {},
        token_page="/admin/users",
        follow_redirects=True,
    )
    assert "You cannot deactivate your own account." in response.get_data(as_text=True)
    db.refresh(admin)
    assert admin.is_active


def test_unknown_user_is_a_404(client: FlaskClient, signed_in: Callable[[UserRole], User]) -> None:
    signed_in(UserRole.ADMIN)
    assert client.get("/admin/users/999999").status_code == 404


def choose_own_password(client: FlaskClient, new: str) -> Any:
    return post_form(
        client, "/account", {"new_password": new, "confirm": new}, token_page="/account"
    )


def test_a_password_chosen_by_an_admin_must_be_replaced_at_the_first_sign_in(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session, app: Flask
) -> None:
    signed_in(UserRole.ADMIN)
    add_user(client)
    created = db.scalars(select(User).where(User.email == "new@example.org")).one()
    newcomer = app.test_client()
    first = sign_in(newcomer, created, NEW_PASSWORD)
    elsewhere = newcomer.get(first.headers["Location"], follow_redirects=True)
    text = elsewhere.get_data(as_text=True)
    assert "You signed in with a one-time password: choose your own to continue." in text
    assert "Choose your own password" in text
    assert newcomer.get("/campaigns/").status_code == 302  # every page waits for it
    same = choose_own_password(newcomer, NEW_PASSWORD).get_data(as_text=True)
    assert "Choose a password other than the current one." in same
    done = choose_own_password(newcomer, "my very own passphrase")
    assert done.status_code == 302
    assert newcomer.get("/campaigns/").status_code == 200


def test_the_first_sign_in_does_not_ask_again_for_the_one_time_password_and_lands_home(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session, app: Flask
) -> None:
    signed_in(UserRole.ADMIN)
    add_user(client)
    created = db.scalars(select(User).where(User.email == "new@example.org")).one()
    newcomer = app.test_client()
    sign_in(newcomer, created, NEW_PASSWORD)
    form = newcomer.get("/account").get_data(as_text=True)
    assert 'name="current_password"' not in form and 'name="new_password"' in form
    assert "Type it as your current password" not in form
    done = choose_own_password(newcomer, "my very own passphrase")
    assert done.headers["Location"] == "/"
    home = newcomer.get("/").get_data(as_text=True)
    assert "Your own password is set." in home
    # Afterwards, changing it again asks for the current one, as always.
    again = newcomer.get("/account").get_data(as_text=True)
    assert 'name="current_password"' in again
    french = newcomer.get("/account", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert 'name="current_password"' in french
    fresh = app.test_client()
    sign_in(fresh, created, "my very own passphrase")
    assert fresh.get("/campaigns/").status_code == 200


def test_a_one_time_password_is_asked_for_when_the_session_did_not_just_type_it(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session, app: Flask
) -> None:
    signed_in(UserRole.ADMIN)
    add_user(client)
    created = db.scalars(select(User).where(User.email == "new@example.org")).one()
    newcomer = app.test_client()
    sign_in(newcomer, created, NEW_PASSWORD)
    with newcomer.session_transaction() as session:
        # Signed in an hour ago: typing the one-time password then proves nothing now.
        session["auth_at"] = int(time.time()) - 3600
    form = newcomer.get("/account").get_data(as_text=True)
    assert 'name="current_password"' in form
    refused = choose_own_password(newcomer, "my very own passphrase").get_data(as_text=True)
    assert "my very own passphrase" not in refused
    db.expire_all()
    assert db.get(User, created.id).must_change_password is True  # type: ignore[union-attr]


def test_an_admin_changes_an_email_and_issues_a_one_time_password(
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    make_user: Callable[..., User],
    db: Session,
    app: Flask,
) -> None:
    signed_in(UserRole.ADMIN)
    forgetful = make_user(UserRole.VOLUNTEER, email="old@example.org", name="Forgetful")
    their_device = app.test_client()
    sign_in(their_device, forgetful)
    assert their_device.get("/").status_code == 200
    page = f"/admin/users/{forgetful.id}"
    saved = post_form(
        client,
        page,
        {"name": "Forgetful", "email": "New@Example.org", "role": "volunteer"},
        token_page=page,
    )
    assert saved.status_code == 302
    db.refresh(forgetful)
    assert forgetful.email == "new@example.org"
    issued = post_form(client, f"{page}/one-time-password", {}, token_page=page)
    password = re.search(
        r'<code class="one-time-password">([^<]+)</code>', issued.get_data(as_text=True)
    ).group(1)  # type: ignore[union-attr]
    assert their_device.get("/").status_code == 302  # their sessions ended
    fresh = app.test_client()
    assert "do not match" in sign_in(fresh, forgetful).get_data(as_text=True)  # the old one
    assert sign_in(fresh, forgetful, password).status_code == 302
    assert "choose your own to continue" in fresh.get("/", follow_redirects=True).get_data(
        as_text=True
    )
