"""Letters sent by e-mail from Hilltrack, against a real SMTP server on loopback (aiosmtpd):
what arrives, what is logged, exactly once, and what a refusal or a bad setting does."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import post_form
from tests.letters import (
    NO_EMAIL,
    LetterCampaign,
    address_of,
    letter_campaign,
    mail_config,
    send_ticked,
)
from tests.mailserver import Recorder, free_port, running_server
from tracker.clock import utcnow
from tracker.jobs.letters import deliver_letters
from tracker.mail.settings import MailSettings
from tracker.mail.smtp import Pacer
from tracker.mail.tokens import letter_id_from_token, letter_token
from tracker.models import (
    AuditEvent,
    Channel,
    Interaction,
    InteractionKind,
    Job,
    JobState,
    Letter,
    LetterState,
    User,
    UserRole,
)
from tracker.operations.letters import queue_letters, release_interrupted_letters
from tracker.rules.status import RecipientStatus

SECRET = "test-secret-key-not-for-production"


@pytest.fixture
def smtp() -> Iterator[tuple[Recorder, int]]:
    recorder = Recorder()
    for _, port in running_server(recorder):
        yield recorder, port


@pytest.fixture
def test_config(test_config: dict[str, Any], smtp: tuple[Recorder, int]) -> dict[str, Any]:
    return {**test_config, **mail_config(smtp[1])}


@pytest.fixture
def letter(app: Flask, db: Session) -> LetterCampaign:
    return letter_campaign(app, db)


def send(client: FlaskClient, letter: LetterCampaign) -> Any:
    return send_ticked(client, letter.campaign.id, follow_redirects=True)


def queued(db: Session, letter: LetterCampaign, coordinator: User) -> list[Letter]:
    """The campaign's letters queued by ``coordinator``, as the Send button does."""
    return queue_letters(
        db, letter.campaign, actor=coordinator, secret=SECRET, domain="coalition.example"
    )


def letters(db: Session) -> list[Letter]:
    db.expire_all()
    return list(db.scalars(select(Letter).order_by(Letter.id)))


def test_each_recipient_with_an_address_gets_their_own_letter_logged_as_sent_by_email(
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    smtp: tuple[Recorder, int],
    signed_in: Callable[[UserRole], User],
) -> None:
    coordinator = signed_in(UserRole.COORDINATOR)
    page = client.get(f"/campaigns/{letter.campaign.id}/letters/").get_data(as_text=True)
    assert "<strong>14</strong> recipients will get the letter by e-mail now." in page
    assert "none: print the PDF" in page

    page = send(client, letter).get_data(as_text=True)
    assert "14 letters queued" in page

    recorder = smtp[0]
    assert len(recorder.received) == 14
    assert sorted(r.envelope_to[0] for r in recorder.received) == sorted(
        address_of(r) for r in letter.emailed
    )
    sent = db.scalars(select(Interaction).where(Interaction.kind == InteractionKind.SENT)).all()
    assert len(sent) == 14
    assert {i.channel for i in sent} == {Channel.EMAIL}
    assert {i.recorded_by_id for i in sent} == {coordinator.id}
    arrived = {r.message["Message-ID"] for r in recorder.received}
    assert {i.message_id for i in sent} == arrived
    db.expire_all()
    corbin = letter.by_name(NO_EMAIL)
    assert corbin.status == RecipientStatus.NOT_SENT
    assert letter.by_name("Justin Trudeau").status == RecipientStatus.SENT


def test_the_message_has_text_html_and_the_pdf_and_replies_and_bounces_name_the_letter(
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    smtp: tuple[Recorder, int],
    signed_in: Callable[[UserRole], User],
) -> None:
    signed_in(UserRole.COORDINATOR)
    send(client, letter)
    joly = letter.by_name("Mélanie Joly")
    (received,) = smtp[0].to(address_of(joly))
    message = received.message
    sent = db.scalar(select(Letter).where(Letter.recipient_id == joly.id))
    assert sent is not None and sent.token is not None

    assert message["To"] == f"Mélanie Joly <{address_of(joly)}>"
    assert message["From"] == "Coalition for Rights <letters@coalition.example>"
    assert message["Subject"] == letter.campaign.title_fr  # Joly reads French
    assert message["Message-ID"] == f"<hilltrack.{sent.token}@coalition.example>"
    assert message["Reply-To"] == f"replies+{sent.token}@coalition.example"
    assert received.envelope_from == f"bounces+{sent.token}@coalition.example"
    assert message["Content-Language"] == "fr-CA"
    assert letter_id_from_token(SECRET, sent.token) == sent.id

    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "Madame la Ministre," in text and "7 septembre 2023" in text
    assert "<em>corridor de Latchine</em>" in html and 'lang="fr"' in html
    (pdf,) = list(message.iter_attachments())
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_filename() == "03-melanie-joly.pdf"
    assert pdf.get_content().startswith(b"%PDF")


