"""On a phone, each recipient's card labels its facts the way each language writes them: "Said
since the letter: …" in English, "Dit depuis la lettre : …" (a space before the colon) in French."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import PHONE, LiveServer
from tests.browser.test_phone_campaign_journey import open_as

LABEL = {"en": "Said since the letter: ", "fr": "Dit depuis la lettre\u00a0: "}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_phones_recipient_cards_put_the_colon_as_the_language_does(
    new_page: Callable[..., Page], demo_letter_server: LiveServer, language: str
) -> None:
    page = open_as(new_page, demo_letter_server, PHONE, language)
    said = page.locator("table.cards td.said").first
    said.scroll_into_view_if_needed()
    shown = said.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert shown == f'"{LABEL[language]}"', shown
