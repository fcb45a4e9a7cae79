"""The field to search for recipients is wide enough to read what one types, with its button
beside it and its help below, at 390 px and at 1280 px, in both languages (Pico squeezed the
label, the field, the help and the button into one pill-shaped row)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import PHONE, LiveServer, no_sideways_scroll
from tests.browser.test_phone_campaign_journey import DESKTOP, demo_campaign_url, open_as


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_the_recipient_search_field_is_wide_with_its_button_beside_it_and_help_below(
    new_page: Callable[..., Page],
    demo_letter_server: LiveServer,
    viewport: dict[str, int],
    language: str,
) -> None:
    page = open_as(new_page, demo_letter_server, viewport, language)
    page.goto(f"{demo_campaign_url(demo_letter_server)}/recipients/add")
    field = page.locator("#add-q").bounding_box()
    button = page.locator("[data-search-form] button").bounding_box()
    help_text = page.locator("#add-q-help").bounding_box()
    assert field and button and help_text
    assert field["width"] >= viewport["width"] * 0.55, field
    assert button["x"] >= field["x"] + field["width"]  # beside it, on its right
    assert abs((button["y"] + button["height"]) - (field["y"] + field["height"])) < 12
    assert help_text["y"] >= field["y"] + field["height"]  # below, not squeezed beside
    no_sideways_scroll(page)
