"""A campaign page on a 390 px phone, in both languages: the send bar stays out of the way until
a recipient is ticked, then fits on one line with today's date; a coordinator's secondary
sections (adding recipients, signatories, planning a follow-up) start folded, and open with a
tap. At 1280 px they are open."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import PHONE, LiveServer, no_sideways_scroll
from tests.browser.test_outreach_journey import shoot
from tests.browser.test_sign_in_journey import sign_in
from tracker import clock
from tracker.models import Campaign, UserRole
from tracker.web.db import write_session

DESKTOP = {"width": 1280, "height": 900}
PEOPLE = itertools.count()
WORDS = {
    "en": {"summary": "Add recipients", "signatories": "Signatories"},
    "fr": {"summary": "Ajouter les destinataires", "signatories": "Signataires"},
}


def demo_campaign_url(server: LiveServer) -> str:
    with server.app.app_context():
        campaign_id = write_session().query(Campaign.id).order_by(Campaign.id).limit(1).scalar()
    return f"{server.url}/campaigns/{campaign_id}"


def open_as(
    new_page: Callable[..., Page], server: LiveServer, viewport: dict[str, int], language: str
) -> Page:
    email = f"cora-{next(PEOPLE)}@example.org"
    server.create_user(UserRole.COORDINATOR, email, "Cora Coordinator")
    page = new_page(viewport=viewport)
    sign_in(page, server, email)
    if language == "fr":
        page.get_by_role("button", name="Français").click()
        expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.goto(demo_campaign_url(server))
    return page


@pytest.mark.parametrize("language", ["en", "fr"])
def test_on_a_phone_the_send_bar_waits_for_a_tick_then_fits_one_line_dated_today(
    new_page: Callable[..., Page], demo_letter_server: LiveServer, language: str
) -> None:
    page = open_as(new_page, demo_letter_server, PHONE, language)
    bar = page.locator("[data-send-bar]")
    expect(bar).to_be_hidden()
    no_sideways_scroll(page)
    first = page.locator('input[name="recipient"]').first
    first.scroll_into_view_if_needed()
    first.check()
    expect(bar).to_be_visible()
    expect(page.locator("[data-ticked-count]")).to_have_text("1")
    date = bar.locator('input[type="date"]')
    assert date.input_value() == clock.today().isoformat()
    boxes = [
        bar.locator(selector).bounding_box()
        for selector in ('input[type="date"]', "select", '[type="submit"]', "[data-ticked-count]")
    ]
    assert all(box is not None for box in boxes)
    middles = [box["y"] + box["height"] / 2 for box in boxes if box]
    assert max(middles) - min(middles) <= 4, middles  # one line
    whole = bar.bounding_box()
    assert whole is not None and whole["height"] <= 64, whole  # not a third of the screen
    for box in boxes:
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], boxes
    no_sideways_scroll(page)
    shoot(page, f"send-bar-phone-{language}", whole=False)
    assert_accessible(page)
    first.uncheck()
    expect(bar).to_be_hidden()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_on_a_phone_a_coordinators_secondary_sections_start_folded_and_open_with_a_tap(
    new_page: Callable[..., Page], demo_letter_server: LiveServer, language: str
) -> None:
    page = open_as(new_page, demo_letter_server, PHONE, language)
    folded = page.locator("details[data-fold]")
    assert folded.count() >= 3
    expect(page.locator("details[data-fold][open]")).to_have_count(0)
    by_role = page.locator("#byrole-selection")
    expect(by_role).to_be_hidden()
    page.locator("details.fold > summary", has_text=WORDS[language]["summary"]).click()
    expect(by_role).to_be_visible()
    signatories = page.locator("#signatories details.fold")
    expect(signatories.locator(".signatory-row").first).to_be_hidden()
    signatories.locator("> summary").click()
    expect(signatories.locator(".signatory-row").first).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page)


def test_on_a_wide_screen_every_section_is_open_and_the_send_bar_still_waits_for_a_tick(
    new_page: Callable[..., Page], demo_letter_server: LiveServer
) -> None:
    page = open_as(new_page, demo_letter_server, DESKTOP, "en")
    expect(page.locator("details[data-fold]:not([open])")).to_have_count(0)
    expect(page.locator("#byrole-selection")).to_be_visible()
    expect(page.locator("[data-send-bar]")).to_be_hidden()
    page.get_by_role("button", name="Tick all", exact=True).click()
    expect(page.locator("[data-send-bar]")).to_be_visible()


def test_a_link_to_the_signatories_opens_them_on_a_phone(
    new_page: Callable[..., Page], demo_letter_server: LiveServer
) -> None:
    page = open_as(new_page, demo_letter_server, PHONE, "en")
    page.goto(demo_campaign_url(demo_letter_server) + "#signatories")
    expect(page.locator("#signatories details.fold")).to_have_attribute("open", "")
    expect(page.locator(".signatory-row").first).to_be_visible()