def test_a_letter_emailed_in_the_evening_bears_the_date_its_preview_showed(
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    smtp: tuple[Recorder, int],
    signed_in: Callable[[UserRole], User],
) -> None:
    """Undated, a letter is dated the day it goes: Ottawa's day, as every page showed it, not
    the server's UTC day (already tomorrow at 8:30 p.m.)."""
    letter.campaign.letter_on = None
    db.commit()
    trudeau = letter.by_name("Justin Trudeau")
    with time_machine.travel(dt.datetime(2026, 12, 7, 1, 30, tzinfo=dt.UTC)):
        signed_in(UserRole.COORDINATOR)
        preview = client.get(f"/campaigns/{letter.campaign.id}/letters/{trudeau.id}")
        assert "December 6, 2026" in preview.get_data(as_text=True)
        send(client, letter)
    (received,) = smtp[0].to(address_of(trudeau))
    text = received.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "December 6, 2026" in text
    assert "December 7, 2026" not in text


def test_sending_again_sends_nothing_to_anyone_already_sent_the_letter(
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    smtp: tuple[Recorder, int],
    signed_in: Callable[[UserRole], User],
) -> None:
    signed_in(UserRole.COORDINATOR)
    send(client, letter)
    page = send(client, letter).get_data(as_text=True)
    assert "Every recipient with an e-mail address already has this letter." in page
    assert len(smtp[0].received) == 14
    assert len(letters(db)) == 14


def test_a_recipient_logged_by_hand_as_emailed_is_not_sent_it_again(
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    smtp: tuple[Recorder, int],
    signed_in: Callable[[UserRole], User],
) -> None:
    from tracker.operations.interactions import record_interaction

    user = signed_in(UserRole.COORDINATOR)
    trudeau = letter.by_name("Justin Trudeau")
    record_interaction(
        db,
        trudeau,
        {"kind": "sent", "occurred_on": dt.date(2023, 9, 7), "channel": "email"},
        actor=user,
    )
    db.commit()
    send(client, letter)
    assert smtp[0].to(address_of(trudeau)) == []
    assert len(smtp[0].received) == 13


def test_a_4xx_answer_is_tried_again_later_and_then_sent_once(
    app: Flask,
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    smtp: tuple[Recorder, int],
    signed_in: Callable[[UserRole], User],
) -> None:
    signed_in(UserRole.COORDINATOR)
    trudeau = address_of(letter.by_name("Justin Trudeau"))
    smtp[0].rcpt_replies[trudeau] = ["451 4.7.1 Greylisted, try again later"]
    send(client, letter)
    deferred = next(x for x in letters(db) if x.to_address == trudeau)
    assert deferred.state is LetterState.QUEUED
    assert deferred.next_attempt_at is not None and deferred.next_attempt_at > utcnow()
    assert "451 4.7.1 Greylisted" in (deferred.error or "")
    job = db.get(Job, deferred.job_id)
    assert job is not None and job.state is JobState.WAITING  # back later, by itself

    deferred.next_attempt_at = utcnow() - dt.timedelta(seconds=1)  # the pause is over
    db.commit()
    assert deliver_letters(app, letter.campaign.id) == "1 sent"
    assert len(smtp[0].to(trudeau)) == 1
    assert next(x for x in letters(db) if x.to_address == trudeau).state is LetterState.SENT


