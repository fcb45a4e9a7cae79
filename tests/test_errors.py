"""Error pages say what happened in plain words and never show a stack trace."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tracker.models import User, UserRole


def test_unknown_page_is_a_friendly_404(
    client: FlaskClient, signed_in: Callable[[UserRole], User]
) -> None:
    signed_in(UserRole.VOLUNTEER)
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "There is nothing at this address." in response.get_data(as_text=True)


def test_unexpected_error_shows_a_reference_and_no_traceback(
    app: Flask,
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    caplog: pytest.LogCaptureFixture,
) -> None:
    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    signed_in(UserRole.VOLUNTEER)
    response = client.get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in body
    assert "Traceback" not in body and "secret internals" not in body
    assert "give this reference to your admin" in body
    assert "secret internals" in caplog.text  # but the log keeps it for the admin


def test_pages_carry_security_headers_and_are_not_cached(
    client: FlaskClient, signed_in: Callable[[UserRole], User]
) -> None:
    signed_in(UserRole.VOLUNTEER)
    response = client.get("/")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "script-src" not in response.headers["Content-Security-Policy"]  # default-src 'self'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
