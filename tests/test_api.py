"""The JSON API: tokens, scopes and roles, idempotent writes, the rate limit, and the same
figures as the pages."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import sign_in
from tracker import clock, create_app
from tracker.clock import utcnow
from tracker.models import (
    ApiScope,
    AuditEvent,
    Campaign,
    CampaignStatus,
    FollowUp,
    Interaction,
    Official,
    Recipient,
    User,
    UserRole,
)
from tracker.operations.accounts import set_active
from tracker.operations.api_tokens import create_token
from tracker.operations.interactions import record_interaction
from tracker.queries.campaigns import campaign_rows, campaign_summaries
from tracker.web.db import state

V, C, A = UserRole.VOLUNTEER, UserRole.COORDINATOR, UserRole.ADMIN
DAY = dt.date(2026, 1, 20)


@pytest.fixture
def world(db: Session, make_user: Callable[..., User]) -> dict[str, Any]:
    """A campaign to five officials, in several states, and a follow-up for a volunteer."""
    coordinator, volunteer = make_user(C), make_user(V)
    officials = [
        Official(
            given_name=f"Given{n}",
            family_name=f"Family{n}",
            name_key=f"given{n} family{n}",
            ourcommons_id=1000 + n,
            email=f"mp{n}@example.org",
        )
        for n in range(5)
    ]
    campaign = Campaign(title="Open letter", status=CampaignStatus.ACTIVE, letter_on=DAY)
    db.add_all([*officials, campaign])
    db.flush()
    recipients = [
        Recipient(
            campaign_id=campaign.id,
            official_id=o.id,
            addressed_as=o.full_name,
            salutation=f"Dear {o.full_name}",
            position=n,
        )
        for n, o in enumerate(officials[:4])
    ]
    db.add_all(recipients)
    db.flush()
    for recipient, kinds in zip(
        recipients,
        [["sent"], ["sent", "reply_received"], ["sent", "bounced"], []],
        strict=True,
    ):
        for kind in kinds:
            record_interaction(
                db,
                recipient,
                {
                    "kind": kind,
                    "occurred_on": DAY,
                    "channel": "email" if kind == "sent" else None,
                    "reply_class": "substantive" if kind == "reply_received" else None,
                },
                actor=coordinator,
                today=DAY,
            )
    follow_up = FollowUp(
        official_id=officials[0].id,
        recipient_id=recipients[0].id,
        due_on=DAY,
        assignee_id=coordinator.id,
    )
    db.add(follow_up)
    db.commit()
    return {
        "coordinator": coordinator,
        "volunteer": volunteer,
        "campaign": campaign,
        "officials": officials,
        "recipients": recipients,
        "follow_up": follow_up,
    }


@pytest.fixture
def token_for(db: Session) -> Callable[..., str]:
    """A token's secret for ``user``, read or write."""

    def make(user: User, scope: ApiScope = ApiScope.WRITE, **kw: Any) -> str:
        _token, secret = create_token(
            db,
            user,
            name=kw.pop("name", "Sync"),
            scope=scope,
            expires_in_days=kw.pop("days", None),
            actor=user,
        )
        db.commit()
        return secret

    return make


def bearer(secret: str, **more: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}", **more}


def new_note(world: dict[str, Any], n: int = 3) -> dict[str, Any]:
    return {
        "campaign_id": world["campaign"].id,
        "official_id": world["officials"][n].id,
        "kind": "note",
        "occurred_on": DAY.isoformat(),
        "summary": "Called the office",
    }


def entries(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Interaction)) or 0


def test_the_campaign_counts_are_the_campaign_pages(
    client: FlaskClient, db: Session, world: dict[str, Any], token_for: Callable[..., str]
) -> None:
    secret = token_for(world["volunteer"], ApiScope.READ)
    campaign = world["campaign"]
    found = client.get(f"/api/v1/campaigns/{campaign.id}", headers=bearer(secret)).get_json()
    summary = campaign_summaries(db, [campaign.id], clock.today())[campaign.id]
    assert found["counts"] == {s.name.lower(): n for s, n in summary.counts.items()}
    assert found["counts"]["replied"] == 1 and found["counts"]["bounced"] == 1
    # Each recipient's status is the one the campaign page shows in its row.
    listed = client.get(
        f"/api/v1/campaigns/{campaign.id}/recipients", headers=bearer(secret)
    ).get_json()["items"]
    rows = campaign_rows(db, campaign.id, clock.today())
    assert {r["id"]: r["status"] for r in listed} == {
        row.recipient.id: row.info.status.name.lower() for row in rows
    }
    assert Counter(r["status"] for r in listed) == {k: v for k, v in found["counts"].items() if v}


