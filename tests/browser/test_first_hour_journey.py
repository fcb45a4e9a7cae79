"""The first hour of a new coalition, end to end, at 1280 px and on a 390 px phone: a new
campaign gets the 2023 letter's 15 recipients in at most 20 clicks, their 15 e-mail addresses
in one paste, and its letters go out by e-mail, each to the address pasted."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.browser.conftest import (
    PHONE,
    LiveServer,
    hilltrack_of_its_own,
    no_sideways_scroll,
    running_worker,
    serving,
)
from tests.browser.test_add_recipients_journey import (
    DESKTOP,
    MAX_CLICKS,
    Clicks,
    letter_recipients,
    new_campaign,
    tick_everyone,
)
from tests.browser.test_sign_in_journey import sign_in
from tests.letters import BODY, BODY_FR, mail_config
from tests.mailserver import Recorder
from tracker.models import Campaign, Official, UserRole
from tracker.operations.demo import load_demo
from tracker.operations.imports import ImportOptions, bundled_snapshot, run_officials_import
from tracker.web.db import state, write_session


@pytest.fixture(scope="module")
def first_hour_server(
    tmp_path_factory: pytest.TempPathFactory, smtp: tuple[Recorder, int]
) -> Iterator[LiveServer]:
    """As after `make run` and the demo, with a mail server and a worker."""
    app = hilltrack_of_its_own(tmp_path_factory.mktemp("first-hour"), **mail_config(smtp[1]))
    folder, as_of = bundled_snapshot()
    run_officials_import(state(app).sessions, ImportOptions(from_dir=folder, as_of=as_of))
    with app.app_context():
        session = write_session()
        load_demo(session)
        session.commit()
    with serving(app) as live, running_worker(app):
        yield live


def give_the_letter_its_text(server: LiveServer, campaign_id: int) -> None:
    """The letter's text in both languages (writing it is not the journey measured here)."""
    with server.app.app_context():
        session = write_session()
        campaign = session.get(Campaign, campaign_id)
        assert campaign is not None
        campaign.body, campaign.body_fr = BODY, BODY_FR
        session.commit()


def forget_their_addresses(server: LiveServer, official_ids: list[int]) -> None:
    """As a new coalition finds them: no e-mail address known (the other run pasted some)."""
    with server.app.app_context():
        session = write_session()
        for official in session.scalars(select(Official).where(Official.id.in_(official_ids))):
            official.email = None
        session.commit()


def full_names(server: LiveServer, official_ids: list[int]) -> dict[int, str]:
    with server.app.app_context():
        session = write_session()
        found = {
            o.id: o.full_name
            for o in session.scalars(select(Official).where(Official.id.in_(official_ids)))
        }
        session.rollback()
        return found


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_a_new_campaign_gets_fifteen_recipients_their_addresses_in_one_paste_and_its_letters(
    new_page: Callable[..., Page],
    first_hour_server: LiveServer,
    smtp: tuple[Recorder, int],
    viewport: dict[str, int],
) -> None:
    server, width = first_hour_server, viewport["width"]
    email = f"first-hour-{width}@example.org"
    server.create_user(UserRole.COORDINATOR, email, "Fay First")
    page = new_page(viewport)
    sign_in(page, server, email)
    wanted = letter_recipients(server)
    assert len(wanted) == 15
    forget_their_addresses(server, [official_id for official_id, _ in wanted])
    campaign_id = new_campaign(page, server, f"Our first letter at {width} px")
    give_the_letter_its_text(server, campaign_id)

    # Fifteen recipients, searched for as one types and ticked, in at most 20 clicks.
    clicks = Clicks(page)
    if viewport is PHONE:
        clicks.on("text=Add recipients on a page of their own")
        expect(page).to_have_url(re.compile(rf"/campaigns/{campaign_id}/recipients/add"))
    tick_everyone(page, clicks, wanted)
    clicks.on("[data-pick-form] button[type=submit]")
    expect(page.get_by_text("Added 15 recipients.")).to_be_visible()
    assert clicks.count <= MAX_CLICKS, clicks.count

    # Their fifteen addresses in one paste: a preview, then one Save.
    names = full_names(server, [official_id for official_id, _ in wanted])
    addresses = {i: f"official{i}.at{width}@parl.example" for i, _ in wanted}
    page.goto(f"{server.url}/campaigns/{campaign_id}/letters/")
    page.get_by_role("link", name="Add e-mail addresses for many officials").click()
    page.get_by_label("Paste the list").fill(
        "\n".join(f"{names[i]}\t{address}" for i, address in addresses.items())
    )
    page.get_by_role("button", name="Preview").click()
    save = page.get_by_role("button", name="Save these contact details")
    expect(save).to_be_visible()
    no_sideways_scroll(page)
    save.click()

    # Back on the Letters page, every recipient has the address pasted: send.
    expect(page).to_have_url(re.compile(rf"/campaigns/{campaign_id}/letters/"))
    for address in addresses.values():
        expect(page.get_by_text(address)).to_be_visible()
    received_before = len(smtp[0].received)
    page.get_by_role("button", name="Send 15 letters by e-mail…").click()
    # .all() does not wait: wait for the confirmation page, or the last page's boxes are listed.
    expect(page.get_by_role("heading", name="Before the letters leave")).to_be_visible()
    expect(page.get_by_role("checkbox").first).to_be_visible()
    for box in page.get_by_role("checkbox").all():  # the confirmations the letter asks for
        box.check()
    page.get_by_role("button", name="Send 15 letters by e-mail").click()
    expect(page.get_by_text("15 letters queued")).to_be_visible()
    # The mail server is the module's: count only this run's addresses, each once, so that a
    # slow earlier run's last letters cannot pass or fail this one.
    wanted = sorted(addresses.values())

    def went_to() -> list[str]:
        received = smtp[0].received[received_before:]
        return sorted(to for message in received for to in message.envelope_to if to in wanted)

    deadline = time.monotonic() + 60
    while went_to() != wanted and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    assert went_to() == wanted
