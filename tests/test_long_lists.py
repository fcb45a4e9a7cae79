"""Lists that grow for years stay usable: pages of campaigns, the soonest follow-ups first,
long choice lists that still escape names, and reports that keep namesakes apart."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.conftest import post_form
from tests.test_query_counts import counted
from tests.test_workflow_pages import checked_value
from tracker import clock
from tracker.models import (
    Campaign,
    CampaignStatus,
    Channel,
    FollowUp,
    Official,
    Recipient,
    User,
    UserRole,
)
from tracker.operations.interactions import record_interaction
from tracker.queries import reports
from tracker.queries.pagination import PAGE_SIZE
from tracker.rules.status import RecipientStatus

TODAY = clock.today()


def test_the_campaigns_list_comes_in_pages_newest_letter_first(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    signed_in(UserRole.VOLUNTEER)
    start = dt.date(2020, 1, 1)
    db.add_all(
        Campaign(
            title=f"Letter {n:03d}",
            status=CampaignStatus.ACTIVE,
            letter_on=start + dt.timedelta(days=n),
        )
        for n in range(PAGE_SIZE + 5)
    )
    db.commit()
    first = client.get("/campaigns/").get_data(as_text=True)
    assert f"{PAGE_SIZE + 5} campaigns, newest letter first." in first
    assert "Letter 054" in first and "Letter 004" not in first
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = client.get("/campaigns/?page=2").get_data(as_text=True)
    assert "Letter 004" in second and "Letter 000" in second and "Letter 054" not in second
    assert client.get("/campaigns/?page=99").status_code == 200  # past the end: the last page


def my_follow_ups(
    client: FlaskClient, db: Session, connection: sa.Connection, me: User, due: list[int]
) -> tuple[str, list[str]]:
    """My follow-ups page with one follow-up due each of ``due`` days from today, and the
    statements it ran (after a first request: the session and the catalogue loaded)."""
    official = Official(given_name="Ada", family_name="Member", name_key="ada member")
    db.add(official)
    db.flush()
    db.add_all(
        FollowUp(
            official_id=official.id,
            due_on=TODAY + dt.timedelta(days=days),
            assignee_id=me.id,
            note=f"Due {days}",
        )
        for days in due
    )
    db.commit()
    client.get("/follow-ups/")
    with counted(connection) as statements:
        page = client.get("/follow-ups/").get_data(as_text=True)
    return page, statements


def test_a_few_follow_ups_are_shown_and_counted_in_one_statement(
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    db: Session,
    connection: sa.Connection,
) -> None:
    volunteer = signed_in(UserRole.VOLUNTEER)
    # two overdue, one today, three upcoming
    page, statements = my_follow_ups(client, db, connection, volunteer, [-3, -1, 0, 2, 5, 9])
    for window, number in (("overdue", 2), ("today", 1), ("upcoming", 3)):
        heading = page[page.index(f'id="group-{window}"') :]
        assert f'<small class="muted">({number})</small>' in heading.split("</h2>")[0]
    assert "due soonest of" not in page  # every one of them is shown
    counts = [s for s in statements if "count(" in s.lower()]
    assert counts == []  # each window's rows were fewer than its page: no count was run
    assert len([s for s in statements if "follow_up" in s]) == 1


def test_a_window_of_exactly_a_page_and_one_longer_are_counted_together(
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    db: Session,
    connection: sa.Connection,
) -> None:
    volunteer = signed_in(UserRole.VOLUNTEER)
    due = [-100 + n for n in range(50)] + [0, 0, 0] + [1 + n for n in range(60)]
    page, statements = my_follow_ups(client, db, connection, volunteer, due)
    overdue = page[page.index('id="group-overdue"') : page.index('id="group-today"')]
    today = page[page.index('id="group-today"') : page.index('id="group-upcoming"')]
    upcoming = page[page.index('id="group-upcoming"') :]
    assert "(50)" in overdue and "due soonest of" not in overdue
    assert overdue.count("Due -") == 50
    assert "(3)" in today and today.count("Due 0") == 3
    assert "(60)" in upcoming and "The 50 due soonest of 60." in upcoming
    assert "Due 1<" in upcoming and "Due 50<" in upcoming and "Due 51<" not in upcoming
    counts = [s for s in statements if "count(" in s.lower()]
    assert len(counts) == 1  # the two long windows, counted in one statement


def test_everyones_follow_ups_show_the_soonest_with_the_full_count(
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    db: Session,
) -> None:
    coordinator = signed_in(UserRole.COORDINATOR)
    _steps(db, coordinator, 60, start=1)
    page = client.get("/follow-ups/?who=all").get_data(as_text=True)
    upcoming = page[page.index('id="group-upcoming"') :]
    assert "Upcoming <small" in upcoming and "(60)" in upcoming
    assert "The 50 due soonest of 60." in upcoming
    assert "Step 000" in upcoming and "Step 049" in upcoming and "Step 050" not in upcoming


def _steps(db: Session, me: User, count: int, start: int) -> None:
    """``count`` open follow-ups of mine, due one a day from ``start`` days from today."""
    official = Official(given_name="Ada", family_name="Member", name_key="ada member")
    db.add(official)
    db.flush()
    db.add_all(
        FollowUp(
            official_id=official.id,
            due_on=TODAY + dt.timedelta(days=start + n),
            assignee_id=me.id,
            note=f"Step {n:03d}",
        )
        for n in range(count)
    )
    db.commit()


def test_a_window_longer_than_its_page_is_read_whole_page_by_page(
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    db: Session,
) -> None:
    me = signed_in(UserRole.VOLUNTEER)
    _steps(db, me, 270, start=-400)  # 270 overdue, the oldest first
    grouped = client.get("/follow-ups/").get_data(as_text=True)
    overdue = grouped[grouped.index('id="group-overdue"') : grouped.index('id="group-today"')]
    assert "(270)" in overdue and "The 50 due soonest of 270." in overdue
    assert '<a href="/follow-ups/?when=overdue">See them all</a>' in overdue

    seen: list[str] = []
    for number in range(1, 7):
        page = client.get(f"/follow-ups/?when=overdue&page={number}").get_data(as_text=True)
        # The same count as the list it came from, on every page.
        assert "(270)" in page and f"Page {number} of 6" in page
        assert ('rel="next"' in page) is (number < 6)
        assert 'id="group-today"' not in page  # the one window asked for
        assert '<a href="/follow-ups/">Back to my follow-ups</a>' in page
        seen += re.findall(r"Step \d{3}", page)
    assert seen == [f"Step {n:03d}" for n in range(270)]  # each once, soonest first

    french = {"Accept-Language": "fr"}
    grouped = client.get("/follow-ups/", headers=french).get_data(as_text=True)
    assert "Les voir tous</a>" in grouped
    page = client.get("/follow-ups/?when=overdue", headers=french).get_data(as_text=True)
    assert "Page 1 sur 6" in page and "Retour à mes suivis</a>" in page


def test_everyones_window_stays_everyones_and_a_volunteer_sees_only_their_own(
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    db: Session,
) -> None:
    coordinator = signed_in(UserRole.COORDINATOR)
    _steps(db, coordinator, 60, start=1)
    grouped = client.get("/follow-ups/?who=all").get_data(as_text=True)
    assert '<a href="/follow-ups/?when=upcoming&amp;who=all">See them all</a>' in grouped
    page = client.get("/follow-ups/?when=upcoming&who=all&page=2").get_data(as_text=True)
    assert "Step 050" in page and "Step 059" in page and "Step 049" not in page
    assert "Page 2 of 2" in page
    assert 'href="/follow-ups/?when=upcoming&amp;who=all&amp;page=1" rel="prev"' in page
    assert "Back to everyone\u2019s follow-ups" in page

    signed_in(UserRole.VOLUNTEER)
    theirs = client.get("/follow-ups/?when=upcoming&who=all").get_data(as_text=True)
    assert "Step 0" not in theirs and "Nothing due upcoming." in theirs


def test_a_window_page_past_the_end_shows_the_last_and_an_unknown_window_the_summary(
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    db: Session,
) -> None:
    me = signed_in(UserRole.VOLUNTEER)
    _steps(db, me, 60, start=1)
    last = client.get("/follow-ups/?when=upcoming&page=99").get_data(as_text=True)
    assert "Page 2 of 2" in last and "Step 059" in last
    summary = client.get("/follow-ups/?when=someday").get_data(as_text=True)
    assert 'id="group-overdue"' in summary and 'id="group-upcoming"' in summary
    # "²" is a digit to Python but no number: the first page, and links that keep no page.
    odd = client.get("/follow-ups/?when=upcoming&page=%C2%B2")
    assert odd.status_code == 200
    assert "Page 1 of 2" in odd.get_data(as_text=True)
    assert '/complete?when=upcoming" role="button"' in odd.get_data(as_text=True)


def test_done_and_snooze_on_a_window_page_come_back_to_that_page(
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    db: Session,
) -> None:
    coordinator = signed_in(UserRole.COORDINATOR)
    _steps(db, coordinator, 60, start=-100)
    listing = "/follow-ups/?when=overdue&who=all&page=2"
    page = client.get(listing).get_data(as_text=True)
    first = db.scalars(sa.select(FollowUp).where(FollowUp.note == "Step 050")).one()
    back = "?who=all&amp;when=overdue&amp;page=2"
    assert f'href="/follow-ups/{first.id}/complete{back}"' in page
    assert f'action="/follow-ups/{first.id}/snooze{back}"' in page
    assert 'href="/follow-ups/?who=all" ' not in page  # "Only mine" keeps the window
    assert '<a href="/follow-ups/?when=overdue">Only mine</a>' in page

    snoozed = post_form(
        client, f"/follow-ups/{first.id}/snooze?who=all&when=overdue&page=2", {}, token_page=listing
    )
    assert snoozed.headers["Location"] == "/follow-ups/?who=all&when=overdue&page=2"
    done = post_form(
        client,
        f"/follow-ups/{first.id}/complete?who=all&when=overdue&page=2",
        {"outcome": "Called."},
        token_page=listing,
    )
    assert done.headers["Location"] == "/follow-ups/?who=all&when=overdue&page=2"
    # Anything else in the address leads back to the plain list, never elsewhere.
    elsewhere = post_form(
        client,
        f"/follow-ups/{first.id}/snooze?when=//evil.example&who=me&page=2&next=/x",
        {},
        token_page=listing,
    )
    assert elsewhere.headers["Location"] == "/follow-ups/"


def test_the_dashboards_overdue_count_leads_to_everyones_overdue_window(
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    db: Session,
) -> None:
    coordinator = signed_in(UserRole.COORDINATOR)
    _steps(db, coordinator, 3, start=-10)
    dashboard = client.get("/reports/").get_data(as_text=True)
    assert "<strong>3</strong> overdue follow-ups across the coalition" in dashboard
    assert '<a href="/follow-ups/?who=all&amp;when=overdue">see them</a>' in dashboard


def test_the_assignee_list_escapes_names_and_preselects_me(
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    make_user: Callable[..., User],
    db: Session,
) -> None:
    me = signed_in(UserRole.COORDINATOR)
    make_user(UserRole.VOLUNTEER, name='<script>alert("x")</script> Volunteer')
    official = Official(given_name="Ada", family_name="Member", name_key="ada member")
    db.add(official)
    db.commit()
    page = client.get(f"/officials/{official.id}").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Volunteer</option>" in page
    assert f'<option value="{me.id}" selected>{me.name}</option>' in page


def sent_a_letter(db: Session, campaign: Campaign, official: Official, actor: User) -> None:
    """Make ``official`` a recipient of ``campaign`` and log the letter as emailed to them."""
    db.add(official)
    db.flush()
    recipient = Recipient(
        campaign_id=campaign.id, official_id=official.id, addressed_as="x", salutation="y"
    )
    db.add(recipient)
    db.flush()
    record_interaction(
        db,
        recipient,
        {"kind": "sent", "occurred_on": dt.date(2026, 1, 5), "channel": Channel.EMAIL},
        actor=actor,
    )


def test_responsiveness_keeps_two_officials_of_the_same_name_apart(
    db: Session, make_user: Callable[..., User]
) -> None:
    volunteer = make_user(UserRole.VOLUNTEER)
    campaign = Campaign(title="Spring letter", letter_on=dt.date(2026, 1, 5))
    db.add(campaign)
    for riding in ("Cypress Hills", "Saskatoon"):
        official = Official(
            given_name="David",
            family_name="Anderson",
            name_key=f"david anderson {riding}",
            constituency=riding,
        )
        sent_a_letter(db, campaign, official, volunteer)
    db.commit()
    figures = reports.responsiveness(db, "official")
    assert [(f.name, f.sent) for f in figures] == [("David Anderson", 1), ("David Anderson", 1)]


def test_responsiveness_by_official_comes_a_hundred_groups_to_a_page(
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    db: Session,
) -> None:
    coordinator = signed_in(UserRole.COORDINATOR)
    campaign = Campaign(title="Letter to every member", letter_on=dt.date(2026, 1, 5))
    db.add(campaign)
    db.flush()
    for n in range(105):
        official = Official(given_name="Member", family_name=f"{n:03d}", name_key=f"m {n}")
        sent_a_letter(db, campaign, official, coordinator)
    db.commit()
    first = client.get("/reports/responsiveness?by=official").get_data(as_text=True)
    assert "Groups 1\u2013100 of 105" in first
    assert "Member 099" in first and "Member 100" not in first
    second = client.get("/reports/responsiveness?by=official&page=2").get_data(as_text=True)
    assert "Groups 101\u2013105 of 105" in second and "Member 104" in second
    assert "Member 000" not in second


def test_a_list_too_long_to_count_says_more_than_a_thousand_and_still_pages(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    """Counting a list that grows with the log stops at 1,000: the page says "more than", in
    each language, and the list still shows its soonest entries and pages on."""
    coordinator = signed_in(UserRole.COORDINATOR)
    official = Official(given_name="Ada", family_name="Member", name_key="ada member")
    db.add(official)
    db.flush()
    db.execute(
        sa.insert(FollowUp),
        [
            {
                "official_id": official.id,
                "due_on": TODAY - dt.timedelta(days=1 + n % 300),
                "assignee_id": coordinator.id,
                "note": f"Chase {n}",
            }
            for n in range(1_050)
        ],
    )
    db.commit()
    page = client.get("/follow-ups/").get_data(as_text=True)
    assert "(more than 1,000)" in page
    assert "The 50 due soonest of more than 1,000." in page
    french = client.get("/follow-ups/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    french = french.replace("\u00a0", " ").replace("\u202f", " ")  # Babel's group separator
    assert "(plus de 1 000)" in french
    detail = client.get(f"/officials/{official.id}").get_data(as_text=True)
    assert "Showing the latest 50 of more than 1,000." in detail.replace("\n", " ")
    everything = client.get(f"/officials/{official.id}?follow_ups=all").get_data(as_text=True)
    assert everything.count("Chase ") == 1_050


def _official_on_campaigns(db: Session, count: int) -> tuple[Official, list[Recipient]]:
    official = Official(given_name="Mel", family_name="Minister", name_key="mel minister")
    db.add(official)
    db.flush()
    recipients = []
    for n in range(count):
        campaign = Campaign(
            title=f"Letter {n:02d}",
            status=CampaignStatus.ACTIVE,
            letter_on=dt.date(2025, 1, 1) + dt.timedelta(days=n),
        )
        db.add(campaign)
        db.flush()
        recipient = Recipient(
            campaign_id=campaign.id, official_id=official.id, addressed_as="x", salutation="y"
        )
        db.add(recipient)
        recipients.append(recipient)
    db.commit()
    return official, recipients


def test_the_quick_log_offers_the_latest_thirty_campaigns_and_still_logs_an_older_one(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    signed_in(UserRole.VOLUNTEER)
    official, recipients = _official_on_campaigns(db, 35)
    menu = client.get(f"/log/{official.id}").get_data(as_text=True)
    assert "Letter 34" in menu and "Letter 05" in menu and "Letter 04" not in menu
    oldest = recipients[0]
    linked = client.get(f"/log/{official.id}?campaign={oldest.campaign_id}").get_data(as_text=True)
    assert checked_value(linked, "recipient_id") == str(oldest.id)
    saved = post_form(
        client,
        f"/log/{official.id}",
        {
            "recipient_id": str(oldest.id),
            "kind": "sent",
            "occurred_on": TODAY.isoformat(),
            "channel": "email",
            "reply_class": "",
            "summary": "",
            "submission_key": "older-campaign",
        },
        token_page=f"/log/{official.id}",
    )
    assert saved.status_code == 302
    db.expire_all()
    assert db.get(Recipient, oldest.id).status == RecipientStatus.SENT  # type: ignore[union-attr]


def test_with_more_people_than_the_menu_holds_a_follow_up_is_assigned_by_e_mail(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    signed_in(UserRole.COORDINATOR)
    official = Official(given_name="Ada", family_name="Member", name_key="ada member")
    db.add(official)
    db.execute(
        sa.insert(User),
        [
            {
                "email": f"volunteer{n}@example.org",
                "name": f"Volunteer {n:03d}",
                "role": UserRole.VOLUNTEER,
                "password_hash": "x",
            }
            for n in range(120)
        ],
    )
    db.commit()
    page = client.get(f"/officials/{official.id}").get_data(as_text=True)
    menu = page[page.index('name="fu-assignee_id"') :]
    assert menu[: menu.index("</select>")].count("<option") == 100  # the latest, not all 121
    assert "Or someone else: their e-mail" in page
    plan = {"fu-official_id": str(official.id), "fu-due_on": TODAY.isoformat(), "fu-note": "Call"}
    unknown = post_form(
        client,
        "/follow-ups/plan",
        {**plan, "fu-assignee_email": "nobody@example.org"},
        token_page=f"/officials/{official.id}",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "No active account has the e-mail nobody@example.org." in unknown
    assert db.scalars(sa.select(FollowUp)).first() is None
    planned = post_form(
        client,
        "/follow-ups/plan",
        {**plan, "fu-assignee_email": " Volunteer0@Example.org "},
        token_page=f"/officials/{official.id}",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "assigned to Volunteer 000" in planned
    follow_up = db.scalars(sa.select(FollowUp)).one()
    assert follow_up.assignee is not None and follow_up.assignee.email == "volunteer0@example.org"
