"""Sign-in throttling: guessing slows down, spoofed headers change nothing, nobody else is
locked out, and the lock lifts by itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import PASSWORD, csrf_token_from
from tracker.models import AuditEvent, SignInAttempt, User

START = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def attempt(
    client: FlaskClient,
    email: str,
    password: str,
    addr: str = "203.0.113.7",
    forwarded: str | None = None,
) -> int:
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        headers=headers,
        environ_base={"REMOTE_ADDR": addr},
    )
    return response.status_code


def test_repeated_wrong_passwords_are_slowed_and_spoofed_headers_do_not_reset_it(
    client: FlaskClient, make_user: Callable[..., User], db: Session
) -> None:
    alice = make_user(email="alice@example.org")
    with time_machine.travel(START, tick=False):
        codes = [
            attempt(client, alice.email, f"wrong guess {n}", forwarded=f"198.51.100.{n}")
            for n in range(12)
        ]
    assert codes[:5] == [200] * 5
    assert set(codes[5:]) == {429}
    evaluated = db.scalar(select(func.count()).select_from(SignInAttempt))
    assert evaluated == 5  # throttled attempts never reach the password check
    assert (
        db.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "auth.throttled")
        )
        == 7
    )


def test_the_message_is_the_same_for_an_unknown_email(client: FlaskClient) -> None:
    with time_machine.travel(START, tick=False):
        for n in range(5):
            attempt(client, "nobody@example.org", f"guess {n}")
        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        response = client.post(
            "/login",
            data={"email": "nobody@example.org", "password": "x", "csrf_token": token},
            environ_base={"REMOTE_ADDR": "203.0.113.7"},
        )
    assert response.status_code == 429
    assert "Too many attempts. Try again in 15 minutes." in response.get_data(as_text=True)


def test_the_lock_lifts_after_15_minutes(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    alice = make_user(email="alice@example.org")
    with time_machine.travel(START, tick=False) as clock:
        for n in range(5):
            attempt(client, alice.email, f"wrong {n}")
        assert attempt(client, alice.email, PASSWORD) == 429
        clock.shift(dt.timedelta(minutes=16))
        assert attempt(client, alice.email, PASSWORD) == 302


def test_an_attacker_cannot_lock_out_another_client_or_another_user(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    alice, bob = make_user(email="alice@example.org"), make_user(email="bob@example.org")
    with time_machine.travel(START, tick=False):
        for n in range(5):
            attempt(client, alice.email, f"wrong {n}", addr="203.0.113.66")
        assert attempt(client, alice.email, PASSWORD, addr="203.0.113.66") == 429
        assert attempt(app.test_client(), bob.email, PASSWORD, addr="203.0.113.66") == 302
        assert attempt(app.test_client(), alice.email, PASSWORD, addr="192.0.2.10") == 302


def test_a_hundred_failures_an_hour_stop_an_account_except_from_a_known_device(
    app: Flask, make_user: Callable[..., User]
) -> None:
    alice = make_user(email="alice@example.org")
    with time_machine.travel(START, tick=False) as clock:
        assert attempt(app.test_client(), alice.email, PASSWORD, addr="192.0.2.10") == 302
        for n in range(100):  # a botnet: every address tries a few times
            clock.shift(dt.timedelta(seconds=30))
            attempt(app.test_client(), alice.email, f"wrong {n}", addr=f"198.51.{n // 4}.{n}")
        assert attempt(app.test_client(), alice.email, PASSWORD, addr="198.18.0.1") == 429
        assert attempt(app.test_client(), alice.email, PASSWORD, addr="192.0.2.10") == 302