def test_a_5xx_answer_marks_the_recipient_bounced_with_the_servers_words(
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    smtp: tuple[Recorder, int],
    signed_in: Callable[[UserRole], User],
) -> None:
    signed_in(UserRole.COORDINATOR)
    rae = letter.by_name("Rae")
    smtp[0].rcpt_replies[address_of(rae)] = ["550 5.1.1 <mailbox> does not exist here"]
    page = send(client, letter).get_data(as_text=True)
    assert "550 5.1.1 &lt;mailbox&gt; does not exist here" in page
    bounced = next(x for x in letters(db) if x.recipient_id == rae.id)
    assert bounced.state is LetterState.BOUNCED
    logged = db.scalars(select(Interaction).where(Interaction.recipient_id == rae.id)).one()
    assert logged.kind is InteractionKind.BOUNCED
    assert "550 5.1.1 <mailbox> does not exist here" in (logged.summary or "")
    db.expire_all()
    assert rae.status == RecipientStatus.BOUNCED and rae.last_bounced_on is not None
    assert len(smtp[0].received) == 13


def test_an_unreachable_server_fails_the_send_with_a_message_and_marks_no_one_sent(
    app: Flask,
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    signed_in: Callable[[UserRole], User],
) -> None:
    port = free_port()  # nothing listens there
    app.config["MAIL_PORT"] = port
    signed_in(UserRole.COORDINATOR)
    page = send(client, letter).get_data(as_text=True)
    expected = f"Could not reach the mail server 127.0.0.1:{port}"
    assert expected in page
    assert {x.state for x in letters(db)} == {LetterState.FAILED}
    job = db.scalars(select(Job)).one()
    assert job.state is JobState.FAILED and expected in (job.error or "")
    assert db.scalars(select(Interaction)).all() == []
    # Once the settings are right, the same letters go: failed ones are not "already sent".
    assert "<strong>14</strong> recipients will get" in client.get(
        f"/campaigns/{letter.campaign.id}/letters/"
    ).get_data(as_text=True)


def test_a_refused_login_says_so_and_never_shows_the_password(
    app: Flask,
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    signed_in: Callable[[UserRole], User],
    caplog: pytest.LogCaptureFixture,
) -> None:
    recorder = Recorder()
    for _, port in running_server(recorder, login=("letters", "the-right-one")):
        app.config.update(
            MAIL_PORT=port, MAIL_USERNAME="letters", MAIL_PASSWORD="hunter2-wrong-secret"
        )
        signed_in(UserRole.COORDINATOR)
        with caplog.at_level(logging.DEBUG):
            page = send(client, letter).get_data(as_text=True)
    assert "refused the login for letters" in page
    assert recorder.received == []
    job = db.scalars(select(Job)).one()
    everything = [page, caplog.text, job.error or ""]
    everything += [x.error or "" for x in letters(db)]
    everything += [str(e.after) for e in db.scalars(select(AuditEvent))]
    assert not any("hunter2" in text for text in everything)
    assert "hunter2" not in repr(MailSettings.from_config(app.config))


def test_only_coordinators_send_letters(
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    smtp: tuple[Recorder, int],
    signed_in: Callable[[UserRole], User],
) -> None:
    signed_in(UserRole.VOLUNTEER)
    response = post_form(client, f"/campaigns/{letter.campaign.id}/letters/send", {})
    assert response.status_code == 403
    assert smtp[0].received == [] and letters(db) == []


def test_the_audit_trail_says_who_sent_what_to_whom(
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    smtp: tuple[Recorder, int],
    signed_in: Callable[[UserRole], User],
) -> None:
    coordinator = signed_in(UserRole.COORDINATOR)
    send(client, letter)
    queued = db.scalars(select(AuditEvent).where(AuditEvent.action == "letters.queued")).one()
    assert queued.actor_id == coordinator.id
    assert {x["to"] for x in queued.after["letters"]} == {  # type: ignore[index]
        address_of(r) for r in letter.emailed
    }
    sent = db.scalars(select(AuditEvent).where(AuditEvent.action == "letter.sent")).all()
    assert len(sent) == 14 and {e.actor_id for e in sent} == {coordinator.id}


