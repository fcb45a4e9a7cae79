"""The whole journey: a coordinator builds a campaign, a volunteer logs on a phone, the
coordinator plans a follow-up, the volunteer completes it."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import PHONE, LiveServer, no_sideways_scroll, open_menu, screenshot_dir
from tests.browser.test_sign_in_journey import sign_in
from tracker import clock
from tracker.models import UserRole


def shoot(page: Page, name: str, *, whole: bool = True) -> None:
    """The page as it reads, for docs/screenshots/ (make screenshots): the whole page, or what
    the screen shows. For the whole page the viewport grows to the page's height first: a
    full-page capture would draw sticky bars where the original viewport ended, over the rows."""
    if (shots := screenshot_dir()) is None:
        return
    if not whole:
        page.screenshot(path=shots / f"{name}.png")
        return
    size = page.viewport_size or {"width": 1280, "height": 720}
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": height})
    page.screenshot(path=shots / f"{name}.png")
    page.set_viewport_size(size)


def ensure_officials(page: Page, server: LiveServer) -> None:
    """Import the recorded feeds (with committee roles) if no earlier test did."""
    page.goto(f"{server.url}/officials/?q=genuis&status=all")
    if page.get_by_text("1 official found.").count():
        return
    page.goto(f"{server.url}/imports/")
    page.get_by_role("button", name="Import now").click()
    expect(page.get_by_role("heading", name=re.compile("Succeeded"))).to_be_visible(timeout=60_000)


def test_campaign_journey_from_letter_to_completed_follow_up(
    new_page: Callable[..., Page], live_server: LiveServer
) -> None:
    live_server.create_user(UserRole.COORDINATOR, "coco@example.org", "Coco Ordinator")
    live_server.create_user(UserRole.VOLUNTEER, "vivi@example.org", "Vivi Volunteer")
    coordinator = new_page()
    sign_in(coordinator, live_server, "coco@example.org")
    ensure_officials(coordinator, live_server)

    # The coordinator creates a campaign and adds the FAAE chair and vice-chairs by role.
    coordinator.goto(f"{live_server.url}/campaigns/")
    coordinator.get_by_role("link", name="Start a campaign").click()
    coordinator.get_by_label("Title in English").fill("Humanitarian corridor letter")
    coordinator.get_by_label("Date of the letter").fill(clock.today().isoformat())
    coordinator.get_by_label("Status").select_option("active")
    coordinator.get_by_label("Asks in English").fill(
        "Open a humanitarian corridor\nImpose sanctions"
    )
    coordinator.get_by_role("button", name="Save").click()
    expect(coordinator.get_by_text(re.compile("Now add its recipients"))).to_be_visible()
    coordinator.locator("#byrole-selection").select_option("committee_leads")
    faae = coordinator.locator("#byrole-committee option", has_text="FAAE").get_attribute("value")
    coordinator.locator("#byrole-committee").select_option(faae)
    coordinator.get_by_role("button", name="Preview who will be added").click()
    expect(coordinator.get_by_text("2 to add.")).to_be_visible()
    coordinator.get_by_role("button", name="Add the ticked").click()
    expect(coordinator.get_by_text("Added 2 recipients.")).to_be_visible()
    expect(coordinator.get_by_text(re.compile("Garnett Genuis, M.P., Vice-Chair"))).to_be_visible()
    assert_accessible(coordinator)

    # The volunteer, on a phone, logs a send and then a reply for Genuis.
    volunteer = new_page(viewport=PHONE)
    sign_in(volunteer, live_server, "vivi@example.org")
    for kind, extra in (("Sent", "email"), ("Reply received", "substantive")):
        open_menu(volunteer)
        volunteer.get_by_role("link", name="Log").first.click()
        volunteer.get_by_label("Official's name or riding").fill("genuis")
        volunteer.keyboard.press("Enter")
        volunteer.get_by_role("link", name="Garnett Genuis").click()
        volunteer.get_by_label(kind, exact=True).check()
        if kind == "Sent":
            volunteer.get_by_label("How").select_option(extra)
        else:
            volunteer.get_by_label("Kind of reply").select_option(extra)
            volunteer.get_by_label("Summary or notes").fill("He will raise it at committee.")
        assert_accessible(volunteer)
        if kind != "Sent":
            shoot(volunteer, "quick-log-phone")  # the form, as a volunteer fills it in
        volunteer.get_by_role("button", name="Save").click()
        expect(volunteer.get_by_role("heading", name="Saved")).to_be_visible()
    no_sideways_scroll(volunteer)

    # The coordinator sees the status change and plans a follow-up for the volunteer.
    coordinator.reload()
    genuis_row = coordinator.get_by_role("row", name=re.compile("Garnett Genuis"))
    expect(genuis_row.get_by_text("Replied")).to_be_visible()
    genuis_row.get_by_role("link", name="Plan").click()
    plan = coordinator.locator("#plan")
    # Only the page the link opens marks him chosen; the page being left has the same form.
    expect(plan.locator("#fu-recipient option[selected]")).to_have_text(
        re.compile("Garnett Genuis")
    )
    plan.get_by_label("Assigned to").select_option(label="Vivi Volunteer")
    plan.get_by_label("What to do").fill("Ask for a meeting about the corridor")
    plan.get_by_role("button", name="Plan follow-up").click()
    expect(coordinator.get_by_text(re.compile("assigned to Vivi Volunteer"))).to_be_visible()
    assert_accessible(coordinator)
    shoot(coordinator, "campaign")
    coordinator.get_by_role("link", name="Garnett Genuis").first.click()
    expect(coordinator.get_by_text("He will raise it at committee.")).to_be_visible()
    assert_accessible(coordinator)
    coordinator.get_by_role("link", name="Home").click()
    expect(coordinator.get_by_role("heading", name="Welcome, Coco Ordinator")).to_be_visible()
    expect(coordinator.get_by_role("link", name="Humanitarian corridor letter")).to_be_visible()
    assert_accessible(coordinator)

    # The volunteer completes it from "My follow-ups".
    open_menu(volunteer)
    volunteer.get_by_role("link", name="Follow-ups").click()
    expect(volunteer.get_by_text("Ask for a meeting about the corridor")).to_be_visible()
    assert_accessible(volunteer)
    volunteer.get_by_role("button", name="Done…").click()
    expect(volunteer.get_by_label("What came of it")).to_be_visible()
    assert_accessible(volunteer)
    volunteer.get_by_label("What came of it").fill("Meeting booked for next week.")
    volunteer.get_by_role("button", name="Mark done").click()
    expect(volunteer.get_by_text("Done.")).to_be_visible()
    expect(volunteer.get_by_text("Ask for a meeting about the corridor")).to_have_count(0)
