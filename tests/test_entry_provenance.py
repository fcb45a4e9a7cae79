"""What Hilltrack logged by itself says so: a letter the worker sent reads "sent by e-mail, at the
request of" its coordinator; mail that came back reads "logged from the e-mail that came back"
with a link; only a real person's removed account reads "a former user"."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tests.letters import LetterCampaign, Replied, by_official, sent_letters
from tracker import clock, create_app
from tracker.models import Channel, InteractionKind, Letter, User, UserRole
from tracker.operations.interactions import record_interaction

FRENCH = {"Accept-Language": "fr-CA,fr;q=0.9"}
TAGS = re.compile(r"<[^>]+>")


def text_of(client: FlaskClient, path: str, **headers: str) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    return " ".join(unescape(TAGS.sub(" ", response.get_data(as_text=True))).split())


@pytest.fixture
def sent(app: Flask, db: Session, make_user: Any) -> tuple[LetterCampaign, dict[str, Letter]]:
    coordinator = make_user(UserRole.COORDINATOR, name="Ana Lafleur")
    letter, letters = sent_letters(app, db, coordinator)
    return letter, by_official(letters)


def test_a_letter_the_worker_sent_reads_sent_by_email_at_the_coordinators_request(
    client: FlaskClient, sent: Any, signed_in: Callable[[UserRole], User]
) -> None:
    letter, letters = sent
    joly = letters["Mélanie Joly"].recipient
    signed_in(UserRole.VOLUNTEER)
    for path in (f"/officials/{joly.official_id}", f"/campaigns/{letter.campaign.id}"):
        assert "sent by e-mail, at the request of Ana Lafleur" in text_of(client, path)
        assert "a former user" not in text_of(client, path)
        french = text_of(client, path, **FRENCH)
        assert "envoyé par courriel, à la demande de Ana Lafleur" in french
        assert "un ancien utilisateur" not in french


def test_a_reply_logged_from_mail_says_so_with_a_link_on_every_page_in_both_languages(
    app: Flask, client: FlaskClient, joly_replied: Replied, signed_in: Callable[[UserRole], User]
) -> None:
    letter, joly, received = joly_replied.letter, joly_replied.joly, joly_replied.received
    link = f'<a href="/mail/{received.id}">'
    signed_in(UserRole.ADMIN)
    pages = [
        f"/officials/{joly.recipient.official_id}",
        f"/campaigns/{letter.campaign.id}",
        "/reports/",
        "/admin/audit/?action=interaction.create",
    ]
    for path in pages:
        english = text_of(client, path)
        assert "logged from the e-mail that came back" in english, path
        assert "a former user" not in english, path
        french = text_of(client, path, **FRENCH)
        assert "consigné à partir du courriel reçu" in french, path
        assert "un ancien utilisateur" not in french, path
    for path in pages[:2] + pages[3:]:
        assert link in client.get(path).get_data(as_text=True), path
    rows = list(csv.DictReader(io.StringIO(client.get("/exports/interactions.csv").text)))
    by_what = {row["what"]: row for row in rows}
    assert by_what["reply_received"]["logged from"] == "mail"  # no person recorded it
    assert by_what["sent"]["logged from"] == "sending"
    assert by_what["sent"]["recorded by"] == "Ana Lafleur"  # at whose request
    audit = text_of(client, pages[3])
    assert "Hilltrack, from the mail that came back" in audit
    assert "Hilltrack, at the request of Ana Lafleur" in audit
    assert "command line" not in audit


def test_a_removed_persons_entry_still_reads_by_a_former_user(
    client: FlaskClient,
    db: Session,
    sent: Any,
    make_user: Callable[..., User],
    signed_in: Callable[[UserRole], User],
) -> None:
    _, letters = sent
    joly = letters["Mélanie Joly"].recipient
    gone = make_user(UserRole.VOLUNTEER, name="Léa Partie")
    entry, _ = record_interaction(
        db,
        joly,
        {"kind": InteractionKind.CALL, "occurred_on": clock.today(), "channel": Channel.PHONE},
        actor=gone,
        audited=False,
    )
    assert entry.recorded_by_id == gone.id
    db.commit()
    db.execute(delete(User).where(User.id == gone.id))
    db.commit()
    db.expire_all()
    assert db.scalars(select(User).where(User.id == gone.id)).first() is None
    signed_in(UserRole.VOLUNTEER)
    timeline = text_of(client, f"/officials/{joly.official_id}")
    assert "recorded by a former user" in timeline
    assert "consigné par un ancien utilisateur" in text_of(
        client, f"/officials/{joly.official_id}", **FRENCH
    )


def test_entries_logged_before_the_upgrade_by_the_worker_or_from_mail_say_so_after_it(
    instance_path: object,
) -> None:
    app = create_app({"PASSWORD_HASHER": "fast-insecure-for-tests"})
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade", "--revision", "0013"]).exit_code == 0
    engine = sa.create_engine(app.config["DATABASE_URL"])
    stamp = "2026-01-10 12:00:00.000000"
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO official (id, given_name, family_name, name_key, offices, "
                "edited_fields, created_at, updated_at, version) VALUES "
                "(1, 'Mélanie', 'Joly', 'melanie joly', '[]', '[]', :at, :at, 1)"
            ),
            {"at": stamp},
        )
        for n, key in enumerate(["letter:7:sent", "inbound:3", "sheet:ab:1:2", "form-key", None]):
            conn.execute(
                sa.text(
                    "INSERT INTO interaction (id, official_id, kind, occurred_on, "
                    "submission_key, created_at, updated_at, version) VALUES "
                    "(:id, 1, 'sent', '2026-01-10', :key, :at, :at, 1)"
                ),
                {"id": n + 1, "key": key, "at": stamp},
            )
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with engine.connect() as conn:
        found = conn.execute(sa.text("SELECT logged_from FROM interaction ORDER BY id")).scalars()
        assert list(found) == ["sending", "mail", "file", "person", "person"]
    engine.dispose()
