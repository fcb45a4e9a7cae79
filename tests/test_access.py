"""Every page needs sign-in, and role checks are made on the server."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from tracker import create_app
from tracker.models import User, UserRole
from tracker.web.access import PUBLIC_ENDPOINTS


def _all_rules() -> list[Rule]:
    return sorted(create_app({"SECRET_KEY": "x"}).url_map.iter_rules(), key=lambda r: r.rule)


def _sample_url(rule: Rule) -> str:
    """The rule's URL with every argument filled by a plausible value."""
    values = dict.fromkeys(rule.arguments, 1)
    if "filename" in values:
        values["filename"] = "app.css"
    return rule.build(values)[1]  # type: ignore[index]


PROTECTED = [
    pytest.param(rule, method, id=f"{method} {rule.rule}")
    for rule in _all_rules()
    if rule.endpoint not in PUBLIC_ENDPOINTS
    for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
]


@pytest.mark.parametrize(("rule", "method"), PROTECTED)
def test_every_route_sends_anonymous_visitors_to_sign_in(
    client: FlaskClient, rule: Rule, method: str
) -> None:
    response = client.open(_sample_url(rule), method=method)
    if rule.rule.startswith("/api/"):
        # The API signs calls in by token, and says so: no page to be redirected to.
        assert response.status_code == 401
        assert response.mimetype == "application/problem+json"
        return
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_public_routes_are_only_sign_in_health_and_static(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints & PUBLIC_ENDPOINTS == {
        "auth.login",
        "health.healthz",
        "static",
        "follow_ups.calendar_feed",
        "two_factor.verify",
        "language.choose",  # the sign-in page offers French too
        # The API's document and its documentation page (no record in either).
        "api-docs.openapi_json",
        "api_docs.page",
        "api_docs.asset",
    }


ADMIN_PAGES = ["/admin/users", "/admin/users/1"]


@pytest.mark.parametrize("role", [UserRole.VOLUNTEER, UserRole.COORDINATOR])
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_only_admins_see_account_management(
    client: FlaskClient, signed_in: Callable[[UserRole], User], role: UserRole, path: str
) -> None:
    signed_in(role)
    response = client.get(path)
    assert response.status_code == 403
    assert "Not allowed" in response.get_data(as_text=True)


def test_admin_sees_account_management(
    client: FlaskClient, signed_in: Callable[[UserRole], User]
) -> None:
    admin = signed_in(UserRole.ADMIN)
    assert client.get("/admin/users").status_code == 200
    assert client.get(f"/admin/users/{admin.id}").status_code == 200


def test_users_link_is_shown_to_admins_only(
    client: FlaskClient, signed_in: Callable[[UserRole], User]
) -> None:
    signed_in(UserRole.COORDINATOR)
    assert "/admin/users" not in client.get("/").get_data(as_text=True)


def test_static_files_are_served_without_sign_in(client: FlaskClient) -> None:
    response = client.get("/static/vendor/pico/pico.min.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    response.close()
