"""The header in French: on a 1280 px screen its links sit on one row for every role; on a phone
they fold behind a Menu button that opens without any script. Screenshots of the directory and
a campaign page in French, wide and on a phone, go to docs/screenshots/ (make screenshots)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.browser.conftest import (
    PHONE,
    LiveServer,
    hilltrack_of_its_own,
    no_sideways_scroll,
    running_worker,
    serving,
)
from tests.browser.test_outreach_journey import shoot
from tracker.models import Campaign, UserRole
from tracker.web.db import state

WIDE = {"width": 1280, "height": 800}
FRENCH = "fr-CA"
# The rows the header's items sit on: items whose middles are this close share a row.
ROW = 8


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A Hilltrack of its own holding the demo: a full directory and a campaign."""
    app = hilltrack_of_its_own(tmp_path_factory.mktemp("header-instance"))
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with serving(app) as live, running_worker(app):
        yield live


def campaign_path(server: LiveServer) -> str:
    with server.app.app_context(), state(server.app).sessions() as session:
        return f"/campaigns/{session.scalars(select(Campaign.id)).first()}"


def in_french(new_page: Callable[..., Page], viewport: dict[str, int]) -> Page:
    page = new_page(viewport=viewport)
    page.context.set_extra_http_headers({"Accept-Language": FRENCH})
    return page


def rows_of_the_header(page: Page) -> int:
    middles = page.eval_on_selector_all(
        ".site-header nav > ul > li, .site-header .site-menu > ul > li",
        "items => items.filter(i => i.checkVisibility()).map(i => i.getBoundingClientRect())"
        ".map(r => r.top + r.height / 2)",
    )
    rows: list[float] = []
    for middle in sorted(middles):
        if not rows or middle - rows[-1] > ROW:
            rows.append(middle)
    return len(rows)


@pytest.mark.parametrize("role", list(UserRole), ids=lambda r: r.value)
def test_the_french_header_sits_on_one_row_at_1280_px_for_every_role(
    new_page: Callable[..., Page], demo_server: LiveServer, role: UserRole
) -> None:
    email = f"header-{role.value}@example.org"
    demo_server.create_user(role, email, f"Dominique Tremblay-Lefebvre ({role.value})")
    page = in_french(new_page, WIDE)
    sign_in_fr(page, demo_server, email)
    for path in ("/officials/", campaign_path(demo_server)):
        page.goto(demo_server.url + path)
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(page.locator(".site-menu > summary")).to_be_hidden()
        expect(page.locator(".site-header").get_by_role("link", name="Campagnes")).to_be_visible()
        assert rows_of_the_header(page) == 1, f"{path} as {role.value}"
        no_sideways_scroll(page)
    if role is UserRole.ADMIN:
        page.goto(demo_server.url + "/officials/")
        shoot(page, "directory-fr-1280", whole=False)
        page.goto(demo_server.url + campaign_path(demo_server))
        shoot(page, "campaign-fr-1280", whole=False)


def test_on_a_phone_the_menu_button_opens_every_page_without_script(
    browser: object, new_page: Callable[..., Page], demo_server: LiveServer
) -> None:
    demo_server.create_user(UserRole.ADMIN, "header-phone@example.org", "Ada Admin")
    page = in_french(new_page, PHONE)
    page.context.route("**/*.js", lambda route: route.abort())  # no script at all
    sign_in_fr(page, demo_server, "header-phone@example.org")
    page.goto(demo_server.url + "/officials/")
    menu = page.locator(".site-menu > summary")
    expect(menu).to_have_text("Menu")
    expect(page.locator(".site-header").get_by_role("link", name="Campagnes")).to_be_hidden()
    shoot(page, "directory-fr-390", whole=False)
    assert rows_of_the_header(page) == 1  # brand, Menu and the language on one row
    no_sideways_scroll(page)
    menu.click()
    expect(page.locator(".site-header").get_by_role("link", name="Utilisateurs")).to_be_visible()
    shoot(page, "menu-fr-390", whole=False)
    page.locator(".site-header").get_by_role("link", name="Campagnes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Campagnes")
    page.goto(demo_server.url + campaign_path(demo_server))
    no_sideways_scroll(page)
    shoot(page, "campaign-fr-390", whole=False)


def sign_in_fr(page: Page, server: LiveServer, email: str) -> None:
    """Sign in on the French sign-in page (the browser asks for French)."""
    from tests.browser.conftest import BROWSER_PASSWORD

    page.goto(f"{server.url}/login")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(BROWSER_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.locator(".site-menu")).to_have_count(1)