def test_pages_follow_the_cursor_in_id_order_without_gaps(
    client: FlaskClient, world: dict[str, Any], token_for: Callable[..., str]
) -> None:
    secret = token_for(world["volunteer"], ApiScope.READ)
    seen, cursor = [], None
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/officials", query_string=query, headers=bearer(secret))
        assert page.status_code == 200
        body = page.get_json()
        seen += [o["id"] for o in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(o.id for o in world["officials"])
    refused = client.get("/api/v1/officials?cursor=made-up", headers=bearer(secret))
    assert refused.status_code == 400
    assert refused.mimetype == "application/problem+json"
    assert "cursor" in refused.get_json()["detail"]


def test_filters_a_sync_needs(
    client: FlaskClient, world: dict[str, Any], token_for: Callable[..., str]
) -> None:
    secret = token_for(world["volunteer"], ApiScope.READ)
    campaign = world["campaign"]
    bounced = client.get(
        f"/api/v1/campaigns/{campaign.id}/recipients?status=bounced", headers=bearer(secret)
    ).get_json()["items"]
    assert [r["official_id"] for r in bounced] == [world["officials"][2].id]
    replies = client.get("/api/v1/interactions?status=reply_received", headers=bearer(secret))
    assert len(replies.get_json()["items"]) == 1
    later = (utcnow() + dt.timedelta(hours=1)).isoformat()
    nothing = client.get(
        "/api/v1/interactions", query_string={"updated_since": later}, headers=bearer(secret)
    )
    assert nothing.get_json()["items"] == []
    mine = client.get(
        f"/api/v1/interactions?official={world['officials'][1].id}", headers=bearer(secret)
    ).get_json()["items"]
    assert {i["kind"] for i in mine} == {"sent", "reply_received"}


def test_a_session_cookie_never_signs_an_api_call_in(
    client: FlaskClient, world: dict[str, Any]
) -> None:
    sign_in(client, world["coordinator"])
    assert client.get("/campaigns/").status_code == 200
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.post("/api/v1/interactions", json={}).status_code == 401


def test_a_read_token_cannot_write(
    client: FlaskClient, db: Session, world: dict[str, Any], token_for: Callable[..., str]
) -> None:
    secret = token_for(world["coordinator"], ApiScope.READ)
    before = entries(db)
    response = client.post("/api/v1/interactions", json=new_note(world), headers=bearer(secret))
    assert response.status_code == 403
    assert "write access" in response.get_json()["detail"]
    assert entries(db) == before


def test_a_volunteers_token_cannot_do_what_a_volunteer_cannot(
    client: FlaskClient, db: Session, world: dict[str, Any], token_for: Callable[..., str]
) -> None:
    volunteer = token_for(world["volunteer"])
    campaign = world["campaign"]
    extra = world["officials"][4]
    # Adding recipients is a coordinator's right on the campaign page; so it is here.
    add = client.post(
        f"/api/v1/campaigns/{campaign.id}/recipients",
        json={"person_id": extra.ourcommons_id},
        headers=bearer(volunteer),
    )
    assert add.status_code == 403
    assert "coordinator" in add.get_json()["detail"]
    # A follow-up assigned to someone else is not a volunteer's to complete.
    follow_up = world["follow_up"]
    done = client.post(
        f"/api/v1/follow-ups/{follow_up.id}/complete",
        json={"outcome": "Spoke to them"},
        headers=bearer(volunteer),
    )
    assert done.status_code == 403
    # What a volunteer may do on the pages, they may do here: log an entry.
    logged = client.post("/api/v1/interactions", json=new_note(world), headers=bearer(volunteer))
    assert logged.status_code == 201, logged.get_json()
    # And a coordinator adds the recipient, by House PersonId.
    coordinator = token_for(world["coordinator"])
    added = client.post(
        f"/api/v1/campaigns/{campaign.id}/recipients",
        json={"person_id": extra.ourcommons_id},
        headers=bearer(coordinator),
    )
    assert added.status_code == 201, added.get_json()
    assert added.get_json()["official_id"] == extra.id
    assert added.get_json()["status"] == "not_sent"


def test_revoked_and_expired_tokens_get_401(
    client: FlaskClient, db: Session, world: dict[str, Any], token_for: Callable[..., str]
) -> None:
    from tracker.models import ApiToken

    revoked, expired = token_for(world["volunteer"]), token_for(world["volunteer"], days=1)
    tokens = db.scalars(select(ApiToken).order_by(ApiToken.id)).all()
    tokens[0].revoked_at = utcnow()
    tokens[1].expires_at = utcnow() - dt.timedelta(seconds=1)
    db.commit()
    first = client.get("/api/v1/me", headers=bearer(revoked))
    assert first.status_code == 401 and "revoked" in first.get_json()["detail"]
    second = client.get("/api/v1/me", headers=bearer(expired))
    assert second.status_code == 401 and "expired" in second.get_json()["detail"]
    assert client.get("/api/v1/me", headers=bearer("hlt_nonsense")).status_code == 401


def test_deactivating_a_person_ends_their_tokens(
    client: FlaskClient,
    db: Session,
    world: dict[str, Any],
    token_for: Callable[..., str],
    make_user: Callable[..., User],
) -> None:
    secret = token_for(world["volunteer"])
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
    set_active(db, world["volunteer"], active=False, actor=make_user(A))
    db.commit()
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401
    # Active again, the old tokens stay ended: a new one must be made.
    set_active(db, world["volunteer"], active=True, actor=make_user(A))
    db.commit()
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_the_same_idempotency_key_twice_records_once(
    client: FlaskClient, db: Session, world: dict[str, Any], token_for: Callable[..., str]
) -> None:
    secret = token_for(world["volunteer"])
    before = entries(db)
    headers = bearer(secret, **{"Idempotency-Key": "sync-42"})
    first = client.post("/api/v1/interactions", json=new_note(world), headers=headers)
    again = client.post("/api/v1/interactions", json=new_note(world), headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.get_json() == again.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert entries(db) == before + 1
    # The same key on another request is a mistake worth saying.
    other = client.post("/api/v1/interactions", json=new_note(world, 2), headers=headers)
    assert other.status_code == 422
    assert entries(db) == before + 1
    # Without a key, each request records.
    client.post("/api/v1/interactions", json=new_note(world), headers=bearer(secret))
    assert entries(db) == before + 2


def test_writes_are_in_the_audit_trail_through_the_api_with_the_tokens_name(
    client: FlaskClient, db: Session, world: dict[str, Any], token_for: Callable[..., str]
) -> None:
    secret = token_for(world["coordinator"], name="CiviCRM sync")
    follow_up = world["follow_up"]
    response = client.post(f"/api/v1/follow-ups/{follow_up.id}/snooze", headers=bearer(secret))
    assert response.status_code == 200, response.get_json()
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "follow_up.snooze"))
    assert event is not None and event.api_token_name == "CiviCRM sync"
    sign_in(client, make_admin(db, client))
    page = client.get("/admin/audit/").get_data(as_text=True)
    assert "through the API with CiviCRM sync" in page


