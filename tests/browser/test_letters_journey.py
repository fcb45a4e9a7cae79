"""A coordinator previews a recipient's letter, sends the campaign's letters by e-mail, and
watches each recipient's status change as the worker sends them; on a phone, nothing scrolls."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.browser.a11y import assert_accessible, serious_violations
from tests.browser.conftest import (
    PHONE,
    LiveServer,
    hilltrack_of_its_own,
    no_sideways_scroll,
    running_worker,
    serving,
)
from tests.browser.test_outreach_journey import shoot
from tests.browser.test_sign_in_journey import sign_in
from tests.letters import letter_campaign, mail_config
from tests.mailserver import Recorder
from tracker.models import UserRole
from tracker.web.db import state


@pytest.fixture(scope="module")
def letters_server(
    tmp_path_factory: pytest.TempPathFactory, smtp: tuple[Recorder, int]
) -> Iterator[LiveServer]:
    """A Hilltrack of its own (the demo letter would change what the shared one's other
    journeys see), with a mail server and a worker."""
    app = hilltrack_of_its_own(tmp_path_factory.mktemp("letters-instance"), **mail_config(smtp[1]))
    with app.app_context(), state(app).sessions() as session:
        letter_campaign(app, session)
    with serving(app) as live, running_worker(app):
        yield live


def test_coordinator_previews_then_sends_and_sees_each_status_change(
    new_page: Callable[..., Page], letters_server: LiveServer, smtp: tuple[Recorder, int]
) -> None:
    live_server = letters_server
    campaign_id = 1
    live_server.create_user(UserRole.COORDINATOR, "lena@example.org", "Lena Letters")
    page = new_page()
    sign_in(page, live_server, "lena@example.org")
    campaign_url = f"{live_server.url}/campaigns/{campaign_id}"

    page.goto(campaign_url)
    trudeau_row = page.locator("tr", has_text="Justin Trudeau")
    trudeau_row.get_by_role("link", name="Letter").click()
    expect(page.get_by_role("heading", name="Letter to Justin Trudeau")).to_be_visible()
    expect(page.get_by_text("The Right Honourable Justin Trudeau")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Dear .+,$")).first).to_be_visible()
    assert_accessible(page)
    shoot(page, "letter-preview")

    page.goto(campaign_url)
    page.get_by_role("button", name="Letters: preview and send").click()
    expect(page.get_by_text("14 recipients will get the letter by e-mail now.")).to_be_visible()
    expect(page.get_by_text("none: print the PDF")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send 14 letters by e-mail…").click()
    # Wait for the confirmation page before listing its boxes: .all() does not wait, and on
    # a slow run it listed the previous page's (none), so nothing was ticked.
    expect(page.get_by_role("heading", name="Before the letters leave")).to_be_visible()
    expect(page.get_by_role("checkbox").first).to_be_visible()
    for box in page.get_by_role("checkbox").all():  # the 2023 letter warns of its date, …
        box.check()
    page.get_by_role("button", name="Send 14 letters by e-mail").click()
    expect(page.get_by_text("14 letters queued")).to_be_visible()

    # The worker sends them in the background; the page shows each state as it stands.
    for _ in range(60):
        if page.locator(".letter-state .badge-letter-sent").count() == 14:
            break
        page.wait_for_timeout(500)
        page.reload()
    expect(page.locator(".letter-state .badge-letter-sent")).to_have_count(14)
    assert len(smtp[0].received) == 14
    shoot(page, "letters-sent")

    page.goto(campaign_url)
    expect(page.locator("tr", has_text="Justin Trudeau").locator(".badge")).to_have_text("Sent")
    expect(page.get_by_text("Nobody is waiting")).to_have_count(0)


def test_a_letter_reads_on_a_phone_without_sideways_scrolling(
    new_page: Callable[..., Page], letters_server: LiveServer
) -> None:
    live_server = letters_server
    live_server.create_user(UserRole.COORDINATOR, "phone-letters@example.org", "Pat Phone")
    campaign_id, recipient_id = 1, 1
    page = new_page(PHONE)
    sign_in(page, live_server, "phone-letters@example.org")
    for path in (f"letters/{recipient_id}", "letters/"):
        page.goto(f"{live_server.url}/campaigns/{campaign_id}/{path}")
        no_sideways_scroll(page)


def test_a_reply_shows_on_the_campaign_and_a_strangers_message_is_placed_from_triage(
    new_page: Callable[..., Page], letters_server: LiveServer
) -> None:
    from tests import mail_shapes as shapes
    from tests.letters import address_of
    from tracker.jobs.mail import ingest
    from tracker.models import Letter, Recipient

    app = letters_server.app
    with app.app_context(), state(app).sessions() as session:
        trudeau = session.scalars(select(Recipient).where(Recipient.position == 1)).one()
        trudeau_address = address_of(trudeau)
        token = session.scalars(select(Letter.token).where(Letter.recipient_id == trudeau.id)).one()
    ingest(  # to the letter's own reply address: its token places it by itself
        app,
        shapes.gmail_reply_en(
            f"PMO <{trudeau_address}>", f"replies+{token}@coalition.example", None
        ),
        source="browser",
    )
    ingest(
        app,
        shapes.outlook_reply_fr(
            "Adjointe <adjointe@cabinet.example>", "letters@coalition.example", None
        ),
        source="browser",
    )
    letters_server.create_user(UserRole.VOLUNTEER, "vic@example.org", "Vic Volunteer")
    page = new_page(PHONE)
    sign_in(page, letters_server, "vic@example.org")

    page.goto(f"{letters_server.url}/campaigns/1")
    row = page.locator("tr", has_text="Justin Trudeau")
    expect(row.locator(".badge")).to_have_text("Replied")
    row.get_by_role("link", name="Their mail").click()
    # The campaign page quotes the same reply: wait for the message's own page.
    expect(page).to_have_url(re.compile(r"/mail/\d+$"))
    expect(
        page.get_by_text("The Minister would be pleased to meet the coalition").first
    ).to_be_visible()
    no_sideways_scroll(page)

    page.goto(letters_server.url)
    page.get_by_role("link", name=re.compile("1 message")).click()
    expect(page.get_by_role("heading", name="Mail to place")).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page)
    shoot(page, "triage-phone")
    page.get_by_role("button", name="Read and place").click()
    page.get_by_label("Official's name").fill("joly")
    page.get_by_role("button", name="Find their letters").click()
    page.get_by_label(re.compile("writes for Mélanie Joly")).check()
    no_sideways_scroll(page)
    page.get_by_role("button", name="a reply", exact=True).click()
    expect(page.get_by_text(re.compile("Logged on Mélanie Joly"))).to_be_visible()
    expect(page.get_by_text("Nothing waits")).to_be_visible()


def test_a_coordinator_sets_the_form_of_address_on_a_phone(
    new_page: Callable[..., Page], letters_server: LiveServer
) -> None:
    from tracker.models import Official

    app = letters_server.app
    with app.app_context(), state(app).sessions() as session:
        joly = session.scalars(select(Official).where(Official.family_name == "Joly")).one()
        official_id = joly.id
    letters_server.create_user(UserRole.COORDINATOR, "form-phone@example.org", "Fran Form")
    page = new_page(PHONE)
    sign_in(page, letters_server, "form-phone@example.org")
    page.goto(f"{letters_server.url}/officials/{official_id}")
    address = page.locator("#address")
    expect(address.get_by_text("not known: a neutral form")).to_be_visible()
    address.get_by_text("Change the form of address").click()
    address.get_by_label("Form of address").select_option("madame")
    address.get_by_label("Sworn into the Privy Council on").fill("2015-11-04")
    no_sideways_scroll(page)
    # The roles table's scrolling region (not this control) is a known finding on a phone.
    found = serious_violations(page)
    assert [v for v in found if not v.startswith("scrollable-region-focusable")] == []
    address.get_by_role("button", name="Save the form of address").click()
    expect(page.get_by_text("Saved the form of address.")).to_be_visible()
    expect(address.locator("dd").first).to_have_text("Madame (Ms.) (chosen by a coordinator)")
    expect(address.get_by_text("(entered by a coordinator)")).to_be_visible()
    no_sideways_scroll(page)
