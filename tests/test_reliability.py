"""Faults and limits: the database away, oversized requests, cookies, logs that cannot lie."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask

from tests.conftest import PASSWORD, csrf_token_from
from tracker import create_app
from tracker.models import User, UserRole
from tracker.web.json_logs import JsonFormatter


def test_the_database_briefly_unavailable_gives_a_retry_page(
    tmp_path: Path, instance_path: Path
) -> None:
    app = create_app(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'gone' / 'db.sqlite3'}", "SECRET_KEY": "x"}
    )
    client = app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"email": "a@example.org", "password": "x" * 12, "csrf_token": token}
    )
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "10"
    body = response.get_data(as_text=True)
    assert "Please try again in a moment" in body
    assert "Traceback" not in body and "sqlite" not in body.lower()


def test_an_oversized_request_is_refused_with_a_clear_page(
    app: Flask, signed_in: Callable[[UserRole], User]
) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 1024
    client = app.test_client()
    response = client.post("/login", data={"email": "a" * 5000})
    assert response.status_code == 413
    assert "larger than Hilltrack accepts" in response.get_data(as_text=True)


def test_session_cookie_over_https_is_host_prefixed_secure_httponly_lax(
    test_config: dict[str, Any],
    connection: object,
    make_user: Callable[..., User],
    instance_path: Path,
) -> None:
    from tracker.web.db import state

    app = create_app({**test_config, "HTTPS": True})
    state(app).sessions.configure(bind=connection, join_transaction_mode="create_savepoint")
    user = make_user()
    client = app.test_client()
    page = client.get("/login", base_url="https://localhost")
    response = client.post(
        "/login",
        base_url="https://localhost",
        headers={"Referer": "https://localhost/login"},  # checked over HTTPS, as browsers send
        data={
            "email": user.email,
            "password": PASSWORD,
            "csrf_token": csrf_token_from(page.get_data(as_text=True)),
        },
    )
    assert response.status_code == 302
    cookie = next(
        c for c in response.headers.getlist("Set-Cookie") if c.startswith("__Host-session=")
    )
    attributes = {part.strip().split("=")[0] for part in cookie.split(";")[1:]}
    assert {"Secure", "HttpOnly", "Path", "SameSite"} <= attributes
    assert "Domain" not in attributes
    assert "SameSite=Lax" in cookie
    assert "Strict-Transport-Security" in client.get("/", base_url="https://localhost").headers
    state(app).engine.dispose()


def test_log_lines_are_json_without_secrets_or_forged_lines() -> None:
    record = logging.LogRecord(
        "tracker",
        logging.INFO,
        __file__,
        1,
        "login for %s with password=hunter2hunter2",
        ("eve\nFAKE line",),
        None,
    )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "login for eve\nFAKE line with password=[hidden]"
    assert entry["level"] == "INFO"
