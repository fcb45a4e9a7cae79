"""On a phone, a page's breadcrumb reads as one line of text that wraps ("Campaigns then Open
letter: … then Add recipients"), in both languages, instead of three columns that spread a long
campaign title thin (Pico styles only a nav labelled "breadcrumb", and ours is labelled in the
reader's language)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import PHONE, LiveServer, no_sideways_scroll
from tests.browser.test_phone_campaign_journey import demo_campaign_url, open_as


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_phones_breadcrumb_flows_as_a_line_with_dividers(
    new_page: Callable[..., Page], demo_letter_server: LiveServer, language: str
) -> None:
    page = open_as(new_page, demo_letter_server, PHONE, language)
    page.goto(f"{demo_campaign_url(demo_letter_server)}/recipients/add")
    links = page.locator("nav.breadcrumb li")
    first, second = links.nth(0).bounding_box(), links.nth(1).bounding_box()
    assert first and second
    assert abs(first["y"] - second["y"]) < 4, (first, second)  # the title follows on the line
    assert second["x"] < PHONE["width"] / 2  # and it is not squeezed into a narrow column
    divider = links.nth(0).evaluate("item => getComputedStyle(item, '::after').content")
    assert "\u203a" in divider
    no_sideways_scroll(page)
