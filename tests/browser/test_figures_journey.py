"""The demo letter goes out by e-mail; one minister replies, two offices send out-of-office
notices and one address bounces. The dashboard, Responsiveness, the campaign page and both
exports say 1 replied, 2 acknowledged, 1 bounced; the reply waits to be classified, and one click
on a phone classifies it."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from email import message_from_bytes
from email.policy import default
from email.utils import format_datetime

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests import mail_shapes as shapes
from tests.browser.conftest import (
    PHONE,
    LiveServer,
    hilltrack_of_its_own,
    no_sideways_scroll,
    running_worker,
    serving,
)
from tests.browser.test_sign_in_journey import sign_in
from tests.letters import address_of, demo_title, letter_campaign, mail_config
from tests.mailserver import Recorder
from tracker.clock import utcnow
from tracker.models import Letter, LetterState, Recipient, UserRole
from tracker.web.db import state


@pytest.fixture(scope="module")
def figures_server(
    tmp_path_factory: pytest.TempPathFactory, smtp: tuple[Recorder, int]
) -> Iterator[LiveServer]:
    """A Hilltrack of its own with the demo letter, a mail server and a worker."""
    app = hilltrack_of_its_own(tmp_path_factory.mktemp("figures-instance"), **mail_config(smtp[1]))
    with app.app_context(), state(app).sessions() as session:
        letter_campaign(app, session)
    with serving(app) as live, running_worker(app):
        yield live


def _as_of_now(raw: bytes, thread: str | None = None) -> bytes:
    """The message dated now (after the letter went out), answering the letter's thread."""
    message = message_from_bytes(raw, policy=default)
    del message["Date"]
    message["Date"] = format_datetime(utcnow())
    if thread:
        del message["In-Reply-To"]
        message["In-Reply-To"] = thread
    return bytes(message)


def _pipe_in(live: LiveServer, raw: bytes) -> None:
    """`hilltrack mail ingest`, as the mail server's pipe runs it."""
    result = live.app.test_cli_runner().invoke(args=["mail", "ingest"], input=raw)
    assert result.exit_code == 0, result.output
    assert "logged on" in result.output, result.output


def _letters(live: LiveServer) -> dict[str, tuple[str, str, str, str]]:
    """Each sent letter's (token, message id, address, official's address) by family name."""
    with live.app.app_context(), state(live.app).sessions() as session:
        return {
            recipient.official.family_name: (
                letter.token or "",
                letter.message_id or "",
                letter.to_address,
                address_of(recipient),
            )
            for letter, recipient in session.execute(
                select(Letter, Recipient)
                .join(Recipient, Recipient.id == Letter.recipient_id)
                .where(Letter.state == LetterState.SENT)
            )
        }


def _send_the_letter(page: Page, live: LiveServer, smtp: Recorder) -> None:
    page.goto(f"{live.url}/campaigns/1/letters/")
    page.get_by_role("button", name="Send 14 letters by e-mail…").click()
    # .all() does not wait: wait for the confirmation page, or the last page's boxes are listed.
    expect(page.get_by_role("heading", name="Before the letters leave")).to_be_visible()
    expect(page.get_by_role("checkbox").first).to_be_visible()
    for box in page.get_by_role("checkbox").all():  # the 2023 letter warns of its date, …
        box.check()
    page.get_by_role("button", name="Send 14 letters by e-mail").click()
    expect(page.get_by_text("14 letters queued")).to_be_visible()
    # The letters page updates itself as the worker sends.
    expect(page.locator(".letter-state .badge-letter-sent")).to_have_count(14, timeout=60_000)
    assert len(smtp.received) == 14


def _mail_comes_back(live: LiveServer) -> None:
    """One reply, two out-of-office notices (one marked Auto-Submitted, one known by its
    subject alone) and one bounce, each carrying its letter's token."""
    sent = _letters(live)
    token, thread, _, office = sent["Joly"]
    _pipe_in(
        live,
        _as_of_now(
            shapes.gmail_reply_en(f"Office <{office}>", f"replies+{token}@coalition.example", None),
            thread,
        ),
    )
    token, thread, _, office = sent["Genuis"]
    _pipe_in(
        live,
        _as_of_now(shapes.out_of_office(office, f"replies+{token}@coalition.example"), thread),
    )
    token, thread, _, office = sent["Bergeron"]
    notice = message_from_bytes(
        shapes.out_of_office(office, f"replies+{token}@coalition.example", french=True),
        policy=default,
    )
    del notice["X-Auto-Response-Suppress"]  # known by its subject alone
    _pipe_in(live, _as_of_now(bytes(notice), thread))
    token, thread, address, _ = sent["Trudeau"]
    _pipe_in(
        live,
        _as_of_now(shapes.postfix_bounce(f"bounces+{token}@coalition.example", address, thread)),
    )


