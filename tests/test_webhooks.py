"""Webhooks: a logged fact reaches a subscribed receiver, signed, from the worker; a failing
receiver is tried again with growing pauses, and paused after a day; nothing goes to a private
address unless the operator allows it."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import post_form, sign_in
from tests.mailserver import free_port
from tests.queues import ENGINES
from tests.test_status_facts import a_recipient
from tests.webhooks import receiver, verify
from tests.workers import settings, wait_until, worker_site
from tracker import clock
from tracker.jobs.queue import run_job
from tracker.models import (
    DeliveryState,
    InteractionKind,
    Job,
    Recipient,
    ReplyClass,
    User,
    UserRole,
    WebhookDelivery,
    WebhookSubscription,
)
from tracker.operations.interactions import record_interaction
from tracker.operations.webhooks import create_subscription
from tracker.rules.webhook_targets import Refused, check_url
from tracker.web.db import state

FRENCH = {"Accept-Language": "fr-CA,fr;q=0.9"}
START = dt.datetime(2026, 11, 2, 14, 0, tzinfo=dt.UTC)
SECRET = re.compile(r"whsec_[0-9a-f]{48}")


def subscribe(client: FlaskClient, url: str, *events: str, **kw: Any) -> Any:
    data = {"url": url, "events": list(events or ["interaction.logged"])}
    return post_form(client, "/webhooks/", data, token_page="/webhooks/", **kw)


def log_reply(app: Flask, recipient_id: int) -> None:
    """A reply logged and committed as a page or the mail poller does, in the app's context."""
    with app.app_context(), state(app).sessions() as session:
        recipient = session.get_one(Recipient, recipient_id)
        values = {
            "kind": InteractionKind.REPLY_RECEIVED,
            "occurred_on": clock.today(),
            "reply_class": ReplyClass.SUBSTANTIVE,
        }
        record_interaction(session, recipient, values, actor=None)
        session.commit()


