"""What was said since the letter, in a browser, on a 390 px phone and at 1280 px, in both
languages: the demo campaign with Ziad Aboultaif's real House record (he is added to the demo's
recipients; the demo's own have no recorded answers)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import PHONE, LiveServer, no_sideways_scroll
from tests.browser.test_sign_in_journey import sign_in
from tests.outcomes import ABOULTAIF, aboultaif_recipient, hansard_folder
from tracker.models import Official, UserRole
from tracker.operations.demo import load_demo
from tracker.operations.outcomes import fetch_outcomes
from tracker.web.db import state, write_session

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def said_server(
    demo_letter_server: LiveServer, tmp_path_factory: pytest.TempPathFactory
) -> tuple[LiveServer, int]:
    """The demo, Aboultaif among its recipients and his record read (one server for the
    module: each test signs in as a coordinator of its own, whose language it then changes)."""
    app = demo_letter_server.app
    with app.app_context():
        session = write_session()
        campaign = load_demo(session).campaign  # already loaded: the demo's campaign
        official = session.scalars(
            select(Official).where(Official.ourcommons_id == ABOULTAIF)
        ).one()
        session.add(aboultaif_recipient(campaign.id, official.id))
        session.commit()
        campaign_id = campaign.id
    fetch_outcomes(state(app).sessions, from_dir=hansard_folder(tmp_path_factory.mktemp("house")))
    return demo_letter_server, campaign_id


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_a_coordinator_reads_what_was_said_since_the_letter(
    new_page: Callable[..., Page], said_server: tuple[LiveServer, int], viewport: dict[str, int]
) -> None:
    server, campaign_id = said_server
    email = f"dora-{viewport['width']}@example.org"
    server.create_user(UserRole.COORDINATOR, email, "Dora Coordinator")
    page = new_page(viewport=viewport)
    sign_in(page, server, email)
    page.goto(f"{server.url}/campaigns/{campaign_id}")
    link = page.get_by_role("link", name="Spoke on it 9 times since the letter")
    expect(link).to_be_visible()
    no_sideways_scroll(page)
    link.click()
    expect(page.get_by_role("heading", name="What was said since the letter")).to_be_visible()
    expect(page.locator("article.said:not(.interjection)")).to_have_count(9)
    expect(page.locator("mark").first).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_role("link", name="Ziad Aboultaif").first.click()
    expect(page.get_by_role("heading", name="Said in Parliament since the letters")).to_be_visible()
    no_sideways_scroll(page)

    page.goto(f"{server.url}/campaigns/{campaign_id}/said")
    page.get_by_role("button", name="Français").click()
    expect(page.get_by_role("heading", name="Ce qui a été dit depuis la lettre")).to_be_visible()
    no_sideways_scroll(page)
    page.goto(f"{server.url}/campaigns/{campaign_id}")
    expect(page.get_by_role("link", name="En a parlé 9 fois depuis la lettre")).to_be_visible()
    no_sideways_scroll(page)
