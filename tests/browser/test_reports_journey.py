"""A coordinator opens the reports and downloads an export that opens cleanly."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import LiveServer, screenshot_dir
from tests.browser.test_sign_in_journey import sign_in
from tracker import clock
from tracker.models import (
    Campaign,
    CampaignStatus,
    Channel,
    InteractionKind,
    Official,
    Recipient,
    UserRole,
)
from tracker.operations.interactions import record_interaction
from tracker.web.db import write_session


def add_campaign_with_a_send(server: LiveServer) -> None:
    with server.app.app_context():
        session = write_session()
        official = Official(given_name="Zoë", family_name="Export-Test", name_key="zoe export-test")
        campaign = Campaign(
            title="Export journey letter", status=CampaignStatus.ACTIVE, letter_on=clock.today()
        )
        session.add_all([official, campaign])
        session.flush()
        recipient = Recipient(
            campaign_id=campaign.id,
            official_id=official.id,
            addressed_as="Zoë Export-Test",
            salutation="Dear Zoë Export-Test",
        )
        session.add(recipient)
        session.flush()
        record_interaction(
            session,
            recipient,
            {
                "kind": InteractionKind.SENT,
                "channel": Channel.EMAIL,
                "occurred_on": clock.today(),
                "summary": "@risky note",
            },
            actor=None,
        )
        session.commit()


def test_coordinator_downloads_the_interactions_export(page: Page, live_server: LiveServer) -> None:
    live_server.create_user(UserRole.COORDINATOR, "rep@example.org", "Remy Reporter")
    add_campaign_with_a_send(live_server)
    sign_in(page, live_server, "rep@example.org")
    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Export journey letter")).to_be_visible()
    assert_accessible(page)
    if (shots := screenshot_dir()) is not None:
        page.screenshot(path=shots / "reports.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Every interaction (CSV)").click()
    saved = download.value
    assert saved.suggested_filename.startswith("hilltrack-interactions-")
    data = Path(saved.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    mine = [r for r in rows if "Export-Test" in r]
    assert mine, rows[:3]
    assert mine[0][2] == "Zoë"
    assert mine[0][10] == "'@risky note"
    page.get_by_role("link", name="Responsiveness").click()
    expect(page.get_by_role("heading", name="Who replies, and how fast")).to_be_visible()
    assert_accessible(page)
