"""On the data `make run` and `hilltrack demo` give (the bundled snapshot and the 2023 letter):
a coordinator adds the FAAE chair and vice-chairs by role, and where the directory has no
parliamentary secretary, the page says why none can be added and what to do."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import PHONE, LiveServer, no_sideways_scroll
from tests.browser.test_sign_in_journey import sign_in
from tracker import clock
from tracker.models import UserRole


def new_letter(page: Page, server: LiveServer, title: str, on: dt.date) -> None:
    page.goto(f"{server.url}/campaigns/new")
    page.get_by_label("Title in English").fill(title)
    page.get_by_label("Date of the letter").fill(on.isoformat())
    page.get_by_label("Status").select_option("active")
    page.get_by_role("button", name="Save").click()


def test_faae_leads_by_role_on_the_demo_data_and_an_honest_zero(
    new_page: Callable[..., Page], demo_letter_server: LiveServer
) -> None:
    demo_letter_server.create_user(UserRole.COORDINATOR, "dora@example.org", "Dora Coordinator")
    page = new_page(viewport=PHONE)
    sign_in(page, demo_letter_server, "dora@example.org")
    # A follow-up letter to the 2023 letter's committee leads, dated like it.
    new_letter(page, demo_letter_server, "Follow-up to the September letter", dt.date(2023, 9, 7))
    page.locator("#byrole-selection").select_option("committee_leads")
    faae = page.locator("#byrole-committee option", has_text="FAAE").get_attribute("value")
    page.locator("#byrole-committee").select_option(faae)
    page.get_by_role("button", name="Preview who will be added").click()
    expect(page.get_by_text("3 to add.")).to_be_visible()
    for name in ("Ali Ehsassi", "Garnett Genuis", "Stéphane Bergeron"):
        expect(page.get_by_role("cell", name=name, exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Add the ticked").click()
    expect(page.get_by_text("Added 3 recipients.")).to_be_visible()

    # Today the directory knows no parliamentary secretary: the option says so, and so does
    # the preview, with what to do; nothing reads as a success.
    new_letter(page, demo_letter_server, "A letter of today", clock.today())
    option = page.locator("#byrole-selection option[value='parliamentary_secretaries']")
    assert "0 known now" in option.inner_text()
    page.locator("#byrole-selection").select_option("parliamentary_secretaries")
    page.get_by_role("button", name="Preview who will be added").click()
    expect(page.get_by_text("No one in the directory holds this role")).to_be_visible()
    expect(page.get_by_text("Run an import with network access")).to_be_visible()
    expect(page.get_by_text("Added 0 recipients")).to_have_count(0)
    no_sideways_scroll(page)
    assert_accessible(page)
