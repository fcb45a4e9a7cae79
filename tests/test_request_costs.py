"""What every signed-in request costs before its page: one SQL statement for the session's user
(the sign-in, two-factor, password and deactivation checks read that one row), no new session
cookie on every page, and nothing at all for a static file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import sqlalchemy as sa
import time_machine
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.conftest import csrf_token_from
from tests.test_query_counts import counted
from tracker import clock
from tracker.models import Campaign, CampaignStatus, Official, Recipient, User, UserRole
from tracker.web.templating import fixed_url

START = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def _statements(client: FlaskClient, connection: sa.Connection, path: str) -> list[str]:
    client.get(path)  # warm: templates compiled, the session's token made
    with counted(connection) as statements:
        assert client.get(path).status_code == 200
    return [s for s in statements if not s.lstrip().upper().startswith("BEGIN")]


def test_a_signed_in_request_reads_its_user_in_one_statement(
    client: FlaskClient, connection: sa.Connection, signed_in: Callable[[UserRole], User]
) -> None:
    anonymous = _statements(client, connection, "/healthz")
    signed_in(UserRole.COORDINATOR)
    signed = _statements(client, connection, "/healthz")
    # Exactly one more than the health check's own: the user, with all the checks read from it.
    assert len(signed) == len(anonymous) + 1
    assert [s for s in signed if "FROM user_account" in s] == [
        s for s in signed if s not in anonymous
    ]


def test_a_static_file_costs_no_statement_and_no_session_cookie(
    client: FlaskClient, connection: sa.Connection, signed_in: Callable[[UserRole], User]
) -> None:
    signed_in(UserRole.VOLUNTEER)
    assert _statements(client, connection, "/static/app.css") == []
    response = client.get("/static/app.css")
    assert "Set-Cookie" not in response.headers
    assert response.headers.get("Cache-Control") != "no-store"  # a browser may keep it
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_in_the_same_minute_send_no_new_session_cookie(
    client: FlaskClient, signed_in: Callable[[UserRole], User]
) -> None:
    with time_machine.travel(START, tick=False) as clock:
        signed_in(UserRole.VOLUNTEER)
        client.get("/follow-ups/")  # the first page after signing in shows its message once
        clock.shift(dt.timedelta(seconds=30))
        first = client.get("/follow-ups/")
        assert first.status_code == 200
        assert "Set-Cookie" not in first.headers
        assert first.headers["Cache-Control"] == "no-store"
        clock.shift(dt.timedelta(seconds=40))  # a minute on: the time seen is written again
        assert "Set-Cookie" in client.get("/follow-ups/").headers


def test_a_session_in_use_every_50_seconds_stays_open(
    client: FlaskClient, signed_in: Callable[[UserRole], User]
) -> None:
    with time_machine.travel(START, tick=False) as clock:
        signed_in(UserRole.VOLUNTEER)
        for _ in range(12):  # ten minutes of pages 50 seconds apart
            clock.shift(dt.timedelta(seconds=50))
            assert client.get("/follow-ups/").status_code == 200
        clock.shift(dt.timedelta(minutes=29))  # idle, but less than 30 minutes since the last
        assert client.get("/follow-ups/").status_code == 200


def test_the_layout_s_links_are_what_url_for_builds_under_any_mount_point(app: Flask) -> None:
    links = [("home.index", {}), ("auth.logout", {}), ("static", {"filename": "app.css"})]
    for base in ("http://localhost/", "http://localhost/hilltrack/"):
        with app.test_request_context("/", base_url=base):
            for endpoint, values in links:
                assert fixed_url(endpoint, **values) == url_for(endpoint, **values)
    with app.test_request_context("/", base_url="http://localhost/hilltrack/"):
        assert fixed_url("home.index") == "/hilltrack/"


def test_the_quick_log_reads_the_officials_letters_in_one_statement_and_a_note_counts_nothing(
    client: FlaskClient,
    connection: sa.Connection,
    db: Session,
    signed_in: Callable[[UserRole], User],
) -> None:
    """The quick-log form, opened plain or for a campaign, and its POST read the official's
    open letters and the one named with their campaigns joined: no second statement for the
    campaigns (the form and its POST are a quarter of a volunteer's requests)."""
    signed_in(UserRole.VOLUNTEER)
    official = Official(given_name="Ada", family_name="Lovel", name_key="ada lovel")
    campaigns = [Campaign(title=f"Letter {n}", status=CampaignStatus.ACTIVE) for n in range(3)]
    db.add_all([official, *campaigns])
    db.flush()
    recipients = [
        Recipient(
            campaign_id=c.id, official_id=official.id, position=0, addressed_as="x", salutation="y"
        )
        for c in campaigns
    ]
    db.add_all(recipients)
    db.commit()
    for path in (f"/log/{official.id}", f"/log/{official.id}?campaign={campaigns[0].id}"):
        statements = _statements(client, connection, path)
        assert [s for s in statements if "campaign.title" in s and "JOIN" not in s] == []
        assert len([s for s in statements if "FROM recipient" in s]) == 1, statements
    html = client.get(f"/log/{official.id}").get_data(as_text=True)
    with counted(connection) as statements:
        response = client.post(
            f"/log/{official.id}",
            data={
                "csrf_token": csrf_token_from(html),
                "recipient_id": str(recipients[1].id),
                "kind": "note",
                "occurred_on": clock.today().isoformat(),
                "channel": "",
                "reply_class": "",
                "summary": "Called the office",
                "submission_key": "one",
            },
        )
    assert response.status_code == 302, response.get_data(as_text=True)
    # (The tallies' lock reads campaign ids alone; campaigns read whole come with their title.)
    read_alone = [s for s in statements if "campaign.title" in s and "JOIN" not in s]
    assert read_alone == [], read_alone
    # A note changes none of the letter's facts: its campaign's tally is not counted again
    # (tests/conftest.py checks after every test that each tally is what the recipients say),
    # and what the tallies count of the letter is read once, under the lock, not again after.
    assert [s for s in statements if "campaign_tally" in s] == []
    tally_reads = [
        s
        for s in statements
        if s.lstrip().startswith("SELECT recipient.id, recipient.sent_on, recipient.reply_days")
    ]
    assert len(tally_reads) == 1, tally_reads
