"""A message from a hostile sender, read in a real Chromium under the app's own policy: the
sender shows as text, and the page asks nothing of another origin."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Route, expect

from tests import mail_shapes as shapes
from tests.browser.conftest import hilltrack_of_its_own, serving
from tests.browser.test_sign_in_journey import sign_in
from tracker.jobs.mail import ingest
from tracker.models import UserRole

OFF_SITE = "img[src*='evil.example'], iframe[src*='evil.example'], a[href*='evil.example']"


def test_a_hostile_senders_message_shows_as_text_and_nothing_is_fetched_off_site(
    browser: Browser, tmp_path: Path
) -> None:
    app = hilltrack_of_its_own(tmp_path)
    with serving(app) as server:
        server.create_user(UserRole.VOLUNTEER, "vera@example.org", "Vera Volunteer")
        ids = [
            ingest(
                app, shapes.hostile_sender(sender, "letters@coalition.example", n), source="t"
            ).id
            for n, sender in enumerate(shapes.HOSTILE_SENDERS)
        ]
        context = browser.new_context()  # no bypass_csp: the app's own policy applies
        requested: list[str] = []

        def only_this_site(route: Route) -> None:
            if urlsplit(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                requested.append(route.request.url)
                route.abort()

        context.route("**/*", only_this_site)
        page = context.new_page()
        try:
            sign_in(page, server, "vera@example.org")
            for message_id, sender in zip(ids, shapes.HOSTILE_SENDERS, strict=True):
                page.goto(f"{server.url}/mail/{message_id}")
                page.wait_for_load_state("networkidle")
                expect(page.locator(OFF_SITE)).to_have_count(0)
                address = sender.removeprefix("Mallory <").removesuffix(">")
                expect(page.locator("hgroup bdi", has_text=address)).to_be_visible()
            for listing in ("/mail/triage", "/mail/", "/mail/?show=waiting&q=mallory"):
                page.goto(f"{server.url}{listing}")
                page.wait_for_load_state("networkidle")
                expect(page.locator(OFF_SITE)).to_have_count(0)
        finally:
            context.close()
        assert requested == []