def make_admin(db: Session, client: FlaskClient) -> User:
    from tests.conftest import PASSWORD
    from tracker.rules.passwords import FAST_TEST_HASHER

    admin = User(
        email="auditor@example.org",
        name="Auditor",
        role=A,
        password_hash=FAST_TEST_HASHER.hash(PASSWORD),
    )
    db.add(admin)
    db.commit()
    return admin


def test_completing_a_follow_up_through_the_api(
    client: FlaskClient, db: Session, world: dict[str, Any], token_for: Callable[..., str]
) -> None:
    secret = token_for(world["coordinator"])
    follow_up = world["follow_up"]
    done = client.post(
        f"/api/v1/follow-ups/{follow_up.id}/complete",
        json={"outcome": "They will table it", "next_due_on": "2026-03-01"},
        headers=bearer(secret),
    )
    assert done.status_code == 200
    assert done.get_json()["status"] == "done"
    assert db.scalar(select(func.count()).select_from(FollowUp)) == 2
    again = client.post(
        f"/api/v1/follow-ups/{follow_up.id}/complete",
        json={"outcome": "Again"},
        headers=bearer(secret),
    )
    assert again.status_code == 422
    assert again.get_json()["detail"] == "This follow-up is already done."


def test_errors_speak_the_token_owners_language(
    client: FlaskClient, db: Session, world: dict[str, Any], token_for: Callable[..., str]
) -> None:
    world["volunteer"].language = "fr"
    db.commit()
    secret = token_for(world["volunteer"], ApiScope.READ)
    response = client.post("/api/v1/interactions", json=new_note(world), headers=bearer(secret))
    assert response.status_code == 403
    assert "écriture" in response.get_json()["detail"]
    missing = client.get("/api/v1/campaigns/999999", headers=bearer(secret))
    assert missing.status_code == 404
    assert missing.get_json()["title"] != "Not found"


