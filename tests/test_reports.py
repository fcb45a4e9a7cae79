"""Report figures against values computed by hand, and the pages that show them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import (
    Campaign,
    CampaignStatus,
    Channel,
    Interaction,
    InteractionKind,
    Official,
    Recipient,
    ReplyClass,
    User,
    UserRole,
)
from tracker.operations.recipient_facts import refresh_all_facts
from tracker.queries import reports

SENT = dt.date(2026, 1, 5)


def letter_to(db: Session, campaign: Campaign, party: str, n: int, reply_days: list[int]) -> None:
    """``n`` recipients of ``party``; the first len(reply_days) replied after those days."""
    for k in range(n):
        official = Official(
            given_name=f"{party[:3]}{k}",
            family_name="Member",
            party=party,
            name_key=f"{party}-{k}-{campaign.id}",
        )
        db.add(official)
        db.flush()
        recipient = Recipient(
            campaign_id=campaign.id,
            official_id=official.id,
            position=k,
            addressed_as="x",
            salutation="y",
        )
        db.add(recipient)
        db.flush()
        db.add(
            Interaction(
                official_id=official.id,
                recipient_id=recipient.id,
                kind=InteractionKind.SENT,
                occurred_on=SENT,
                channel=Channel.EMAIL,
            )
        )
        if k < len(reply_days):
            db.add(
                Interaction(
                    official_id=official.id,
                    recipient_id=recipient.id,
                    kind=InteractionKind.REPLY_RECEIVED,
                    occurred_on=SENT + dt.timedelta(days=reply_days[k]),
                    reply_class=ReplyClass.SUBSTANTIVE,
                )
            )


@pytest.fixture
def letters(db: Session) -> Campaign:
    campaign = Campaign(title="Spring letter", status=CampaignStatus.ACTIVE, letter_on=SENT)
    db.add(campaign)
    db.flush()
    letter_to(db, campaign, "Liberal", 10, [1, 2, 3, 4, 5, 6, 7])
    letter_to(db, campaign, "Conservative", 12, list(range(1, 13)))
    letter_to(db, campaign, "Green Party", 3, [10])
    refresh_all_facts(db)
    db.commit()
    return campaign


def test_wilson_interval_matches_the_hand_computation() -> None:
    low, high = reports.wilson_interval(7, 10)
    assert (round(low, 4), round(high, 4)) == (0.3968, 0.8922)
    assert tuple(round(x, 4) for x in reports.wilson_interval(12, 12)) == (0.7575, 1.0)


def test_median_interval_uses_order_statistics() -> None:
    # n = 12: ranks floor(6 - 1.96*sqrt(12)/2) = 2 and ceil(7 + 1.96*sqrt(12)/2) = 11.
    assert reports.median_interval([float(d) for d in range(1, 13)]) == (2.0, 11.0)


def test_responsiveness_by_party_ranks_only_groups_large_enough(
    db: Session, letters: Campaign
) -> None:
    figures = {f.name: f for f in reports.responsiveness(db, "party")}
    conservative, liberal, green = (
        figures["Conservative"],
        figures["Liberal"],
        figures["Green Party"],
    )
    assert (liberal.sent, liberal.replied, liberal.rate) == (10, 7, 0.7)
    assert liberal.median_days == 4.0
    assert liberal.median_interval is None  # 7 replies: too few for an interval
    assert conservative.median_days == 6.5
    assert conservative.median_interval == (2.0, 11.0)
    assert (green.sent, green.ranked, green.rate_interval) == (3, False, None)
    order = [f.name for f in reports.responsiveness(db, "party")]
    assert order == ["Conservative", "Liberal", "Green Party"]  # ranked by rate, small last


def test_the_period_counts_the_whole_months_letters_were_first_sent_in(
    db: Session, letters: Campaign
) -> None:
    """Letters sent on January 5 count in January: a period from February or to December
    leaves them out; one from January 31 to January 1, any day of the month, keeps them."""
    assert reports.responsiveness(db, "campaign", since=dt.date(2026, 2, 1)) == []
    assert reports.responsiveness(db, "campaign", until=dt.date(2025, 12, 31)) == []
    for by in ("campaign", "official", "party", "role_kind"):
        within = reports.responsiveness(
            db, by, since=dt.date(2026, 1, 31), until=dt.date(2026, 1, 1)
        )
        assert (sum(f.sent for f in within), sum(f.replied for f in within)) == (25, 20), by
    (only,) = reports.responsiveness(db, "campaign", since=dt.date(2026, 1, 31))
    assert (only.name, only.sent, only.replied) == ("Spring letter", 25, 20)


def test_responsiveness_page_shows_counts_intervals_and_the_small_group_rule(
    client: FlaskClient, signed_in: Callable[[UserRole], User], letters: Campaign
) -> None:
    signed_in(UserRole.COORDINATOR)
    text = client.get("/reports/responsiveness?by=party").get_data(as_text=True)
    assert '<th scope="row">Liberal</th><td>10</td><td>7</td><td>0</td>' in text
    assert "70% (40\u201389%)" in text
    assert "6.5 (2\u201311)" in text
    assert "Too few letters to rank" in text
    assert "Green Party: 1 of 3 replied, median 10 days" in text
    assert "computed" in text and "Period:" in text


def test_dashboard_shows_each_active_campaign_with_labelled_bars(
    client: FlaskClient, signed_in: Callable[[UserRole], User], letters: Campaign
) -> None:
    signed_in(UserRole.COORDINATOR)
    text = client.get("/reports/?days=5").get_data(as_text=True)
    assert "Spring letter" in text
    assert (
        'aria-label="Sent 25 of 25; Delivered 20 of 25; Replied 20 of 25; '
        "Acknowledged only 0 of 25; Bounced 0 of 25; Met 0 of 25; "
        'Waiting over 5 days 5 of 25"' in text
    )


def test_reports_are_for_coordinators(
    client: FlaskClient, signed_in: Callable[[UserRole], User]
) -> None:
    signed_in(UserRole.VOLUNTEER)
    assert client.get("/reports/").status_code == 403
    assert client.get("/reports/responsiveness").status_code == 403


@pytest.mark.parametrize("by", list(reports.GROUPINGS))
def test_a_page_of_figures_says_what_the_whole_table_says(
    db: Session, letters: Campaign, by: str
) -> None:
    # Pages work out delays only for the groups they show; the figures must not differ.
    whole = reports.responsiveness(db, by)
    for size in (1, 2, 100):
        shown = [f for n in (1, 2, 3) for f in reports.responsiveness_page(db, by, n, size).items]
        assert shown[: len(whole)] == whole[: len(shown)]


def test_an_mp_who_crosses_the_floor_answered_their_old_partys_letters_for_it(
    db: Session, letters: Campaign
) -> None:
    """Responsiveness counts a letter under the party its recipient sat with when it was sent
    (the recipient keeps it), not the party they sit with now."""
    crossing = db.scalars(
        select(Official).where(Official.party == "Green Party").order_by(Official.id)
    ).first()
    assert crossing is not None
    crossing.party = "Liberal"
    db.commit()
    by_party = {f.name: f.sent for f in reports.responsiveness(db, "party")}
    assert (by_party["Green Party"], by_party["Liberal"]) == (3, 10)


def test_the_dashboard_shows_active_campaigns_a_page_at_a_time_under_totals_over_all(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session, letters: Campaign
) -> None:
    signed_in(UserRole.COORDINATOR)
    for n in range(25):  # 26 active campaigns in all: two pages of 20
        db.add(Campaign(title=f"Later letter {n}", status=CampaignStatus.ACTIVE, letter_on=SENT))
    db.commit()
    first = client.get("/reports/?fresh=1").get_data(as_text=True)
    assert "All 26 active campaigns" in first
    assert 'aria-label="Sent 25 of 25; Delivered 20 of 25' in first  # the totals: all of them
    assert "Campaigns 1\u201320 of 26" in first and "Page 1 of 2" in first
    second = client.get("/reports/?page=2&fresh=1").get_data(as_text=True)
    assert "Campaigns 21\u201326 of 26" in second
    shown = {n for n in range(25) if f"Later letter {n}<" in first + second}
    assert len(shown) == 25 and "Spring letter" in first + second


def test_the_dashboard_kept_for_an_english_reader_is_not_shown_to_a_french_one(
    app: Flask,
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    letters: Campaign,
) -> None:
    """Its figures are reused for REPORTS_CACHE_SECONDS, but they are written in words: each
    language has its own."""
    app.config["REPORTS_CACHE_SECONDS"] = 300
    signed_in(UserRole.COORDINATOR)
    english = client.get("/reports/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "across the coalition" in english
    french = client.get("/reports/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "en retard dans la coalition" in french
    assert "across the coalition" not in french


def test_responsiveness_names_its_months_in_the_readers_language(
    client: FlaskClient, signed_in: Callable[[UserRole], User], letters: Campaign
) -> None:
    signed_in(UserRole.COORDINATOR)
    path = "/reports/responsiveness?since=2025-12&until="
    english = client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Period: December 2025 to today" in english
    french = client.get(path, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Période\u00a0: décembre 2025 \u2013 aujourd'hui" in french


ALL_LETTERS = "/reports/responsiveness?by=campaign&since="


def test_responsiveness_shows_when_its_figures_were_computed_and_recomputes_on_request(
    app: Flask,
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    db: Session,
    letters: Campaign,
) -> None:
    app.config["REPORTS_CACHE_SECONDS"] = 30
    signed_in(UserRole.COORDINATOR)
    assert '<th scope="row">Spring letter</th>' in client.get(ALL_LETTERS).get_data(as_text=True)
    letters.title = "Autumn letter"
    db.commit()
    reused = client.get(ALL_LETTERS).get_data(as_text=True)
    assert '<th scope="row">Spring letter</th>' in reused and "computed" in reused
    link = 'href="/reports/responsiveness?by=campaign&amp;since=&amp;fresh=1">Recompute now</a>'
    assert link in reused
    fresh = client.get(ALL_LETTERS + "&fresh=1").get_data(as_text=True)
    assert '<th scope="row">Autumn letter</th>' in fresh and "Spring letter" not in fresh
    assert "Autumn letter" in client.get(ALL_LETTERS).get_data(as_text=True)  # kept anew


def test_responsiveness_kept_for_one_query_is_not_shown_for_another(
    app: Flask,
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    letters: Campaign,
) -> None:
    """Every query argument is in the key: another period, grouping or page is its own table,
    and its pager keeps its own query's arguments."""
    app.config["REPORTS_CACHE_SECONDS"] = 300
    signed_in(UserRole.COORDINATOR)
    assert "Spring letter" in client.get(ALL_LETTERS).get_data(as_text=True)
    later = client.get("/reports/responsiveness?by=campaign&since=2026-02").get_data(as_text=True)
    assert "Spring letter" not in later and "No group has 10 or more letters sent" in later
    by_party = client.get("/reports/responsiveness?by=party&since=").get_data(as_text=True)
    assert '<th scope="row">Liberal</th>' in by_party and "Spring letter" not in by_party


def test_responsiveness_kept_for_an_english_reader_is_not_shown_to_a_french_one(
    app: Flask,
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    letters: Campaign,
) -> None:
    app.config["REPORTS_CACHE_SECONDS"] = 300
    signed_in(UserRole.COORDINATOR)
    path = "/reports/responsiveness?by=party&since="
    english = client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Too few letters to rank" in english and "Recompute now" in english
    french = client.get(path, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Trop peu de lettres pour classer" in french and "Recalculer maintenant" in french
    assert "Too few letters to rank" not in french and "Accusé seulement" in french