def test_the_address_set_on_the_recipient_wins_over_the_directory(
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    smtp: tuple[Recorder, int],
    signed_in: Callable[[UserRole], User],
) -> None:
    signed_in(UserRole.COORDINATOR)
    corbin = letter.by_name(NO_EMAIL)
    edit = f"/campaigns/{letter.campaign.id}/recipients/{corbin.id}"
    response = post_form(
        client,
        edit,
        {
            "addressed_as": corbin.addressed_as,
            "salutation": corbin.salutation,
            "email_override": "scheduler@international.example",
        },
        token_page=edit,
    )
    assert response.status_code == 302
    send(client, letter)
    assert len(smtp[0].to("scheduler@international.example")) == 1
    assert len(smtp[0].received) == 15


def test_letters_are_paced_evenly_to_the_configured_rate(
    app: Flask, db: Session, letter: LetterCampaign, smtp: tuple[Recorder, int], make_user: Any
) -> None:
    coordinator = make_user(UserRole.COORDINATOR)
    queued(db, letter, coordinator)
    db.commit()

    class FakeClock:
        now = 1000.0
        sleeps: list[float] = []

        def __call__(self) -> float:
            return self.now

        def sleep(self, seconds: float) -> None:
            self.sleeps.append(seconds)
            self.now += seconds

    clock = FakeClock()
    deliver_letters(app, letter.campaign.id, pacer=Pacer(30, clock=clock, sleep=clock.sleep))
    assert len(smtp[0].received) == 14
    assert clock.sleeps == [pytest.approx(2.0)] * 13  # 30 a minute: one every two seconds


def test_a_letter_whose_fate_is_unknown_is_never_sent_again_until_a_person_decides(
    app: Flask,
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    smtp: tuple[Recorder, int],
    signed_in: Callable[[UserRole], User],
) -> None:
    coordinator = signed_in(UserRole.COORDINATOR)
    sending = queued(db, letter, coordinator)
    cut_off = sending[0]
    cut_off.state = LetterState.SENDING  # a worker, since killed, had handed it over
    cut_off.claimed_by = "no-such-host-here:1"
    cut_off.claimed_at = utcnow() - dt.timedelta(hours=1)
    db.commit()
    assert release_interrupted_letters(db, utcnow()) == 1
    db.commit()
    deliver_letters(app, letter.campaign.id)
    assert smtp[0].to(cut_off.to_address) == []
    page = client.get(f"/campaigns/{letter.campaign.id}/letters/").get_data(as_text=True)
    assert "It was sent" in page and "It was not sent: send it" in page

    page_url = f"/campaigns/{letter.campaign.id}/letters/"
    post_form(client, f"{page_url}{cut_off.id}/send-again", {}, token_page=page_url)
    assert len(smtp[0].to(cut_off.to_address)) == 1
    assert next(x for x in letters(db) if x.id == cut_off.id).state is LetterState.SENT


def test_a_person_can_say_an_unknown_letter_went_and_it_is_logged_once(
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    smtp: tuple[Recorder, int],
    signed_in: Callable[[UserRole], User],
) -> None:
    coordinator = signed_in(UserRole.COORDINATOR)
    sending = queued(db, letter, coordinator)
    unknown = sending[0]
    unknown.state = LetterState.UNKNOWN
    unknown.claimed_at = utcnow()
    db.commit()
    page_url = f"/campaigns/{letter.campaign.id}/letters/"
    post_form(client, f"{page_url}{unknown.id}/was-sent", {}, token_page=page_url)
    post_form(client, f"{page_url}{unknown.id}/was-sent", {}, token_page=page_url)
    logged = db.scalars(
        select(Interaction).where(Interaction.recipient_id == unknown.recipient_id)
    ).all()
    assert len(logged) == 1 and logged[0].kind is InteractionKind.SENT
    assert smtp[0].received == []


def test_tokens_name_their_letter_and_cannot_be_forged() -> None:
    token = letter_token(SECRET, 42)
    assert letter_id_from_token(SECRET, token) == 42
    assert letter_id_from_token(SECRET, token.upper()) == 42
    assert letter_id_from_token("another installation", token) is None
    assert letter_id_from_token(SECRET, "43-" + token.split("-")[1]) is None
    assert letter_id_from_token(SECRET, "42") is None
    assert letter_id_from_token(SECRET, "") is None


