"""On a 390 px phone, a coordinator writes a letter in English only, adds a French reader by
name, finds them waiting on the Letters page and gives them the English text; the language of
ticked recipients changes from the campaign page. Nothing scrolls sideways."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import (
    PHONE,
    LiveServer,
    hilltrack_of_its_own,
    no_sideways_scroll,
    running_worker,
    serving,
)
from tests.browser.test_outreach_journey import ensure_officials
from tests.browser.test_sign_in_journey import sign_in
from tracker.models import UserRole


@pytest.fixture(scope="module")
def languages_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A Hilltrack of its own: the recipients added here would change whom the shared
    server's other journeys find open letters for."""
    app = hilltrack_of_its_own(tmp_path_factory.mktemp("languages-instance"))
    with serving(app) as live, running_worker(app):
        yield live


def test_a_letter_in_one_language_and_each_recipients_language_on_a_phone(
    new_page: Callable[..., Page], languages_server: LiveServer
) -> None:
    live_server = languages_server
    live_server.create_user(UserRole.COORDINATOR, "lou@example.org", "Lou Languages")
    page = new_page(PHONE)
    sign_in(page, live_server, "lou@example.org")
    ensure_officials(page, live_server)

    page.goto(f"{live_server.url}/campaigns/new")
    no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_label("Title in English").fill("Letter written in English only")
    page.get_by_label("Letter text in English").fill("We write about the corridor.")
    expect(page.get_by_label("Language of new recipients")).to_have_value("en")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(re.compile("Now add its recipients"))).to_be_visible()
    campaign_url = page.url

    page.goto(f"{campaign_url}/recipients/find?q=Joly")
    no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_label("Letter language for Mélanie Joly").select_option("fr")
    page.get_by_role("button", name="Add").first.click()
    expect(page.get_by_text("Added Mélanie Joly.")).to_be_visible()
    page.goto(f"{campaign_url}/recipients/find?q=Genuis")
    page.get_by_role("button", name="Add").first.click()
    expect(page.get_by_text("Added Garnett Genuis.")).to_be_visible()
    page.wait_for_load_state("load")  # the page's style sheet applied before measuring it

    no_sideways_scroll(page)
    page.get_by_label("Select Garnett Genuis").check()
    page.locator("#lang-language").select_option("fr")
    language_button = page.get_by_role("button", name="Write their letters in this language")
    language_button.scroll_into_view_if_needed()
    box = language_button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    language_button.click()
    expect(page.get_by_text("1 letter is now in that language.")).to_be_visible()

    page.goto(f"{campaign_url}/letters/")
    held = page.locator("section.held-for-text")
    expect(held.get_by_role("heading", name="No French version yet")).to_be_visible()
    expect(held).to_contain_text("Mélanie Joly")
    expect(held).to_contain_text("Garnett Genuis")
    no_sideways_scroll(page)
    assert_accessible(page)
    held.get_by_label("Garnett Genuis").uncheck()
    held.get_by_role("button", name="Send the ticked recipients the English text").click()
    expect(page.get_by_text("1 letter is now in that language.")).to_be_visible()
    expect(page.locator("section.held-for-text")).not_to_contain_text("Mélanie Joly")
    expect(page.locator("section.held-for-text")).to_contain_text("Garnett Genuis")
