"""The field to search for recipients is wide enough to read what one types, with its button
beside it and its help below, at 390 px and at 1280 px, in both languages (Pico squeezed the
label, the field, the help and the button into one pill-shaped row). The one-field searches (the
quick log's, "Add a recipient" and the Mail page's) look like the directory's: label above,
button below."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import PHONE, LiveServer, no_sideways_scroll
from tests.browser.test_phone_campaign_journey import DESKTOP, demo_campaign_url, open_as


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_search_fields_are_wide_with_their_button_beside_or_below_never_a_pill(
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
    for path in ("/log/?q=joly", f"{demo_campaign_url(demo_letter_server)}/recipients/find"):
        page.goto(path if path.startswith("http") else demo_letter_server.url + path)
        one_field_search_like_the_directorys(page, viewport)
    # The Mail page's search shares its row with the "Show" filter, as the directory's does.
    page.goto(f"{demo_letter_server.url}/mail/?q=joly")
    one_field_search_like_the_directorys(page, viewport, "mail-q", wide=0.5)
    show = page.locator("#mail-show").bounding_box()
    field = page.locator("#mail-q").bounding_box()
    assert show and field
    if viewport is PHONE:
        assert show["y"] >= field["y"] + field["height"], "each on its own line on a phone"
    else:
        assert show["x"] >= field["x"] + field["width"], "the filter beside the field"


def one_field_search_like_the_directorys(
    page: Page, viewport: dict[str, int], field_id: str = "q", wide: float = 0.55
) -> None:
    label = page.locator(f"label[for={field_id}]").bounding_box()
    field = page.locator(f"#{field_id}").bounding_box()
    button = page.locator("form.filter-bar button[type=submit]")
    box = button.bounding_box()
    assert label and field and box
    landmark = page.get_by_role("search").locator(f"#{field_id}")
    assert landmark.count() == 1, "still a search landmark"
    assert field["width"] >= viewport["width"] * wide, field
    assert box["y"] >= field["y"] + field["height"], "the button sits below the field"
    assert box["width"] < field["width"] / 2, "a button, not a bar"
    radius = button.evaluate("b => parseFloat(getComputedStyle(b).borderTopRightRadius)")
    assert radius < 16, f"{page.url}: a pill-shaped button ({radius} px)"
    no_sideways_scroll(page)
