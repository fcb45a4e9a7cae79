"""Hostile and mistaken input: every case answered with a 4xx or a form error that says what is
wrong, and nothing written. Runs on SQLite and PostgreSQL (PostgreSQL refuses NUL outright)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import csrf_token_from
from tracker import clock
from tracker.models import (
    Campaign,
    CampaignStatus,
    FollowUp,
    Interaction,
    Official,
    Recipient,
    Signatory,
    User,
    UserRole,
)

HUGE = "99999999999999999999"  # past 2**63 - 1
TODAY = clock.today().isoformat()


@pytest.fixture
def world(db: Session, signed_in: Callable[[UserRole], User]) -> dict[str, Any]:
    """A signed-in coordinator, an official on an active campaign, and a follow-up."""
    coordinator = signed_in(UserRole.COORDINATOR)
    official = Official(given_name="Mélanie", family_name="Joly", name_key="melanie joly")
    campaign = Campaign(title="Letter", status=CampaignStatus.ACTIVE)
    db.add_all([official, campaign])
    db.flush()
    recipient = Recipient(
        campaign_id=campaign.id, official_id=official.id, addressed_as="Joly", salutation="Dear"
    )
    follow_up = FollowUp(
        official_id=official.id, due_on=dt.date(2100, 12, 30), assignee_id=coordinator.id
    )
    db.add_all([recipient, follow_up])
    db.commit()
    return {"official": official, "campaign": campaign, "recipient": recipient, "fu": follow_up}


def written(db: Session) -> tuple[int, ...]:
    db.expire_all()
    return tuple(
        db.scalar(select(func.count()).select_from(model)) or 0
        for model in (Interaction, FollowUp, Recipient, Signatory, Official)
    )


def post(client: FlaskClient, path: str, data: dict[str, Any], **kw: Any) -> Any:
    token = csrf_token_from(client.get("/account").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=True, **kw)


def log_entry(world: dict[str, Any], **values: str) -> dict[str, str]:
    return {
        "recipient_id": str(world["recipient"].id),
        "kind": "note",
        "occurred_on": TODAY,
        "channel": "",
        "reply_class": "",
        "summary": "",
        **values,
    }


GETS = [
    # (path, expected status): ids too large for any row
    ("/campaigns/" + HUGE, 404),
    ("/officials/9223372036854775808", 404),
    ("/log/" + HUGE, 404),
    ("/campaigns/1/recipients/" + HUGE, 404),
    ("/exports/campaign-status.csv?campaign=" + HUGE, 400),
    ("/admin/audit/?actor=" + HUGE, 403),  # coordinators do not read it; no crash either
    ("/officials/?committee=" + HUGE, 200),
    ("/campaigns/?page=" + HUGE, 200),
    # dates outside 1900-2100, or not dates
    ("/reports/responsiveness?since=9999-01-01", 400),
    ("/reports/responsiveness?since=2026-02-30", 400),
    ("/exports/interactions.csv?until=0001-01-01", 400),
]


@pytest.mark.parametrize(("path", "status"), GETS)
def test_hostile_addresses_get_a_4xx_not_a_crash(
    client: FlaskClient, world: dict[str, Any], path: str, status: int
) -> None:
    assert client.get(path).status_code == status


def test_hostile_ids_in_forms_are_refused_and_nothing_is_written(
    client: FlaskClient, db: Session, world: dict[str, Any]
) -> None:
    before = written(db)
    campaign = world["campaign"].id
    cases = [
        (f"/campaigns/{campaign}/recipients", {"byname-official_id": HUGE}, "Choose an official"),
        (f"/campaigns/{campaign}/sent", {"recipient": HUGE, "sent_on": TODAY}, "Tick the"),
        ("/follow-ups/plan", {"fu-recipient_id": HUGE, "fu-due_on": TODAY, "fu-note": "x"}, ""),
        (
            f"/campaigns/{campaign}/signatories/list",
            {"sigs-rows-0-id": HUGE, "sigs-rows-0-position": "1", "sigs-rows-0-name": "X"},
            "",
        ),
    ]
    for path, data, message in cases:
        response = post(client, path, data)
        assert response.status_code < 500, path
        assert message in response.get_data(as_text=True), path
    assert written(db) == before


def test_a_next_address_with_a_line_break_is_refused_after_sign_in(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    from tests.conftest import PASSWORD

    user = make_user(UserRole.VOLUNTEER)
    for target in ("/campaigns/%0d%0aSet-Cookie:%20x=1", "/x%0aLocation:%20//evil.example"):
        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        response = client.post(
            f"/login?next={target}",
            data={"email": user.email, "password": PASSWORD, "csrf_token": token},
        )
        assert response.status_code == 302
        assert response.headers["Location"] == "/"
        assert "Set-Cookie: x" not in str(response.headers)
        client.post("/logout", data={"csrf_token": csrf_token_from(client.get("/").get_data(True))})


@pytest.mark.parametrize(
    ("occurred_on", "message"),
    [
        ("2026-02-30", "2026-02-30 is not a date: write it as YYYY-MM-DD."),
        ("9999-01-01", "Give a date between 1900 and 2100."),
        ("1066-10-14", "Give a date between 1900 and 2100."),
        ("", "Give the date it happened."),
    ],
)
def test_a_log_entry_with_an_impossible_date_says_what_is_wrong(
    client: FlaskClient, db: Session, world: dict[str, Any], occurred_on: str, message: str
) -> None:
    before = written(db)
    path = f"/log/{world['official'].id}"
    text = post(client, path, log_entry(world, occurred_on=occurred_on)).get_data(as_text=True)
    assert message in text
    assert written(db) == before


def test_snoozing_a_follow_up_past_2100_is_refused_with_a_reason(
    client: FlaskClient, db: Session, world: dict[str, Any]
) -> None:
    text = post(client, f"/follow-ups/{world['fu'].id}/snooze", {}).get_data(as_text=True)
    assert "a week later is past 2100" in text
    db.refresh(world["fu"])
    assert world["fu"].due_on == dt.date(2100, 12, 30)


@pytest.mark.parametrize(
    ("summary", "message"),
    [
        ("before\x00after", "holds a NUL character"),
        ("bell\x07", "invisible control characters"),
        ("\u202eylimaf", "reverse its direction"),
        ("bad \ufffd byte", "could not be read"),
    ],
)
def test_control_characters_and_direction_overrides_are_refused(
    client: FlaskClient, db: Session, world: dict[str, Any], summary: str, message: str
) -> None:
    before = written(db)
    path = f"/log/{world['official'].id}"
    text = post(client, path, log_entry(world, summary=summary)).get_data(as_text=True)
    assert message in text
    assert written(db) == before


def test_line_breaks_in_notes_are_kept_and_zero_width_characters_leave_names(
    client: FlaskClient, db: Session, world: dict[str, Any]
) -> None:
    path = f"/log/{world['official'].id}"
    post(client, path, log_entry(world, summary="line one\r\nline two\tend"))
    assert db.scalars(select(Interaction)).one().summary == "line one\r\nline two\tend"
    campaign = world["campaign"].id
    post(
        client,
        f"/campaigns/{campaign}/signatories",
        {"sig-name": "Amnesty\u200b International", "sig-kind": "organisation"},
    )
    assert db.scalars(select(Signatory)).one().name == "Amnesty International"


def test_a_form_that_is_not_utf8_is_refused_whole(
    client: FlaskClient, db: Session, world: dict[str, Any]
) -> None:
    before = written(db)
    token = csrf_token_from(client.get("/account").get_data(as_text=True))
    body = (
        f"csrf_token={token}&recipient_id={world['recipient'].id}&kind=note"
        f"&occurred_on={TODAY}&summary=M%E9lanie+called"
    ).encode()
    response = client.post(
        f"/log/{world['official'].id}",
        data=body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "not readable text (it is not UTF-8), so nothing was saved" in response.get_data(
        as_text=True
    )
    multipart = client.post(
        f"/log/{world['official'].id}",
        data=(
            b'--B\r\nContent-Disposition: form-data; name="summary"\r\n\r\nM\xe9lanie\r\n--B--\r\n'
        ),
        content_type="multipart/form-data; boundary=B",
    )
    assert multipart.status_code == 400
    assert written(db) == before
