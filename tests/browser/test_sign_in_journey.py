"""A person signs in, sees the home page and signs out, in a real Chromium."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    BROWSER_PASSWORD,
    PHONE,
    LiveServer,
    no_sideways_scroll,
    open_menu,
    screenshot_dir,
)
from tracker.models import UserRole


def sign_in(page: Page, server: LiveServer, email: str) -> None:
    page.goto(f"{server.url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(BROWSER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Signed in once the header's menu shows: what follows may not wait for the page to change.
    expect(page.locator(".site-menu")).to_have_count(1)


def test_volunteer_signs_in_sees_home_and_signs_out(page: Page, live_server: LiveServer) -> None:
    live_server.create_user(UserRole.VOLUNTEER, "vera@example.org", "Vera Volunteer")
    page.goto(live_server.url)
    expect(page).to_have_url(f"{live_server.url}/login?next=%2F")
    expect(page.get_by_text("Please sign in to continue.")).to_be_visible()
    sign_in(page, live_server, "vera@example.org")
    expect(page.get_by_role("heading", name="Welcome, Vera Volunteer")).to_be_visible()
    expect(page.get_by_role("link", name="Users")).to_have_count(0)
    if (shots := screenshot_dir()) is not None:
        page.screenshot(path=shots / "home.png", full_page=True)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    page.goto(live_server.url)
    expect(page).to_have_url(f"{live_server.url}/login?next=%2F")


def test_wrong_password_shows_a_clear_message(page: Page, live_server: LiveServer) -> None:
    live_server.create_user(UserRole.VOLUNTEER, "wes@example.org", "Wes")
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Email").fill("wes@example.org")
    page.get_by_label("Password").fill("not my password at all")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text(
        "That email and password do not match an active account."
    )


def test_admin_adds_a_user_on_a_phone(
    new_page: Callable[..., Page], live_server: LiveServer
) -> None:
    live_server.create_user(UserRole.ADMIN, "ada@example.org", "Ada Admin")
    page = new_page(viewport=PHONE)
    sign_in(page, live_server, "ada@example.org")
    open_menu(page)
    page.get_by_role("link", name="Users").click()
    page.get_by_label("Email").fill("nina@example.org")
    page.get_by_label("Name").fill("Nina New")
    page.get_by_label("Role").select_option("coordinator")
    page.get_by_label("Initial password").fill("a shared first password")
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_text("Added Nina New as coordinator.")).to_be_visible()
    expect(page.get_by_role("cell", name="nina@example.org")).to_be_visible()
    if (shots := screenshot_dir()) is not None:
        page.screenshot(path=shots / "users-phone.png", full_page=True)


def test_main_pages_fit_a_phone_screen_without_sideways_scrolling(
    new_page: Callable[..., Page], live_server: LiveServer
) -> None:
    live_server.create_user(UserRole.ADMIN, "phone-admin@example.org", "Phoebe Phone")
    page = new_page(viewport=PHONE)
    sign_in(page, live_server, "phone-admin@example.org")
    for path in (
        "/",
        "/officials/",
        "/follow-ups/?when=upcoming",
        "/officials/new",
        "/officials/upload",
        "/imports/",
        "/admin/users",
        "/account",
    ):
        page.goto(f"{live_server.url}{path}")
        no_sideways_scroll(page)
