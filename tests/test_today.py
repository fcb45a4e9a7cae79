""" "Today" is the date where the coalition works (TRACKER_TIMEZONE), not the server's, which
usually keeps UTC: in the evening in Ottawa, UTC is already tomorrow."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tracker import clock, create_app
from tracker.config import ConfigError
from tracker.models import (
    AuditEvent,
    Campaign,
    CampaignStatus,
    FollowUp,
    Official,
    Recipient,
    User,
    UserRole,
)
from tracker.queries.audit import AuditFilter, audit_page

# 22:30 on 6 December in Ottawa; 7 December on a server that keeps UTC.
EVENING_IN_OTTAWA = dt.datetime(2026, 12, 7, 3, 30, tzinfo=dt.UTC)
OTTAWA_DATE = dt.date(2026, 12, 6)


@pytest.fixture
def server_on_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's own clock on UTC, as on most servers: the dates below cannot come from it."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def evening(server_on_utc: None) -> Iterator[None]:
    with time_machine.travel(EVENING_IN_OTTAWA, tick=False):
        yield


def an_official(db: Session) -> Official:
    official = Official(given_name="Ada", family_name="Member", name_key="ada member")
    db.add(official)
    db.flush()
    return official


def test_today_is_the_date_in_the_installations_timezone(app: Flask, evening: None) -> None:
    with app.app_context():
        assert clock.today() == OTTAWA_DATE
        app.config["TIMEZONE"] = "Asia/Tokyo"
        assert clock.today() == dt.date(2026, 12, 7)
    assert clock.today() == OTTAWA_DATE  # no app: the default zone, Ottawa's


def test_a_reply_logged_in_the_evening_is_dated_that_day(
    client: FlaskClient,
    db: Session,
    signed_in: Callable[[UserRole], User],
    evening: None,
) -> None:
    official = an_official(db)
    campaign = Campaign(title="Corridor letter", status=CampaignStatus.ACTIVE)
    db.add(campaign)
    db.flush()
    db.add(
        Recipient(
            campaign_id=campaign.id,
            official_id=official.id,
            position=0,
            addressed_as="x",
            salutation="y",
        )
    )
    db.commit()
    signed_in(UserRole.VOLUNTEER)
    page = client.get(f"/log/{official.id}").get_data(as_text=True)
    field = re.search(r'<input[^>]*name="occurred_on"[^>]*>', page)
    assert field is not None
    assert f'value="{OTTAWA_DATE.isoformat()}"' in field.group(0)


def test_a_follow_up_due_today_is_not_shown_late_in_the_evening(
    client: FlaskClient,
    db: Session,
    signed_in: Callable[[UserRole], User],
    evening: None,
) -> None:
    me = signed_in(UserRole.VOLUNTEER)
    official = an_official(db)
    db.add(FollowUp(official_id=official.id, due_on=OTTAWA_DATE, assignee_id=me.id, note="Call"))
    db.commit()
    home = client.get("/").get_data(as_text=True)
    assert "Call" in home
    assert "day late" not in home
    follow_ups = client.get("/follow-ups/").get_data(as_text=True)
    assert "Nothing due today." not in follow_ups
    assert "Nothing overdue." in follow_ups


@pytest.mark.parametrize("zone", ["America/Ottawa", "America", ""])
def test_a_timezone_that_does_not_exist_stops_the_app_with_a_clear_message(
    instance_path: object, zone: str
) -> None:
    with pytest.raises(ConfigError, match=rf"is '{zone}', which is not a timezone name"):
        create_app({"TIMEZONE": zone, "TESTING": True})


def test_a_command_run_with_a_timezone_that_does_not_exist_says_so_in_one_line(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "TRACKER_INSTANCE_PATH": str(tmp_path), "TRACKER_TIMEZONE": "Ottawa"}
    hilltrack = Path(sys.executable).parent / "hilltrack"
    done = subprocess.run(
        [str(hilltrack), "db", "upgrade"], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "Error: The timezone setting (TRACKER_TIMEZONE, or TIMEZONE in the instance's "
        "config.py) is 'Ottawa', which is not a timezone name; use one such as "
        "America/Toronto, America/Vancouver or America/Halifax."
    ]


def test_the_audit_trails_days_are_the_days_its_times_are_shown_in(db: Session) -> None:
    """An event at 8:30 p.m. in Ottawa on 6 December (UTC's 7th) is the 6th's in the filter, as
    the page shows its time."""
    db.add(AuditEvent(at=dt.datetime(2026, 12, 7, 1, 30, tzinfo=dt.UTC), action="user.created"))
    db.flush()

    def found(**days: dt.date) -> int:
        return len(audit_page(db, AuditFilter(**days), 1).items)

    assert found(until=OTTAWA_DATE) == 1
    assert found(since=OTTAWA_DATE, until=OTTAWA_DATE) == 1
    assert found(since=dt.date(2026, 12, 7)) == 0