def test_the_command_line_lists_a_dry_run_then_sends_and_waits_for_the_worker(
    app: Flask, db: Session, letter: LetterCampaign, smtp: tuple[Recorder, int], make_user: Any
) -> None:
    coordinator = make_user(UserRole.COORDINATOR)
    runner = app.test_cli_runner()
    base = [
        *["letters", "send", "--yes", "--campaign", str(letter.campaign.id)],
        *["--by", coordinator.email],
    ]
    dry = runner.invoke(args=[*base, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "send    Justin Trudeau <justin.trudeau@parl.example>" in dry.output
    assert f"print   {NO_EMAIL} (no e-mail address)" in dry.output
    assert "Dry run: 14 would be sent; nothing was." in dry.output
    assert smtp[0].received == [] and letters(db) == []

    sent = runner.invoke(args=[*base, "--wait"])
    assert sent.exit_code == 0, sent.output
    assert "Queued 14 letters" in sent.output
    assert "Letters of this batch: 14 sent." in sent.output
    assert len(smtp[0].received) == 14


def test_the_command_line_refuses_someone_who_is_not_a_coordinator(
    app: Flask, letter: LetterCampaign, make_user: Any
) -> None:
    volunteer = make_user(UserRole.VOLUNTEER)
    result = app.test_cli_runner().invoke(
        args=["letters", "send", "--campaign", str(letter.campaign.id), "--by", volunteer.email]
    )
    assert result.exit_code == 1
    assert "is not an active coordinator's account" in result.output


def test_without_plus_addressing_replies_go_to_the_sender_and_the_message_id_still_threads(
    app: Flask,
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    smtp: tuple[Recorder, int],
    signed_in: Callable[[UserRole], User],
) -> None:
    app.config.update(MAIL_REPLY_TO=None, MAIL_BOUNCES_TO=None)
    signed_in(UserRole.COORDINATOR)
    send(client, letter)
    received = smtp[0].received[0]
    assert received.message["Reply-To"] is None
    assert received.envelope_from == "letters@coalition.example"
    assert received.message["Message-ID"].endswith("@coalition.example>")
    logged = db.scalars(select(Interaction.message_id)).all()
    assert received.message["Message-ID"] in logged


def test_sending_without_mail_settings_says_what_to_set_and_queues_nothing(
    app: Flask,
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    signed_in: Callable[[UserRole], User],
) -> None:
    app.config.update(MAIL_SERVER=None)
    signed_in(UserRole.COORDINATOR)
    page = client.get(f"/campaigns/{letter.campaign.id}/letters/").get_data(as_text=True)
    assert "Sending is not set up: No mail server is set (TRACKER_MAIL_SERVER)." in page
    page = send(client, letter).get_data(as_text=True)
    assert "Letters cannot be sent yet." in page
    assert letters(db) == []


def test_a_french_coordinator_reads_the_failure_in_french(
    app: Flask,
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    signed_in: Callable[[UserRole], User],
) -> None:
    from html import unescape

    app.config["MAIL_PORT"] = free_port()
    signed_in(UserRole.COORDINATOR)
    french = {"Accept-Language": "fr-CA,fr"}
    html = send_ticked(client, letter.campaign.id, follow_redirects=True, headers=french).get_data(
        as_text=True
    )
    assert "Le serveur de courriel 127.0.0.1:" in unescape(html)
    assert "est injoignable" in unescape(html)


def test_letters_held_after_a_restore_show_both_buttons_in_english_and_in_french(
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    smtp: tuple[Recorder, int],
    signed_in: Callable[[UserRole], User],
) -> None:
    from html import unescape

    from tracker.operations.letters import hold_restored_letters

    coordinator = signed_in(UserRole.COORDINATOR)
    on_their_way = queued(db, letter, coordinator)
    db.commit()
    assert hold_restored_letters(db, utcnow()) == 14
    db.commit()
    page_url = f"/campaigns/{letter.campaign.id}/letters/"
    english = client.get(page_url).get_data(as_text=True)
    assert english.count("Restored from a backup: check whether it went, then say which.") == 14
    assert english.count("It was sent") == 14
    assert english.count("It was not sent: send it") == 14
    assert "Nobody is waiting for this letter by e-mail." in english  # a send skips them
    french = unescape(
        client.get(page_url, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    )
    assert french.count("Restaurée d'une sauvegarde\u00a0: vérifiez si elle est partie") == 14
    assert french.count("Elle est partie<") == 14
    assert french.count("Elle n'est pas partie\u00a0: l'envoyer") == 14

    post_form(client, f"{page_url}{on_their_way[0].id}/send-again", {}, token_page=page_url)
    post_form(client, f"{page_url}{on_their_way[1].id}/was-sent", {}, token_page=page_url)
    assert [r.envelope_to for r in smtp[0].received] == [[on_their_way[0].to_address]]
    assert {x.state for x in letters(db)[:2]} == {LetterState.SENT}


@pytest.mark.parametrize("address", ["andré@parl.example", "\uff41@parl.example"])
def test_an_address_beyond_ascii_is_refused_in_the_forms_unless_the_server_offers_smtputf8(
    app: Flask,
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    signed_in: Callable[[UserRole], User],
    address: str,
) -> None:
    signed_in(UserRole.COORDINATOR)
    corbin = letter.by_name(NO_EMAIL)
    recipient_page = f"/campaigns/{letter.campaign.id}/recipients/{corbin.id}"
    recipient = {"addressed_as": corbin.addressed_as, "salutation": corbin.salutation}
    official_page = f"/officials/{corbin.official.id}/edit"
    official = {"given_name": "Louise", "family_name": "Corbin"}

    def save(page: str, values: dict[str, str]) -> Any:
        return post_form(
            client, page, {**values, "email_override": address, "email": address}, token_page=page
        )

    for page, values in ((recipient_page, recipient), (official_page, official)):
        refused = save(page, values)
        assert refused.status_code == 200, page
        assert "letters beyond plain ASCII" in refused.get_data(as_text=True)
    db.expire_all()
    assert corbin.email_override is None and corbin.official.email is None

    app.config["MAIL_SMTPUTF8"] = True
    assert save(recipient_page, recipient).status_code == 302
    db.expire_all()
    assert corbin.email_override == address


def test_a_letter_the_server_cannot_take_for_its_address_fails_and_the_others_go(
    app: Flask,
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    signed_in: Callable[[UserRole], User],
) -> None:
    recorder = Recorder()
    for _, port in running_server(recorder, smtputf8=False):
        app.config["MAIL_PORT"] = port
        signed_in(UserRole.COORDINATOR)
        trudeau, rae = letter.by_name("Justin Trudeau"), letter.by_name("Rae")
        trudeau.official.email = "andré@parl.example"  # as a feed or an old record may have it
        rae.official.email = "\uff41@parl.example"
        db.commit()
        page = send(client, letter).get_data(as_text=True)
    assert len(recorder.received) == 12
    by_recipient = {x.recipient_id: x for x in letters(db)}
    for recipient in (trudeau, rae):
        failed = by_recipient[recipient.id]
        assert failed.state is LetterState.FAILED, "the server never had it: nothing to check"
        assert "does not offer SMTPUTF8" in (failed.error or "")
    assert "It was sent" not in page
    assert "does not offer SMTPUTF8" in page
    job = db.scalars(select(Job)).one()
    assert job.state is JobState.DONE and job.outcome == "2 failed, 12 sent"


def test_a_run_of_broken_connections_pauses_the_batch_instead_of_asking_fourteen_questions(
    app: Flask,
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    smtp: tuple[Recorder, int],
    signed_in: Callable[[UserRole], User],
) -> None:
    smtp[0].drop_at = set(range(1, 15))  # the server has each message, then hangs up
    signed_in(UserRole.COORDINATOR)
    page = send(client, letter).get_data(as_text=True)
    assert page.count("It was not sent: send it") == 3
    assert len(smtp[0].received) == 3
    states = Counter(x.state for x in letters(db))
    assert states == Counter({LetterState.UNKNOWN: 3, LetterState.QUEUED: 11})
    job = db.scalars(select(Job)).one()
    assert job.state is JobState.FAILED
    assert "Paused: the connection to 127.0.0.1" in (job.error or "")

    smtp[0].drop_at = set()  # the server is sound again: a retry sends the 11 waiting
    post_form(client, f"/queue/{job.id}/retry", {}, token_page="/queue/")
    assert len(smtp[0].received) == 14
    assert Counter(x.state for x in letters(db)) == Counter(
        {LetterState.UNKNOWN: 3, LetterState.SENT: 11}
    )


def test_the_command_line_exits_non_zero_when_the_letters_did_not_go(
    app: Flask, db: Session, letter: LetterCampaign, smtp: tuple[Recorder, int], make_user: Any
) -> None:
    smtp[0].drop_at = set(range(1, 15))
    coordinator = make_user(UserRole.COORDINATOR)
    base = [
        *["letters", "send", "--yes", "--campaign", str(letter.campaign.id)],
        *["--by", coordinator.email],
    ]
    result = app.test_cli_runner().invoke(args=[*base, "--wait"])
    assert result.exit_code == 1, result.output
    assert "Letters of this batch: 11 queued, 3 unknown." in result.output
    assert "Paused: the connection to 127.0.0.1" in result.output


def test_the_command_line_with_nothing_left_to_send_says_so_and_exits_0_for_cron(
    app: Flask, db: Session, letter: LetterCampaign, smtp: tuple[Recorder, int], make_user: Any
) -> None:
    coordinator = make_user(UserRole.COORDINATOR)
    base = [
        *["letters", "send", "--yes", "--campaign", str(letter.campaign.id)],
        *["--by", coordinator.email],
    ]
    runner = app.test_cli_runner()
    assert runner.invoke(args=[*base, "--wait"]).exit_code == 0
    again = runner.invoke(args=[*base, "--wait"])
    assert again.exit_code == 0, again.output
    assert "Everyone with an e-mail address already has this letter." in again.output
    assert len(smtp[0].received) == 14


def test_after_a_postgresql_restore_letters_hold_holds_the_letters_that_were_on_their_way(
    app: Flask, db: Session, letter: LetterCampaign, smtp: tuple[Recorder, int], make_user: Any
) -> None:
    queued(db, letter, make_user(UserRole.COORDINATOR))
    db.commit()
    result = app.test_cli_runner().invoke(args=["letters", "hold"])
    assert result.exit_code == 0, result.output
    assert "Held 14 letters" in result.output
    assert {x.state for x in letters(db)} == {LetterState.RESTORED}
    deliver_letters(app, letter.campaign.id)
    assert smtp[0].received == []


def test_the_text_part_is_plain_text_wrapped_at_72_with_lists_and_the_html_is_the_preview(
    client: FlaskClient,
    db: Session,
    letter: LetterCampaign,
    smtp: tuple[Recorder, int],
    signed_in: Callable[[UserRole], User],
) -> None:
    letter.campaign.body = (
        "The **coalition's members** have followed the *Lachin corridor* since 2020, and ask "
        "the Government of Canada to act on what it knows, with its partners, this autumn; "
        "see [the report](https://example.org/report).\n\n"
        "- Call for the corridor to reopen to the humanitarian convoys without delay or "
        "condition\n- Fund the relief effort\n\n"
        "1. First\n2. Second\n"
    )
    db.commit()
    signed_in(UserRole.COORDINATOR)
    send(client, letter)
    trudeau = letter.by_name("Justin Trudeau")
    (received,) = smtp[0].to(address_of(trudeau))
    text = received.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "**" not in text and "*Lachin" not in text and "](" not in text
    assert "The coalition's members have followed the Lachin corridor" in text
    assert "see the report (https://example.org/report)." in text
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 72, [line for line in lines if len(line) > 72]
    assert "- Call for the corridor to reopen to the humanitarian convoys without" in lines
    assert "  delay or condition" in lines  # a list item's second line, under its text
    assert "- Fund the relief effort" in lines and "1. First" in lines and "2. Second" in lines

    html = received.message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    preview = client.get(f"/campaigns/{letter.campaign.id}/letters/{trudeau.id}")

    def the_letter(page: str) -> str:
        """The letter's own markup: from its div to the end of its signatories."""
        page = page.replace("\r\n", "\n")
        start = page.index('<div class="letter"')
        return page[start : page.index("</div>", page.index("letter-signatories")) + 6]

    assert the_letter(html) == the_letter(preview.get_data(as_text=True))
