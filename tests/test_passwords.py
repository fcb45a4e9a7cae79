"""Passwords are hashed with pinned argon2id parameters and verified exactly as typed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.conftest import PASSWORD, post_form, sign_in
from tracker.models import User, UserRole
from tracker.rules.passwords import (
    FAST_TEST_HASHER,
    hash_password,
    password_problem,
    verify_password,
)


def test_production_hash_has_the_pinned_parameters(app: Flask) -> None:
    app.config["PASSWORD_HASHER"] = "argon2id"
    with app.app_context():
        assert hash_password("correct horse battery").startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_outdated_hash_is_upgraded_at_sign_in(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], db: Session
) -> None:
    user = make_user(password_hash=FAST_TEST_HASHER.hash(PASSWORD))
    app.config["PASSWORD_HASHER"] = "argon2id"
    assert sign_in(client, user).status_code == 302
    db.refresh(user)
    assert user.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_a_long_password_is_never_truncated(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    long_password = "é🙂 " * 20 + "x" * 40  # 100 characters, multi-byte
    user = make_user(password=long_password)
    near_miss = long_password[:-1] + "y"
    response = post_form(client, "/login", {"email": user.email, "password": near_miss})
    assert response.status_code == 200
    assert sign_in(client, user, password=long_password).status_code == 302


def test_malformed_stored_hash_fails_closed(app: Flask) -> None:
    with app.app_context():
        assert verify_password("not-a-hash", "anything at all") is False


def test_users_are_never_created_with_a_known_password(app: Flask, db: Session) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["users", "ensure-admin", "--email", "boss@example.org"])
    second = runner.invoke(args=["users", "ensure-admin"])
    password = first.output.strip().rsplit(" ", 1)[-1]
    assert "One-time password" in first.output
    assert len(password) >= 16
    assert "no admin created" in second.output
    admin = db.query(User).filter_by(email="boss@example.org").one()
    assert admin.role is UserRole.ADMIN
    with app.app_context():
        assert verify_password(admin.password_hash, password)


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("elevenchars", "Use at least 12 characters."),
        ("password1234", "That password is one of the most common ones; choose another."),
        ("QWERTY123456", "That password is one of the most common ones; choose another."),
        ("aaaaaaaaaaaaaaaa", "That password is one of the most common ones; choose another."),
        ("x" * 129, "Use at most 128 characters."),
        ("correct horse battery staple", None),
        (
            "my 🙂 cat naps by the 🌲 river at dawn, every day, rain or shine!!",
            None,
        ),  # 64 characters
    ],
)
def test_password_policy(password: str, problem: str | None) -> None:
    assert password_problem(password) == problem
