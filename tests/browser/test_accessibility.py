"""Every main page passes axe-core with no serious or critical violation."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import LiveServer
from tests.browser.test_sign_in_journey import sign_in
from tracker.models import UserRole

MAIN_PAGES = (
    "/",
    "/log/",
    "/log/?q=joly",
    "/campaigns/",
    "/campaigns/new",
    "/follow-ups/",
    "/officials/",
    "/officials/?q=carney",
    "/officials/new",
    "/officials/upload",
    "/imports/",
    "/admin/users",
    "/account",
)


def test_sign_in_page_is_accessible(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/login")
    assert_accessible(page)


def test_main_pages_are_accessible(new_page: Callable[..., Page], live_server: LiveServer) -> None:
    live_server.create_user(UserRole.ADMIN, "axe@example.org", "Alex Axe")
    page = new_page()
    sign_in(page, live_server, "axe@example.org")
    for path in MAIN_PAGES:
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)


def test_the_checker_catches_a_serious_violation(page: Page) -> None:
    from tests.browser.a11y import serious_violations

    page.set_content('<html lang="en"><title>t</title><main><input type="text"></main></html>')
    assert any(v.startswith("label (critical)") for v in serious_violations(page))