def _csv(page: Page, url: str) -> list[dict[str, str]]:
    text = page.request.get(url).text()
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_the_demo_letters_mail_reads_the_same_on_every_page_and_export(
    new_page: Callable[..., Page], figures_server: LiveServer, smtp: tuple[Recorder, int]
) -> None:
    live = figures_server
    live.create_user(UserRole.COORDINATOR, "cora@example.org", "Cora Counts")
    page = new_page()
    sign_in(page, live, "cora@example.org")
    _send_the_letter(page, live, smtp[0])
    _mail_comes_back(live)
    title = demo_title()

    # The dashboard: the totals and the campaign's bars.
    page.goto(f"{live.url}/reports/")
    bars = page.locator(f"article:has(h2 a:text-is('{title}')) svg.chart")
    label = bars.get_attribute("aria-label") or ""
    assert "Sent 13 of 15; " in label
    assert "Replied 1 of 15; Acknowledged only 2 of 15; Bounced 1 of 15" in label

    # Responsiveness by campaign: 13 letters arrived, 1 answered, 2 acknowledged only.
    page.goto(f"{live.url}/reports/responsiveness?by=campaign")
    row = page.locator("tr", has=page.get_by_role("rowheader", name=title))
    assert row.locator("td").all_inner_texts()[:3] == ["13", "1", "2"]

    # The campaign page.
    page.goto(f"{live.url}/campaigns/1")
    legend = page.locator(".progress-legend")
    expect(legend).to_contain_text("Replied 1")
    expect(legend).to_contain_text("Acknowledged 2")
    expect(legend).to_contain_text("Bounced 1")
    trudeau = page.locator("tr", has_text="Justin Trudeau")
    expect(trudeau.locator(".badge")).to_have_text("Bounced")
    expect(trudeau).to_contain_text("not delivered: send it another way")

    # Both exports.
    rows = _csv(page, f"{live.url}/exports/campaign-status.csv?campaign=1")
    statuses = [r["status"] for r in rows]
    assert (statuses.count("Replied"), statuses.count("Acknowledged")) == (1, 2)
    (bounced,) = [r for r in rows if r["status"] == "Bounced"]
    assert (bounced["family name"], bounced["sent on"]) == ("Trudeau", "")
    log = [r["counts as"] for r in _csv(page, f"{live.url}/exports/interactions.csv?campaign=1")]
    assert (log.count("replied"), log.count("acknowledged"), log.count("bounced")) == (1, 2, 1)

    # On a phone, the figures' pages fit.
    phone = new_page(PHONE)
    sign_in(phone, live, "cora@example.org")
    for path in ("reports/", "reports/responsiveness?by=campaign", "campaigns/1"):
        phone.goto(f"{live.url}/{path}")
        no_sideways_scroll(phone)


def test_on_a_phone_the_reply_is_classified_in_one_click_and_the_figures_follow(
    new_page: Callable[..., Page], figures_server: LiveServer
) -> None:
    live = figures_server
    live.create_user(UserRole.VOLUNTEER, "val@example.org", "Val Volunteer")
    page = new_page(PHONE)
    sign_in(page, live, "val@example.org")
    page.goto(live.url)
    to_classify = page.locator("#to-classify")
    expect(to_classify.get_by_role("heading")).to_have_text("To classify (1)")
    expect(to_classify).to_contain_text("Mélanie Joly")
    no_sideways_scroll(page)
    page.goto(f"{live.url}/campaigns/1")
    expect(page.locator("#to-classify")).to_contain_text("Mélanie Joly")
    no_sideways_scroll(page)
    page.locator("#to-classify").get_by_role("button", name="Form letter").click()
    expect(page.get_by_text("Classified as Form letter")).to_be_visible()
    expect(page.locator("#to-classify")).to_have_count(0)
    expect(page.locator("tr", has_text="Mélanie Joly").locator(".badge")).to_have_text("Replied")