def test_the_rate_limit_answers_429_with_retry_after(
    test_config: dict[str, Any],
    connection: Any,
    instance_path: Any,
    world: dict[str, Any],
    token_for: Callable[..., str],
) -> None:
    app = create_app({**test_config, "API_RATE_LIMIT": "3 per minute"})
    state(app).sessions.configure(bind=connection, join_transaction_mode="create_savepoint")
    client = app.test_client()
    secret, other = token_for(world["volunteer"]), token_for(world["coordinator"])
    answers = [client.get("/api/v1/me", headers=bearer(secret)) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    # Only the refusal says to wait; every answer says what is left.
    assert "Retry-After" not in answers[0].headers
    assert answers[0].headers["X-RateLimit-Remaining"] == "2"
    refused = client.get("/api/v1/me", headers=bearer(secret))
    assert refused.mimetype == "application/problem+json"
    assert int(refused.headers["Retry-After"]) > 0
    # Each token has its own budget.
    assert client.get("/api/v1/me", headers=bearer(other)).status_code == 200
    state(app).engine.dispose()


def test_the_openapi_document_and_its_page_work_offline(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    assert "/api/v1/campaigns/{campaign_id}/recipients" in document["paths"]
    page = client.get("/api/v1/docs/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<script>" not in html and "http" not in html.split("<body>")[1]
    for asset in ("swagger-ui.css", "swagger-ui-bundle.js"):
        served = client.get(f"/api/v1/docs/assets/{asset}")
        assert served.status_code == 200
        served.close()
    assert "unsafe-inline" not in page.headers["Content-Security-Policy"]


def test_a_person_makes_sees_once_and_revokes_a_token_on_their_account_page(
    app: Flask, client: FlaskClient, db: Session, world: dict[str, Any]
) -> None:
    from tests.conftest import csrf_token_from

    sign_in(client, world["volunteer"])
    account = client.get("/account").get_data(as_text=True)
    made = client.post(
        "/account/api-tokens/",
        data={
            "csrf_token": csrf_token_from(account),
            "token-name": "Spreadsheet",
            "token-scope": "read",
            "token-expires_in_days": "30",
        },
    )
    html = made.get_data(as_text=True)
    assert made.status_code == 200
    secret = html.split('id="token-secret"')[0].rsplit('value="', 1)[1].split('"')[0]
    assert secret.startswith("hlt_")
    api = app.test_client()
    assert api.get("/api/v1/me", headers=bearer(secret)).get_json()["scope"] == "read"
    account = client.get("/account").get_data(as_text=True)
    assert secret not in account and "Spreadsheet" in account
    from tracker.models import ApiToken

    token = db.scalar(select(ApiToken).where(ApiToken.name == "Spreadsheet"))
    assert token is not None
    client.post(
        f"/account/api-tokens/{token.id}/revoke", data={"csrf_token": csrf_token_from(account)}
    )
    assert api.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_the_command_line_makes_a_token(app: Flask, world: dict[str, Any]) -> None:
    email = world["coordinator"].email
    result = app.test_cli_runner().invoke(
        args=["tokens", "create", email, "--name", "Nightly", "--scope", "write", "--expires", "7"]
    )
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip().splitlines()[-1]
    me = app.test_client().get("/api/v1/me", headers=bearer(secret)).get_json()
    assert me == {**me, "name": "Nightly", "scope": "write", "role": "coordinator"}


def test_app_servers_sharing_redis_share_each_tokens_budget(
    test_config: dict[str, Any],
    connection: Any,
    instance_path: Any,
    world: dict[str, Any],
    token_for: Callable[..., str],
) -> None:
    from tests.queues import redis_url

    settings = {**test_config, "API_RATE_LIMIT": "3 per minute", "REDIS_URL": redis_url()}
    servers = [create_app(settings), create_app(settings)]
    for server in servers:
        state(server).sessions.configure(bind=connection, join_transaction_mode="create_savepoint")
    secret = token_for(world["volunteer"])
    statuses = [
        servers[n % 2].test_client().get("/api/v1/me", headers=bearer(secret)).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    for server in servers:
        state(server).engine.dispose()


def test_what_is_wrong_with_each_field_is_said_in_french_too(
    client: FlaskClient, db: Session, world: dict[str, Any], token_for: Callable[..., str]
) -> None:
    world["volunteer"].language = "fr"
    db.commit()
    secret = token_for(world["volunteer"])
    refused = client.post(
        "/api/v1/interactions",
        json={"kind": "chat", "occurred_on": "hier", "summary": "x" * 10_001},
        headers=bearer(secret),
    ).get_json()
    assert refused["errors"] == {
        "kind": [refused["errors"]["kind"][0]],
        "occurred_on": ["Pas une date (AAAA-MM-JJ)."],
        "summary": ["Au plus 10000 caractères."],
    }
    assert refused["errors"]["kind"][0].startswith("Doit être parmi")
    assert refused["detail"].startswith("Des champs manquent")


def test_with_redis_away_the_api_still_answers(
    test_config: dict[str, Any],
    connection: Any,
    instance_path: Any,
    world: dict[str, Any],
    token_for: Callable[..., str],
) -> None:
    from tests.mailserver import free_port

    app = create_app({**test_config, "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"})
    state(app).sessions.configure(bind=connection, join_transaction_mode="create_savepoint")
    secret = token_for(world["volunteer"])
    assert app.test_client().get("/api/v1/me", headers=bearer(secret)).status_code == 200
    state(app).engine.dispose()
