"""Signed-in sessions end after 30 idle minutes and after 12 hours in all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import time_machine
from flask.testing import FlaskClient

from tracker.models import User, UserRole

START = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def test_an_idle_session_expires_after_30_minutes(
    client: FlaskClient, signed_in: Callable[[UserRole], User]
) -> None:
    with time_machine.travel(START, tick=False) as clock:
        signed_in(UserRole.VOLUNTEER)
        clock.shift(dt.timedelta(minutes=29))
        assert client.get("/campaigns/").status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get("/campaigns/")
        assert response.status_code == 302
        assert response.headers["Location"] == "/login?next=/campaigns/"
        page = client.get("/login").get_data(as_text=True)
        assert "Your session expired; please sign in again." in page
        assert client.get("/").status_code == 302


def test_an_active_session_still_ends_after_12_hours(
    client: FlaskClient, signed_in: Callable[[UserRole], User]
) -> None:
    with time_machine.travel(START, tick=False) as clock:
        signed_in(UserRole.VOLUNTEER)
        for _ in range(71):  # a request every 10 minutes for 11 h 50 min
            clock.shift(dt.timedelta(minutes=10))
            assert client.get("/").status_code == 200
        clock.shift(dt.timedelta(minutes=11))
        assert client.get("/").status_code == 302
