"""The campaign tools a coalition ran into, at 1280 px and on a 390 px phone: add by role with a
preview, signatories pasted and reordered, bulk send with a count and a bar in view, a Log link
that keeps its campaign, the quick log's next step and fields, the officials filters, an
official's letters, and a first sign-in that asks for a password of one's own."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import (
    BROWSER_PASSWORD,
    PHONE,
    LiveServer,
    no_sideways_scroll,
    open_menu,
)
from tests.browser.test_outreach_journey import ensure_officials, shoot
from tests.browser.test_sign_in_journey import sign_in
from tracker import clock
from tracker.models import UserRole
from tracker.operations.accounts import create_user_with_one_time_password
from tracker.web.db import write_session

DESKTOP = {"width": 1280, "height": 900}


def on_screen_horizontally(page: Page, locator_box: dict[str, float] | None) -> None:
    assert locator_box is not None
    assert locator_box["x"] >= 0
    assert locator_box["x"] + locator_box["width"] <= page.viewport_size["width"]  # type: ignore[index]


def build_campaign(page: Page, server: LiveServer, title: str) -> str:
    """A campaign to every current minister, added by role after a preview; returns its URL."""
    page.goto(f"{server.url}/campaigns/new")
    page.get_by_label("Title in English").fill(title)
    page.get_by_label("Date of the letter").fill(clock.today().isoformat())
    page.get_by_label("Status").select_option("active")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(re.compile("Now add its recipients"))).to_be_visible()
    url = page.url
    # Each option shows only its own fields.
    page.locator("#byrole-selection").select_option("party")
    expect(page.locator("#byrole-party")).to_be_visible()
    expect(page.locator("#byrole-committee")).to_be_hidden()
    expect(page.locator("#byrole-minister")).to_be_hidden()
    page.locator("#byrole-selection").select_option("parliamentary_secretaries")
    expect(page.locator("#byrole-minister")).to_be_visible()
    expect(page.locator("#byrole-party")).to_be_hidden()
    assert page.locator("#byrole-minister option", has_text="Minister of Foreign Affairs").count()
    page.locator("#byrole-selection").select_option("ministers")
    page.get_by_role("button", name="Preview who will be added").click()
    expect(page.get_by_role("heading", name="Who will be added")).to_be_visible()
    expect(
        page.get_by_text("The Right Honourable Mark Carney, P.C., M.P., Prime Minister")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Add the ticked").click()
    expect(page.get_by_text(re.compile(r"Added \d+ recipients\."))).to_be_visible()
    return url


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_coordinators_campaign_tools(
    new_page: Callable[..., Page], live_server: LiveServer, viewport: dict[str, int]
) -> None:
    width = viewport["width"]
    live_server.create_user(UserRole.COORDINATOR, f"cleo{width}@example.org", "Cleo Coordinator")
    page = new_page(viewport=viewport)
    sign_in(page, live_server, f"cleo{width}@example.org")
    ensure_officials(page, live_server)
    campaign_url = build_campaign(page, live_server, f"Ministers letter ({width})")
    no_sideways_scroll(page)

    # Signatories: a pasted list, previewed, then reordered and given a lead in one save.
    pasted = page.get_by_label("Organisations, one per line")
    expect(pasted).to_be_visible()  # open while the letter has no signatory
    pasted.fill("1. Hayren Partners for Humanity\n2. Genocide Watch\n3. Zoryan Institute")
    page.locator("#signatories").get_by_role("button", name="Preview").click()
    expect(page.get_by_text("3 to add, in this order")).to_be_visible()
    page.get_by_role("button", name="Add these 3").click()
    expect(page.get_by_text("Added 3 signatories.")).to_be_visible()
    page.wait_for_load_state("load")  # the move buttons work once the page's script has run
    page.get_by_role("button", name="Move Zoryan Institute up").click()
    page.get_by_role("button", name="Move Zoryan Institute up").click()
    zoryan = page.locator(".signatory-row", has=page.locator('input[value="Zoryan Institute"]'))
    zoryan.get_by_label("Lead").check()
    page.get_by_role("button", name="Save the list").click()
    expect(page.get_by_text("Signatories saved.")).to_be_visible()
    first = page.locator(".signatory-row").first
    expect(first.locator(".name input")).to_have_value("Zoryan Institute")
    expect(first.get_by_label("Lead")).to_be_checked()

    # Bulk send: tick all not yet sent, see the count, and the bar stays in view.
    page.locator("table.recipients").scroll_into_view_if_needed()
    page.get_by_role("button", name=re.compile("Tick all not yet sent")).click()
    ticked = int(page.locator("[data-ticked-count]").inner_text())
    assert ticked == page.locator('input[name="recipient"]').count() > 20
    page.mouse.wheel(0, 300)
    bar = page.locator(".bulk-bar").bounding_box()
    assert bar is not None and bar["y"] + bar["height"] <= viewport["height"] + 1
    assert_accessible(page)
    page.get_by_role("button", name="Mark as sent").click()
    expect(page.get_by_text(f"Marked {ticked} recipients as sent.")).to_be_visible()
    page.goto(f"{live_server.url}/officials/")
    no_sideways_scroll(page)
    assert_accessible(page)
    assert campaign_url


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_volunteers_log_and_look_up(
    new_page: Callable[..., Page], live_server: LiveServer, viewport: dict[str, int]
) -> None:
    width = viewport["width"]
    live_server.create_user(UserRole.COORDINATOR, f"cato{width}@example.org", "Cato Coordinator")
    live_server.create_user(UserRole.VOLUNTEER, f"vic{width}@example.org", "Vic Volunteer")
    desk = new_page(viewport=DESKTOP)
    sign_in(desk, live_server, f"cato{width}@example.org")
    ensure_officials(desk, live_server)
    campaign_url = build_campaign(desk, live_server, f"Ministers letter (phone {width})")
    # A second, newer open letter to the same ministers: the Log link must keep its campaign.
    build_campaign(desk, live_server, f"Newer ministers letter (phone {width})")

    phone = new_page(viewport=viewport)
    sign_in(phone, live_server, f"vic{width}@example.org")
    phone.goto(campaign_url)
    no_sideways_scroll(phone)
    if width == PHONE["width"]:
        phone.locator("#bulk-sent").evaluate("form => form.scrollIntoView()")
        shoot(phone, "campaign-phone", whole=False)
    joly = phone.locator("table.recipients tr", has_text="Mélanie Joly")
    log_link = joly.get_by_role("link", name="Log")
    log_link.scroll_into_view_if_needed()
    on_screen_horizontally(phone, log_link.bounding_box())
    expect(joly.locator(".badge")).to_be_visible()
    assert_accessible(phone)
    log_link.click()
    chosen = phone.locator('input[name="recipient_id"]:checked')
    expect(chosen.locator("xpath=..")).to_contain_text(f"Ministers letter (phone {width})")
    expect(chosen.locator("xpath=..")).not_to_contain_text("Newer")
    assert phone.locator('input[name="recipient_id"]').count() >= 2
    expect(phone.get_by_text("Now:").first).to_be_visible()
    # Not sent yet: the next step is a send; the reply's fields stay hidden.
    expect(phone.get_by_label("Sent", exact=True)).to_be_checked()
    expect(phone.get_by_label("Kind of reply")).to_be_hidden()
    phone.get_by_label("How").select_option("email")
    phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_role("heading", name="Saved")).to_be_visible()
    phone.get_by_role("button", name="More for Mélanie Joly").click()
    expect(phone.get_by_label("Reply received")).to_be_checked()  # the next likely step
    expect(phone.get_by_label("Kind of reply")).to_be_visible()
    expect(phone.get_by_label("Who attended for the office")).to_be_hidden()
    phone.get_by_label("Meeting held").check()
    expect(phone.get_by_label("Who attended for the office")).to_be_visible()
    expect(phone.get_by_label("Kind of reply")).to_be_hidden()
    no_sideways_scroll(phone)
    assert_accessible(phone)

    # The officials filters are usable at 390 px.
    phone.goto(f"{live_server.url}/officials/")
    no_sideways_scroll(phone)
    for field in ("#kind", "#status", "#party", "#committee"):
        box = phone.locator(field).bounding_box()
        assert box is not None and box["width"] >= 150, field  # not crushed to "In office r"
    on_screen_horizontally(phone, phone.get_by_role("button", name="Clear filters").bounding_box())
    assert_accessible(phone)

    # An official's page lists the letters they received.
    phone.goto(f"{live_server.url}/officials/?q=joly&status=all")
    phone.get_by_role("link", name=re.compile("Mélanie Joly")).first.click()
    letters = phone.locator(
        "section", has=phone.get_by_role("heading", name=re.compile("Letters received"))
    )
    mine = letters.get_by_role("link", name=f"Ministers letter (phone {width})", exact=True)
    expect(mine).to_have_count(1)
    newer = letters.get_by_role("link", name=f"Newer ministers letter (phone {width})")
    expect(newer).to_have_count(1)
    no_sideways_scroll(phone)


FIRST_SIGN_IN = {
    "en": {
        "Email": "Email",
        "Password": "Password",
        "Sign in": "Sign in",
        "asked": "choose your own to continue",
        "heading": "Choose your own password",
        "again": "New password again",
        "choose": "Choose this password",
        "done": "Your own password is set.",
        "Campaigns": "Campaigns",
    },
    "fr": {
        "Email": "Courriel",
        "Password": "Mot de passe",
        "Sign in": "Connexion",
        "asked": "choisissez le vôtre pour continuer",
        "heading": "Choisissez votre mot de passe",
        "again": "Nouveau mot de passe, de nouveau",
        "choose": "Choisir ce mot de passe",
        "done": "Votre mot de passe est enregistré.",
        "Campaigns": "Campagnes",
    },
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_first_sign_in_with_a_one_time_password_asks_for_ones_own_once_and_lands_home(
    new_page: Callable[..., Page], live_server: LiveServer, language: str
) -> None:
    words = FIRST_SIGN_IN[language]
    email = f"otto-{language}@example.org"
    with live_server.app.app_context():
        session = write_session()
        _, password = create_user_with_one_time_password(
            session, email=email, name="Otto", role=UserRole.VOLUNTEER, actor=None
        )
        session.commit()
    phone = new_page(viewport=PHONE)
    phone.goto(f"{live_server.url}/login")
    if language == "fr":
        phone.get_by_role("button", name="Français").click()
        expect(phone.locator("html")).to_have_attribute("lang", "fr")
    phone.get_by_label(words["Email"]).fill(email)
    phone.get_by_label(words["Password"], exact=True).fill(password)
    phone.get_by_role("button", name=words["Sign in"]).click()
    expect(phone.get_by_text(words["asked"])).to_be_visible()
    expect(phone.get_by_role("heading", name=words["heading"])).to_be_visible()
    # The one-time password was typed a moment ago: it is not asked for again.
    expect(phone.locator("#current_password")).to_have_count(0)
    no_sideways_scroll(phone)
    phone.locator("#new_password").fill(BROWSER_PASSWORD)
    phone.get_by_label(words["again"]).fill(BROWSER_PASSWORD)
    phone.get_by_role("button", name=words["choose"]).click()
    expect(phone.get_by_text(words["done"])).to_be_visible()
    assert urlsplit(phone.url).path == "/"  # the home page
    open_menu(phone)
    phone.get_by_role("link", name=words["Campaigns"]).click()
    # exact: home's "Active campaigns" heading would match too, on the page being left.
    expect(phone.get_by_role("heading", name=words["Campaigns"], exact=True)).to_be_visible()
    no_sideways_scroll(phone)
