"""The Mail page on a 390 px phone, in both languages: a message someone marked "not outreach"
is found again under that filter and placed on its letter after all; nothing scrolls sideways."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests import mail_shapes as shapes
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import PHONE, LiveServer, no_sideways_scroll, open_menu
from tests.browser.test_sign_in_journey import sign_in
from tracker.jobs.mail import ingest
from tracker.models import UserRole

WORDS = {
    "en": {
        "Mail": "Mail",
        "Not outreach": "Not outreach",
        "Show": "Show",
        "Find": "Find",
        "Official's name": "Official's name",
        "Find their letters": "Find their letters",
        "a reply": "a reply",
        "placed": "Logged on",
    },
    "fr": {
        "Mail": "Courrier",
        "Not outreach": "Hors démarches",
        "Show": "Afficher",
        "Find": "Chercher",
        "Official's name": "Nom du responsable",
        "Find their letters": "Trouver ses lettres",
        "a reply": "une réponse",
        "placed": "Consigné pour",
    },
}
SENDERS = itertools.count()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_message_marked_not_outreach_is_found_on_the_mail_page_and_placed_after_all(
    new_page: Callable[..., Page], demo_letter_server: LiveServer, language: str
) -> None:
    words = WORDS[language]
    n = next(SENDERS)
    sender = f"aide{n}@office.example"
    raw = shapes.gmail_reply_en(
        f"An Aide <{sender}>", "letters@coalition.example", None, mid=f"<{sender}@t>"
    )
    ingest(demo_letter_server.app, raw, source="t")
    email = f"vera{n}@example.org"
    demo_letter_server.create_user(UserRole.VOLUNTEER, email, "Vera Volunteer")
    page = new_page(viewport=PHONE)
    sign_in(page, demo_letter_server, email)
    if language == "fr":
        page.get_by_role("button", name="Français").click()
        expect(page.locator("html")).to_have_attribute("lang", "fr")

    open_menu(page)
    page.get_by_role("link", name=words["Mail"], exact=True).click()
    expect(page.get_by_role("heading", name=words["Mail"], exact=True)).to_be_visible()
    item = page.locator(".mail-item", has_text=sender)
    expect(item).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page)
    item.get_by_role("link").click()
    page.get_by_role("button", name=words["Not outreach"]).click()
    expect(page).to_have_url(re.compile(r"/mail/triage$"))  # saved: a goto would cancel it

    page.goto(f"{demo_letter_server.url}/mail/")
    page.get_by_label(words["Show"]).select_option("not-outreach")
    page.locator("#mail-q").fill(sender)
    page.get_by_role("button", name=words["Find"], exact=True).click()
    expect(page).to_have_url(re.compile(r"show=not-outreach"))
    expect(page.locator(".mail-item")).to_have_count(1)
    no_sideways_scroll(page)
    page.locator(".mail-item a").first.click()

    page.get_by_label(words["Official's name"]).fill("Joly")
    page.get_by_role("button", name=words["Find their letters"]).click()
    choice = page.locator(".candidates li", has_text="Mélanie Joly").first
    expect(choice.locator(".badge").first).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page)
    choice.get_by_role("button", name=words["a reply"]).click()
    expect(page).to_have_url(re.compile(r"/mail/triage$"))

    page.goto(f"{demo_letter_server.url}/mail/?show=placed&q={sender}")
    page.locator(".mail-item a").first.click()
    expect(page.get_by_text(words["placed"])).to_be_visible()
    expect(page.get_by_role("link", name="Mélanie Joly")).to_be_visible()
    no_sideways_scroll(page)
