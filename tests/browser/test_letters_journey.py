"""A coordinator previews a recipient's letter, sends the campaign's letters by e-mail, and
watches each recipient's status change as the worker sends them; on a phone, nothing scrolls."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import PHONE, LiveServer
from tests.browser.test_campaign_tools_journey import no_sideways_scroll
from tests.browser.test_outreach_journey import shoot
from tests.browser.test_sign_in_journey import sign_in
from tests.letters import letter_campaign, mail_config
from tests.mailserver import Recorder, running_server
from tracker.models import UserRole
from tracker.web.db import state


@pytest.fixture
def smtp(live_server: LiveServer) -> Iterator[Recorder]:
    recorder = Recorder()
    saved = dict(live_server.app.config)
    for _, port in running_server(recorder):
        live_server.app.config.update(mail_config(port))
        try:
            yield recorder
        finally:
            live_server.app.config.clear()
            live_server.app.config.update(saved)


def test_coordinator_previews_then_sends_and_sees_each_status_change(
    new_page: Callable[..., Page], live_server: LiveServer, smtp: Recorder
) -> None:
    with live_server.app.app_context(), state(live_server.app).sessions() as session:
        letter = letter_campaign(live_server.app, session)
        campaign_id = letter.campaign.id
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
    page.get_by_role("button", name="Send 14 letters by e-mail").click()
    expect(page.get_by_text("14 letters queued")).to_be_visible()

    # The worker sends them in the background; the page shows each state as it stands.
    for _ in range(60):
        if page.locator(".letter-state .badge-letter-sent").count() == 14:
            break
        page.wait_for_timeout(500)
        page.reload()
    expect(page.locator(".letter-state .badge-letter-sent")).to_have_count(14)
    assert len(smtp.received) == 14
    shoot(page, "letters-sent")

    page.goto(campaign_url)
    expect(page.locator("tr", has_text="Justin Trudeau").locator(".badge")).to_have_text("Sent")
    expect(page.get_by_text("Nobody is waiting")).to_have_count(0)


def test_a_letter_reads_on_a_phone_without_sideways_scrolling(
    new_page: Callable[..., Page], live_server: LiveServer
) -> None:
    live_server.create_user(UserRole.COORDINATOR, "phone-letters@example.org", "Pat Phone")
    with live_server.app.app_context(), state(live_server.app).sessions() as session:
        from sqlalchemy import select

        from tracker.models import Campaign, Recipient

        recipient = session.scalars(select(Recipient).join(Campaign).limit(1)).first()
        if recipient is None:
            pytest.skip("no campaign yet")
        campaign_id, recipient_id = recipient.campaign_id, recipient.id
    page = new_page(PHONE)
    sign_in(page, live_server, "phone-letters@example.org")
    for path in (f"letters/{recipient_id}", "letters/"):
        page.goto(f"{live_server.url}/campaigns/{campaign_id}/{path}")
        no_sideways_scroll(page)
