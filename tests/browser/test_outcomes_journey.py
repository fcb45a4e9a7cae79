"""What was said since the letter, in a browser, on a 390 px phone and at 1280 px, in both
languages: the demo campaign with Ziad Aboultaif's real House record (he is added to the demo's
recipients; the demo's own have no recorded answers)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic import command
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import PHONE, LiveServer, no_sideways_scroll, serving
from tests.browser.test_sign_in_journey import sign_in
from tests.outcomes import ABOULTAIF, hansard_folder
from tracker import create_app
from tracker.cli import alembic_config
from tracker.models import Official, Recipient, UserRole
from tracker.operations.demo import load_demo
from tracker.operations.imports import ImportOptions, bundled_snapshot, run_officials_import
from tracker.operations.outcomes import fetch_outcomes
from tracker.web.db import state, write_session

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def said_server(tmp_path: Path) -> Iterator[tuple[LiveServer, int]]:
    """The bundled snapshot, the demo, Aboultaif among its recipients and his record read."""
    url = f"sqlite:///{tmp_path / 'said.sqlite3'}"
    command.upgrade(alembic_config(url), "head")
    os.environ["TRACKER_INSTANCE_PATH"] = str(tmp_path / "instance")
    try:
        app = create_app(
            {
                "DATABASE_URL": url,
                "SECRET_KEY": "said",
                "PASSWORD_HASHER": "fast-insecure-for-tests",
            }
        )
    finally:
        del os.environ["TRACKER_INSTANCE_PATH"]
    folder, as_of = bundled_snapshot()
    run_officials_import(state(app).sessions, ImportOptions(from_dir=folder, as_of=as_of))
    with app.app_context():
        session = write_session()
        campaign = load_demo(session).campaign
        official = session.scalars(
            select(Official).where(Official.ourcommons_id == ABOULTAIF)
        ).one()
        session.add(
            Recipient(
                campaign_id=campaign.id,
                official_id=official.id,
                position=16,
                role_title="Member of the Standing Committee on Foreign Affairs",
                addressed_as="Ziad Aboultaif, Member of Parliament",
                salutation="Dear Mr. Aboultaif",
            )
        )
        session.commit()
        campaign_id = campaign.id
    fetch_outcomes(state(app).sessions, from_dir=hansard_folder(tmp_path / "house"))
    with serving(app) as live:
        yield live, campaign_id
    state(app).engine.dispose()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_a_coordinator_reads_what_was_said_since_the_letter(
    new_page: Callable[..., Page], said_server: tuple[LiveServer, int], viewport: dict[str, int]
) -> None:
    server, campaign_id = said_server
    server.create_user(UserRole.COORDINATOR, "dora@example.org", "Dora Coordinator")
    page = new_page(viewport=viewport)
    sign_in(page, server, "dora@example.org")
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
