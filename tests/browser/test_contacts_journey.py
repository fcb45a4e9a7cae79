"""Pasting e-mail addresses for many officials, on a 390 px phone in English and in French:
neither the paste page nor its preview scrolls sideways, and a nickname is asked about."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import PHONE, LiveServer, no_sideways_scroll
from tests.browser.test_header_journey import in_french, sign_in_fr
from tests.browser.test_outreach_journey import ensure_officials
from tests.browser.test_sign_in_journey import sign_in
from tracker.models import UserRole

LIST = (
    "Rob Oliphant\trobert.oliphant.a.rather.long.address@parl.gc.ca\t613-992-4964\t"
    "Room 123, Confederation Building, House of Commons, Ottawa, Ontario K1A 0A6\n"
    "Nobody Known\tnobody@parl.gc.ca\n"
)
WORDS = {
    "en": ("Paste the list", "Preview", r"Rob Oliphant: is this Robert Oliphant"),
    "fr": ("Collez la liste", "Aperçu", r"Rob Oliphant\s*: s'agit-il de Robert Oliphant"),
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_paste_page_and_its_preview_fit_a_phone(
    new_page: Callable[..., Page], live_server: LiveServer, language: str
) -> None:
    email = f"paste-{language}@example.org"
    live_server.create_user(UserRole.COORDINATOR, email, "Paula Paste")
    desk = new_page()
    sign_in(desk, live_server, email)
    ensure_officials(desk, live_server)

    if language == "fr":
        page = in_french(new_page, PHONE)
        sign_in_fr(page, live_server, email)
    else:
        page = new_page(viewport=PHONE)
        sign_in(page, live_server, email)
    label, button, question = WORDS[language]
    page.goto(f"{live_server.url}/officials/contacts/")
    no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_label(label).fill(LIST)
    page.get_by_role("button", name=button).click()
    expect(page.get_by_text(re.compile(question))).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page)
