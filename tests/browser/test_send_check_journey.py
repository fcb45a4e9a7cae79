"""Before the letters leave: the confirmation lists the warnings of a letter nobody signs, dated
a year ago, and a French letter whose address line stayed in English (with a link to fix it);
Send works only once each is ticked; then the Letters page shows each letter turn Sent as the
worker sends it, without a reload. The same pages in French on a phone."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import delete, func, select

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import (
    PHONE,
    LiveServer,
    hilltrack_of_its_own,
    no_sideways_scroll,
    running_worker,
    serving,
)
from tests.browser.test_outreach_journey import shoot
from tests.browser.test_second_language_journey import in_french
from tests.browser.test_sign_in_journey import sign_in
from tests.letters import letter_campaign, mail_config
from tests.mailserver import Recorder
from tracker import clock
from tracker.models import Letter, Signatory, UserRole
from tracker.web.db import state


@pytest.fixture(scope="module")
def unsigned_server(
    tmp_path_factory: pytest.TempPathFactory, smtp: tuple[Recorder, int]
) -> Iterator[LiveServer]:
    """A Hilltrack of its own with the demo letter, unsigned and dated a year ago, and a mail
    server; no worker yet: the test starts one once the page shows the letters queued."""
    app = hilltrack_of_its_own(
        tmp_path_factory.mktemp("send-check-instance"), **mail_config(smtp[1])
    )
    with app.app_context(), state(app).sessions() as session:
        letter = letter_campaign(app, session)
        session.execute(delete(Signatory).where(Signatory.campaign_id == letter.campaign.id))
        letter.campaign.letter_on = clock.today() - dt.timedelta(days=365)
        # Her letter turned French; Hilltrack knew no French for her title and kept the line.
        freeland = letter.by_name("Chrystia Freeland")
        freeland.language, freeland.address_line_language = "fr", "en"
        session.commit()
    with serving(app) as live:
        yield live


def letters_queued(server: LiveServer) -> int:
    with server.app.app_context(), state(server.app).sessions() as session:
        return session.scalar(select(func.count()).select_from(Letter)) or 0


def test_the_confirmation_and_the_letters_page_in_french_fit_a_phone(
    new_page: Callable[..., Page], unsigned_server: LiveServer
) -> None:
    server = unsigned_server
    server.create_user(UserRole.COORDINATOR, "chloe@example.org", "Chloé Coordonnatrice")
    page = new_page(PHONE)
    sign_in(page, server, "chloe@example.org")
    in_french(page)
    page.goto(f"{server.url}/campaigns/1/letters/")
    no_sideways_scroll(page)
    page.get_by_role("button", name="Envoyer 14 lettres par courriel…").click()
    expect(page.get_by_role("heading", name="Avant l'envoi des lettres")).to_be_visible()
    expect(
        page.get_by_text("La lettre n'a aucun signataire\u00a0: personne ne la signe.")
    ).to_be_visible()
    expect(page.get_by_text("il y a 365\u00a0jours")).to_be_visible()
    expect(page.get_by_text("La lettre à Chrystia Freeland est en français")).to_be_visible()
    expect(page.get_by_text("lettres par courriel en anglais")).to_be_visible()
    expect(page.get_by_text("lettres par courriel en français")).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page)
    shoot(page, "send-confirmation-phone-fr")


def test_each_warning_needs_a_tick_then_the_statuses_turn_sent_without_a_reload(
    new_page: Callable[..., Page], unsigned_server: LiveServer, smtp: tuple[Recorder, int]
) -> None:
    server = unsigned_server
    server.create_user(UserRole.COORDINATOR, "tess@example.org", "Tess Ticks")
    page = new_page()
    sign_in(page, server, "tess@example.org")
    page.goto(f"{server.url}/campaigns/1/letters/")
    page.get_by_role("button", name="Send 14 letters by e-mail…").click()

    warnings = page.get_by_role("checkbox")
    expect(page.get_by_text("The letter has no signatories: nobody signs it.")).to_be_visible()
    expect(page.get_by_text("365 days ago: change its date, or send it as dated.")).to_be_visible()
    expect(page.get_by_text("Chrystia Freeland's letter is in French")).to_be_visible()
    expect(page.get_by_role("link", name="The recipient's page")).to_have_attribute(
        "href", re.compile(r"/campaigns/1/recipients/\d+$")
    )
    # (The campaign is written in both languages: a recipient waiting for a text of their
    # language is tests/test_send_checks.py's.)
    assert warnings.count() >= 2
    assert_accessible(page)
    shoot(page, "send-confirmation")

    send = page.get_by_role("button", name="Send 14 letters by e-mail")
    posted: list[str] = []
    page.on(
        "request", lambda request: posted.append(request.url) if request.method == "POST" else None
    )
    send.click()  # nothing ticked: the browser asks for the ticks, nothing leaves
    warnings.first.check()
    send.click()  # one ticked: still not
    # The form and its answer share a URL: the proof is the box the browser holds it on.
    assert warnings.nth(1).evaluate("box => box.validity.valueMissing") is True
    assert posted == []
    assert letters_queued(server) == 0

    for box in warnings.all():
        box.check()
    send.click()
    expect(page.get_by_text("14 letters queued")).to_be_visible()
    expect(page.locator(".letter-state .badge-letter-queued")).to_have_count(14)
    expect(page.get_by_role("link", name="Refresh")).to_be_visible()
    page.evaluate("window.notReloaded = true")

    with running_worker(server.app):
        expect(page.locator(".letter-state .badge-letter-sent")).to_have_count(14, timeout=60_000)
    expect(page.locator("[data-letter-progress]")).to_have_text("Sent: 14")
    assert page.evaluate("window.notReloaded") is True
    assert len(smtp[0].received) == 14
    shoot(page, "letters-sent-live")

    phone = new_page(PHONE)
    sign_in(phone, server, "tess@example.org")
    in_french(phone)
    phone.goto(f"{server.url}/campaigns/1/letters/")
    expect(phone.locator(".letter-state .badge-letter-sent").first).to_have_text("Envoyée")
    no_sideways_scroll(phone)