def deliveries(db: Session) -> list[WebhookDelivery]:
    db.expire_all()
    return list(db.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


@pytest.fixture
def loopback_allowed(app: Flask) -> None:
    """The test receivers listen on loopback, which only an operator's setting allows."""
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    """The coordinator who owns the subscription."""
    return make_user(UserRole.COORDINATOR)


@pytest.fixture
def recipient(db: Session) -> Recipient:
    """A campaign's recipient to log replies on."""
    return a_recipient(db)


@pytest.fixture
def coordinator(client: FlaskClient, make_user: Callable[..., User]) -> User:
    user = make_user(UserRole.COORDINATOR)
    sign_in(client, user)
    return user


@pytest.mark.usefixtures("loopback_allowed")
def test_a_logged_reply_reaches_the_receiver_signed_with_the_secret_shown_once(
    app: Flask, client: FlaskClient, db: Session, coordinator: User, recipient: Recipient
) -> None:
    with receiver() as hook:
        page = subscribe(
            client,
            hook.url,
            "interaction.logged",
            "recipient.status_changed",
            follow_redirects=True,
        ).get_data(as_text=True)
        secret = SECRET.search(page).group(0)  # type: ignore[union-attr]
        subscription_page = client.get(f"/webhooks/{deliveries_owner(db)}").get_data(as_text=True)
        assert secret not in subscription_page, "the secret is shown once only"
        log_reply(app, recipient.id)
        sent = list(hook.received)
    assert [json.loads(r.body)["type"] for r in sent] == [
        "interaction.logged",
        "recipient.status_changed",
    ]
    for request in sent:
        assert verify(secret, request.headers["Hilltrack-Signature"], request.body)
        assert not verify("whsec_another", request.headers["Hilltrack-Signature"], request.body)
    logged, moved = (json.loads(r.body) for r in sent)
    assert logged["data"]["recipient_id"] == recipient.id
    assert logged["data"]["kind"] == "reply_received"
    assert logged["data"]["reply_class"] == "substantive"
    assert dt.datetime.fromisoformat(logged["occurred_at"]).tzinfo is not None
    assert moved["data"] | {} == moved["data"] and moved["data"]["status"] == "replied"
    assert moved["data"]["previous_status"] == "not_sent"
    log = client.get(f"/webhooks/{deliveries_owner(db)}").get_data(as_text=True)
    assert log.count('data-state="delivered"') == 2 and "HTTP 200" in log


def readme_recipe() -> Callable[..., bool]:
    """The README's few lines of Python that verify a signature, run as a receiver would."""
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(import hashlib.*?def is_from_hilltrack.*?)```", readme, re.S)
    assert code, "the README shows how to verify a signature"
    namespace: dict[str, Any] = {}
    exec(code.group(1), namespace)  # noqa: S102  (the README's own example)
    recipe: Callable[..., bool] = namespace["is_from_hilltrack"]
    return recipe


@pytest.mark.usefixtures("loopback_allowed")
def test_the_readme_recipe_verifies_what_the_worker_signs(
    app: Flask, db: Session, owner: User, recipient: Recipient
) -> None:
    with receiver() as hook:
        secret = subscribed(db, owner, hook.url).secret
        log_reply(app, recipient.id)
    (request,) = hook.received
    is_from_hilltrack = readme_recipe()
    header = request.headers["Hilltrack-Signature"]
    assert is_from_hilltrack(secret, header, request.body.encode())
    assert not is_from_hilltrack(secret, header, request.body.encode() + b" ")
    assert not is_from_hilltrack("whsec_guess", header, request.body.encode())


def deliveries_owner(db: Session) -> int:
    db.expire_all()
    return db.scalars(select(WebhookSubscription.id)).one()


def subscribed(db: Session, owner: User, url: str) -> WebhookSubscription:
    subscription = create_subscription(
        db, url, ["interaction.logged"], actor=owner, allow_private=True
    )
    db.commit()
    return subscription


@pytest.mark.usefixtures("loopback_allowed")
def test_a_receiver_that_answers_500_is_tried_again_after_a_growing_pause(
    app: Flask, db: Session, owner: User, recipient: Recipient
) -> None:
    with receiver(500, 500) as hook, time_machine.travel(START, tick=False) as clock:
        subscribed(db, owner, hook.url)
        log_reply(app, recipient.id)
        (delivery,) = deliveries(db)
        assert (delivery.state, delivery.status_code, delivery.attempts) == (
            DeliveryState.PENDING,
            500,
            1,
        )
        assert delivery.next_attempt_at == START + dt.timedelta(seconds=30)
        job_id = delivery.job_id
        assert job_id is not None
        clock.shift(dt.timedelta(seconds=10))
        run_job(app, job_id)  # the worker, woken early: nothing is due yet
        assert len(hook.received) == 1
        clock.shift(dt.timedelta(seconds=21))
        run_job(app, job_id)
        assert len(hook.received) == 2
        (delivery,) = deliveries(db)
        assert delivery.next_attempt_at == START + dt.timedelta(seconds=31 + 60)
        clock.shift(dt.timedelta(seconds=60))
        run_job(app, job_id)
    assert len(hook.received) == 3
    assert len({r.body for r in hook.received}) == 1, "every attempt sends the same event"
    (delivery,) = deliveries(db)
    assert (delivery.state, delivery.status_code, delivery.attempts) == (
        DeliveryState.DELIVERED,
        200,
        3,
    )
    assert db.get_one(Job, job_id).state.value == "done"


@pytest.mark.usefixtures("loopback_allowed")
def test_a_subscription_failing_for_a_day_is_paused_and_its_owner_told(
    app: Flask, client: FlaskClient, db: Session, owner: User, recipient: Recipient
) -> None:
    with receiver(*[500] * 100) as hook, time_machine.travel(START, tick=False) as clock:
        subscribed(db, owner, hook.url)
        log_reply(app, recipient.id)
        (delivery,) = deliveries(db)
        job_id = delivery.job_id
        assert job_id is not None
        for _hour in range(24):
            clock.shift(dt.timedelta(hours=1))
            run_job(app, job_id)
        tries = len(hook.received)
        log_reply(app, recipient.id)  # paused: this one is not even queued
        clock.shift(dt.timedelta(hours=2))
        run_job(app, job_id)
    assert len(hook.received) == tries
    subscription = db.scalars(select(WebhookSubscription)).one()
    db.refresh(subscription)
    assert subscription.is_paused_for_failing
    assert [d.state for d in deliveries(db)] == [DeliveryState.ABANDONED]
    sign_in(client, owner)
    home = client.get("/").get_data(as_text=True)
    assert "Your webhook was paused after a day of failed deliveries." in home
    assert hook.url in home
    french = client.get("/", headers=FRENCH).get_data(as_text=True)
    assert "Votre webhook a été mis en pause" in french


@pytest.mark.parametrize("url", ["http://169.254.169.254/", "http://127.0.0.1/"])
@pytest.mark.parametrize(
    ("headers", "words"),
    [({}, "private, local or reserved address"), (FRENCH, "adresse privée, locale ou réservée")],
)
def test_a_private_address_is_refused_with_words_a_person_can_act_on(
    client: FlaskClient, db: Session, coordinator: User, url: str, headers: Any, words: str
) -> None:
    response = subscribe(client, url, headers=headers)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert words in page and "TRACKER_WEBHOOK_ALLOW_PRIVATE=true" in page
    assert db.scalar(select(func.count()).select_from(WebhookSubscription)) == 0


def fake_dns(*addresses: str) -> Callable[[str, int], list[str]]:
    return lambda host, port: list(addresses)


@pytest.mark.parametrize(
    "addresses",
    [
        ["10.1.2.3"],
        ["192.168.0.10"],
        ["93.184.216.34", "127.0.0.1"],  # one bad answer among good ones
        ["::1"],
        ["::ffff:169.254.169.254"],
        ["fe80::1"],
        ["224.0.0.1"],
        ["100.64.0.1"],
        ["0.0.0.0"],  # noqa: S104  (an address refused, not one bound)
    ],
)
def test_every_address_a_name_resolves_to_must_be_public(addresses: list[str]) -> None:
    with pytest.raises(Refused):
        check_url("https://hooks.example.org/x", allow_private=False, resolver=fake_dns(*addresses))
    allowed = check_url(
        "https://hooks.example.org/x", allow_private=True, resolver=fake_dns(*addresses)
    )
    assert allowed.host == "hooks.example.org"


def test_a_public_address_is_taken_and_connected_to_by_its_checked_address() -> None:
    target = check_url(
        "https://hooks.example.org:8443/in?x=1",
        allow_private=False,
        resolver=fake_dns("93.184.216.34"),
    )
    assert (target.address, target.port, target.path) == ("93.184.216.34", 8443, "/in?x=1")
    for refused in ("ftp://hooks.example.org/", "https://user:pw@hooks.example.org/", "hooks"):
        with pytest.raises(Refused):
            check_url(refused, allow_private=True, resolver=fake_dns("93.184.216.34"))


def test_a_name_that_now_leads_to_a_private_address_is_not_sent_to(
    app: Flask, db: Session, owner: User, recipient: Recipient
) -> None:
    """Checked again at delivery time (DNS rebinding): allowed when subscribed, refused now."""
    with receiver() as hook:
        subscribed(db, owner, hook.url)
        log_reply(app, recipient.id)
    assert hook.received == []
    (delivery,) = deliveries(db)
    assert delivery.status_code is None and "private, local or reserved" in (delivery.error or "")


@pytest.mark.usefixtures("loopback_allowed")
def test_a_write_that_is_rolled_back_sends_nothing(
    app: Flask, db: Session, owner: User, recipient: Recipient
) -> None:
    with receiver() as hook:
        subscribed(db, owner, hook.url)
        with app.app_context(), state(app).sessions() as session:
            values = {"kind": InteractionKind.NOTE, "occurred_on": clock.today()}
            record_interaction(
                session, session.get_one(Recipient, recipient.id), values, actor=None
            )
            session.rollback()
    assert hook.received == []
    assert deliveries(db) == []


@pytest.mark.usefixtures("loopback_allowed")
def test_a_redirect_is_not_followed(
    app: Flask, client: FlaskClient, db: Session, coordinator: User, recipient: Recipient
) -> None:
    with receiver(302) as hook, receiver() as elsewhere:
        hook.redirect_to = elsewhere.url
        subscribe(client, hook.url)
        log_reply(app, recipient.id)
    assert elsewhere.received == []
    (delivery,) = deliveries(db)
    assert (delivery.state, delivery.status_code) == (DeliveryState.PENDING, 302)
    excerpt = delivery.response_excerpt or ""
    assert excerpt.startswith("answered 302") and "\x1b" not in excerpt and "\n" not in excerpt
    page = client.get(f"/webhooks/{delivery.subscription_id}").get_data(as_text=True)
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold</b>" not in page


def test_a_receiver_slower_than_the_timeout_is_a_failure_said_in_words(
    app: Flask, db: Session, owner: User, recipient: Recipient
) -> None:
    app.config.update(WEBHOOK_ALLOW_PRIVATE=True, WEBHOOK_TIMEOUT=0.3)
    with receiver() as hook:
        hook.delay = 1.0
        subscribed(db, owner, hook.url)
        log_reply(app, recipient.id)
    (delivery,) = deliveries(db)
    assert (delivery.state, delivery.status_code) == (DeliveryState.PENDING, None)
    assert delivery.error == "No answer within 0.3 seconds."


@pytest.mark.usefixtures("loopback_allowed")
def test_a_test_event_pause_and_resume_from_the_page(
    app: Flask, client: FlaskClient, db: Session, coordinator: User, recipient: Recipient
) -> None:
    with receiver() as hook:
        subscribe(client, hook.url)
        sid = deliveries_owner(db)
        post_form(client, f"/webhooks/{sid}/test", {}, token_page=f"/webhooks/{sid}")
        assert [json.loads(r.body)["type"] for r in hook.received] == ["test"]
        post_form(client, f"/webhooks/{sid}/pause", {}, token_page=f"/webhooks/{sid}")
        log_reply(app, recipient.id)
        assert len(hook.received) == 1
        post_form(client, f"/webhooks/{sid}/resume", {}, token_page=f"/webhooks/{sid}")
        log_reply(app, recipient.id)
        assert len(hook.received) == 2
        post_form(client, f"/webhooks/{sid}/delete", {}, token_page=f"/webhooks/{sid}")
    assert db.scalar(select(func.count()).select_from(WebhookSubscription)) == 0


def test_volunteers_do_not_manage_webhooks(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    sign_in(client, make_user(UserRole.VOLUNTEER))
    assert client.get("/webhooks/").status_code == 403


@pytest.mark.parametrize("engine", ENGINES)
def test_the_worker_delivers_a_logged_reply_within_seconds(engine: str, tmp_path: Any) -> None:
    values = settings(
        engine, tmp_path, free_port(), WEBHOOK_ALLOW_PRIVATE=True, QUEUE_RESCAN_SECONDS=1
    )
    site = worker_site(values, tmp_path)
    with receiver() as hook, site.worker():
        with site.app.app_context(), site.session() as session:
            subscription = create_subscription(
                session,
                hook.url,
                ["interaction.logged"],
                actor=site.coordinator(session),
                allow_private=True,
            )
            secret = subscription.secret
            session.commit()
            recipient_id = session.scalars(select(Recipient.id).limit(1)).one()
        log_reply(site.app, recipient_id)
        wait_until(lambda: hook.received, "the receiver to hear of the reply", timeout=30)
    (request,) = hook.received
    assert verify(secret, request.headers["Hilltrack-Signature"], request.body)
    assert json.loads(request.body)["data"]["recipient_id"] == recipient_id


@pytest.mark.usefixtures("loopback_allowed")
def test_the_delivery_log_forgets_finished_deliveries_after_thirty_days(
    app: Flask, db: Session, owner: User, recipient: Recipient
) -> None:
    with receiver() as hook, time_machine.travel(START, tick=False) as clock:
        subscribed(db, owner, hook.url)
        log_reply(app, recipient.id)
        clock.shift(dt.timedelta(days=29))
        log_reply(app, recipient.id)
        assert len(deliveries(db)) == 2
        clock.shift(dt.timedelta(days=2))
        log_reply(app, recipient.id)
    assert len(hook.received) == 3
    assert [d.created_at for d in deliveries(db)] == [
        START + dt.timedelta(days=29),
        START + dt.timedelta(days=31),
    ]


def events_written(db: Session) -> dict[str, list[dict[str, Any]]]:
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for delivery in deliveries(db):
        body = json.loads(delivery.body)
        by_kind.setdefault(body["type"], []).append(body["data"])
    return by_kind


def listen(db: Session, owner: User, *kinds: str) -> None:
    """A subscription to ``kinds`` at an address the app will not send to (not allowed)."""
    create_subscription(db, "http://127.0.0.1:9/", list(kinds), actor=owner, allow_private=True)
    db.commit()


def test_letters_sent_and_messages_in_triage_each_write_their_event(
    app: Flask, db: Session, owner: User
) -> None:
    """Each fact writes its event where it is written, with the ids a receiver keeps."""
    from tests.letters import sent_letters, stranger_writes

    listen(db, owner, "letter.sent", "message.waiting_in_triage")
    _, letters = sent_letters(app, db, owner)
    stranger_writes(app)
    by_kind = events_written(db)
    assert sorted(by_kind) == ["letter.sent", "message.waiting_in_triage"]
    assert sorted(d["letter_id"] for d in by_kind["letter.sent"]) == sorted(x.id for x in letters)
    assert all(d["interaction_id"] for d in by_kind["letter.sent"])
    (waiting,) = by_kind["message.waiting_in_triage"]
    assert waiting["from_address"] == "aide@office.example"


def test_an_outcome_found_writes_its_event_naming_the_official(
    app: Flask, db: Session, tmp_path: Path, owner: User
) -> None:
    from tests.outcomes import demo_with_aboultaif, hansard_folder
    from tracker.operations.outcomes import fetch_outcomes

    listen(db, owner, "outcome.found")
    _, recipient = demo_with_aboultaif(app, db)
    folder = hansard_folder(tmp_path / "house")
    fetch_outcomes(state(app).sessions, from_dir=folder, today=dt.date(2024, 11, 11))
    found = events_written(db)["outcome.found"]
    assert found and all(d["official_id"] == recipient.official_id for d in found)
    assert all(d["person_id"] == 89156 for d in found)


@pytest.mark.parametrize(
    ("headers", "words"),
    [
        ({}, "127.0.0.1 is a private, local or reserved address"),
        (FRENCH, "127.0.0.1 est une adresse privée, locale ou réservée"),
    ],
)
def test_an_address_typed_as_numbers_is_refused_without_saying_it_leads_to_itself(
    client: FlaskClient, db: Session, coordinator: User, headers: Any, words: str
) -> None:
    page = subscribe(client, "http://127.0.0.1/hook", headers=headers).get_data(as_text=True)
    assert words in page
    assert "leads to 127.0.0.1" not in page and "mène à 127.0.0.1" not in page
