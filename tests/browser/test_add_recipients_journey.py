"""A coordinator adds the 2023 letter's 15 recipients to a new campaign by searching as they
type and ticking, in at most 20 clicks: at 1280 px from the campaign page, at 390 px on the
page of its own. Nothing scrolls sideways on that page, in English or in French."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import (
    PHONE,
    LiveServer,
    hilltrack_of_its_own,
    no_sideways_scroll,
    serving,
)
from tests.browser.test_sign_in_journey import sign_in
from tracker.models import Recipient, UserRole
from tracker.operations.demo import load_demo
from tracker.operations.imports import ImportOptions, bundled_snapshot, run_officials_import
from tracker.web.db import state, write_session

DESKTOP = {"width": 1280, "height": 900}
MAX_CLICKS = 20


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A Hilltrack of its own with the bundled House snapshot and the demo letter loaded."""
    app = hilltrack_of_its_own(tmp_path_factory.mktemp("add-recipients-instance"))
    folder, as_of = bundled_snapshot()
    run_officials_import(state(app).sessions, ImportOptions(from_dir=folder, as_of=as_of))
    with app.app_context():
        session = write_session()
        load_demo(session)
        session.commit()
    with serving(app) as live:
        yield live


def letter_recipients(server: LiveServer, campaign_id: int | None = None) -> list[tuple[int, str]]:
    """(official id, family name) of a campaign's recipients, in the letter's order: the demo
    letter's when no campaign is named."""
    with server.app.app_context():
        session = write_session()
        query = select(Recipient).order_by(Recipient.position)
        query = query.where(
            Recipient.campaign_id == campaign_id if campaign_id else Recipient.campaign_id == 1
        )
        found = [(r.official_id, r.official.family_name) for r in session.scalars(query)]
        session.rollback()
        return found


class Clicks:
    """Every click the coordinator makes, counted."""

    def __init__(self, page: Page) -> None:
        self.page, self.count = page, 0

    def on(self, selector: str) -> None:
        self.page.locator(selector).first.click()
        self.count += 1


def new_campaign(page: Page, server: LiveServer, title: str) -> int:
    page.goto(f"{server.url}/campaigns/new")
    page.get_by_label("Title in English").fill(title)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(re.compile("Now add its recipients"))).to_be_visible()
    return int(page.url.rstrip("/").rsplit("/", 1)[-1])


def wait_for_the_search_script(page: Page) -> None:
    """Results come as one types once the page's script has run: a loaded machine can show the
    page before it does (the script then searches what was typed, but the test's next step
    would already be waiting for the results of a later name)."""
    expect(page.locator("[data-recipient-search][data-enhanced]").first).to_be_attached()


def tick_everyone(page: Page, clicks: Clicks, wanted: list[tuple[int, str]]) -> None:
    """Type each family name (typing is no click) and tick the one meant."""
    search = page.locator("#add-q")
    wait_for_the_search_script(page)
    for official_id, family in wanted:
        search.fill(family)
        box = page.locator(f"[data-results] #pick-{official_id}")
        expect(box).to_be_visible(timeout=15_000)  # the results come as one types, over HTTP
        clicks.on(f"[data-results] #pick-{official_id}")
        expect(page.locator(f"[data-picked] input[value='{official_id}']")).to_be_checked()
    expect(page.locator("[data-pick-count]")).to_have_text(str(len(wanted)))


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_the_letters_fifteen_recipients_are_added_in_at_most_twenty_clicks(
    new_page: Callable[..., Page], demo_server: LiveServer, viewport: dict[str, int]
) -> None:
    email = f"adder{viewport['width']}@example.org"
    demo_server.create_user(UserRole.COORDINATOR, email, "Ada Adder")
    page = new_page(viewport)
    sign_in(page, demo_server, email)
    wanted = letter_recipients(demo_server)
    assert len(wanted) == 15
    campaign_id = new_campaign(page, demo_server, f"A new letter at {viewport['width']} px")

    clicks = Clicks(page)
    if viewport is PHONE:
        # The search is a page of its own on a phone, one tap from the campaign page.
        clicks.on("text=Add recipients on a page of their own")
        expect(page).to_have_url(re.compile(rf"/campaigns/{campaign_id}/recipients/add"))
    else:
        expect(page.locator("#add-q")).to_be_visible()
    tick_everyone(page, clicks, wanted)
    clicks.on("[data-pick-form] button[type=submit]")
    expect(page.get_by_text("Added 15 recipients.")).to_be_visible()
    assert clicks.count <= MAX_CLICKS, clicks.count
    assert sorted(letter_recipients(demo_server, campaign_id)) == sorted(wanted)
    # Back to the same search, where the page was, everyone found shown as added already.
    expect(page.locator("#add-q")).to_have_value(wanted[-1][1])
    expect(page.get_by_text("already a recipient").first).to_be_visible()


def test_the_add_page_fits_a_phone_in_both_languages(
    new_page: Callable[..., Page], demo_server: LiveServer
) -> None:
    demo_server.create_user(UserRole.COORDINATOR, "phone-adder@example.org", "Pat Phone")
    page = new_page(PHONE)
    sign_in(page, demo_server, "phone-adder@example.org")
    campaign_id = new_campaign(page, demo_server, "A letter read on a phone")
    page.goto(f"{demo_server.url}/campaigns/{campaign_id}/recipients/add?q=Trois-Rivieres")
    expect(page.locator("[data-results] li").first).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page)
    wait_for_the_search_script(page)
    page.locator("#add-q").fill("Ahuntsic Cartierville")
    expect(page.get_by_text("Ahuntsic-Cartierville").first).to_be_visible()
    no_sideways_scroll(page)
    page.get_by_role("button", name="Français").click()
    expect(page.get_by_role("heading", name="Ajouter les destinataires")).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page)
