"""A coordinator refreshes officials from the Imports page and finds who holds an office."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, screenshot_dir
from tests.browser.test_sign_in_journey import sign_in
from tracker.models import UserRole


def test_coordinator_imports_in_the_background_then_finds_an_official(
    page: Page, live_server: LiveServer
) -> None:
    live_server.create_user(UserRole.COORDINATOR, "cora@example.org", "Cora Coordinator")
    sign_in(page, live_server, "cora@example.org")
    page.get_by_role("link", name="Imports").click()
    page.get_by_role("button", name="Import now").click()
    expect(page.get_by_text("Import started.")).to_be_visible()
    # The run page refreshes itself until the background import has finished.
    expect(page.get_by_role("heading", name=re.compile(r"Import #\d+: Succeeded"))).to_be_visible(
        timeout=60_000
    )
    expect(page.get_by_role("rowheader", name="members")).to_be_visible()
    if (shots := screenshot_dir()) is not None:
        page.screenshot(path=shots / "import-run.png", full_page=False)

    page.get_by_role("link", name="Officials").first.click()
    expect(page.get_by_text(re.compile(r"Data as of \d{4}-\d\d-\d\d"))).to_be_visible()
    page.get_by_label("Role").select_option("committee_vice_chair")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 official found.")).to_be_visible()
    page.get_by_role("link", name="Garnett Genuis").click()
    expect(page.get_by_role("heading", name="Garnett Genuis")).to_be_visible()
    expect(
        page.get_by_role(
            "cell", name=re.compile("Vice-Chair of the Standing Committee on Foreign Affairs")
        )
    ).to_be_visible()
    if (shots := screenshot_dir()) is not None:
        page.screenshot(path=shots / "official.png", full_page=True)
