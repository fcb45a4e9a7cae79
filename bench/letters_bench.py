"""Letters for 1,000 recipients: rendering each one (text, HTML and PDF), queueing them all,
and the worker handing them to a mail server on loopback (aiosmtpd, pacing off), per letter,
with peak memory. Writes its table into docs/performance.md."""

from __future__ import annotations

import datetime as dt
import os
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

from aiosmtpd.controller import Controller
from alembic import command
from flask import Flask
from sqlalchemy import insert, select

from bench.report import machine, write_section
from tests.mailserver import free_port
from tracker import clock, create_app
from tracker.cli import alembic_config
from tracker.formats.letter_pdf import letter_pdf
from tracker.formats.letters import letter_plain_text
from tracker.jobs.letters import deliver_letters, render_letter_html, start_sending
from tracker.jobs.queue import queue
from tracker.mail.smtp import Pacer
from tracker.models import (
    Campaign,
    CampaignStatus,
    Letter,
    LetterState,
    Official,
    Recipient,
    Signatory,
    SignatoryKind,
    User,
    UserRole,
)
from tracker.queries.letters import letter_text, recipients_with_officials, signatory_names
from tracker.rules.passwords import FAST_TEST_HASHER
from tracker.web.db import state

RECIPIENTS = 1_000
BODY = "\n\n".join(
    [
        "Nous vous écrivons au sujet de la situation humanitaire, « une crise » qui "
        "s\u2019aggrave.",
        "- Rouvrir le corridor\n- Financer l\u2019aide d\u2019urgence\n- Recevoir la coalition",
    ]
    * 4
)


class Counting:
    """An SMTP handler that accepts everything and keeps only a count."""

    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        return "250 OK"


def _app(folder: str, port: int) -> Flask:
    url = f"sqlite:///{folder}/letters.sqlite3"
    command.upgrade(alembic_config(url), "head")
    return create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "PASSWORD_HASHER": "fast-insecure-for-tests",
            "QUEUE_FILE": f"{folder}/queue.sqlite3",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": port,
            "MAIL_SECURITY": "none",
            "MAIL_FROM": "Coalition <letters@coalition.example>",
            "MAIL_REPLY_TO": "replies@coalition.example",
            "MAIL_BOUNCES_TO": "bounces@coalition.example",
        }
    )


def _dataset(app: Flask) -> tuple[int, int]:
    """A campaign to 1,000 officials, half writing in French, with 23 signatories."""
    with state(app).sessions() as session:
        user = User(
            email="coordinator@example.org",
            name="Coordinator",
            role=UserRole.COORDINATOR,
            password_hash=FAST_TEST_HASHER.hash("bench password"),
        )
        campaign = Campaign(title="Lettre ouverte", body=BODY, status=CampaignStatus.ACTIVE)
        session.add_all([user, campaign])
        session.flush()
        session.execute(
            insert(Official),
            [
                {
                    "given_name": f"Prénom{n}",
                    "family_name": f"Nom{n}",
                    "name_key": f"prenom{n} nom{n}",
                    "email": f"official{n}@parl.example",
                    "offices": [{"type": "legislature", "postal": "House of Commons\nOttawa ON"}],
                }
                for n in range(RECIPIENTS)
            ],
        )
        ids = session.scalars(select(Official.id).order_by(Official.id)).all()
        session.execute(
            insert(Recipient),
            [
                {
                    "campaign_id": campaign.id,
                    "official_id": oid,
                    "position": n + 1,
                    "addressed_as": f"L\u2019honorable Prénom{n} Nom{n}, ministre",
                    "role_title": "ministre",
                    "salutation": "Madame la Ministre" if n % 2 else "Dear Minister",
                    "language": "fr" if n % 2 else "en",
                }
                for n, oid in enumerate(ids)
            ],
        )
        session.execute(
            insert(Signatory),
            [
                {
                    "campaign_id": campaign.id,
                    "position": n + 1,
                    "kind": SignatoryKind.ORGANISATION,
                    "name": f"Organisation {n + 1}",
                    "is_lead": n == 0,
                }
                for n in range(23)
            ],
        )
        session.commit()
        return campaign.id, user.id


def _measured(action: Callable[[], object]) -> tuple[float, float]:
    """(seconds, the process's peak resident memory in MB so far) of one run of ``action``.
    Not tracemalloc: it slows Python down severalfold and would distort the times."""
    start = time.perf_counter()
    action()
    seconds = time.perf_counter() - start
    return seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    folder = tempfile.mkdtemp(prefix="hilltrack-letters-bench-")
    os.environ["TRACKER_INSTANCE_PATH"] = folder
    handler = Counting()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    app = _app(folder, port)
    campaign_id, user_id = _dataset(app)
    today = dt.date(2026, 11, 30)
    rows = []

    with app.app_context(), state(app).sessions() as session:
        campaign = session.get_one(Campaign, campaign_id)
        recipients = recipients_with_officials(session, campaign_id)
        signers = signatory_names(session, campaign_id)
        per_letter: list[float] = []

        def render_all() -> None:
            for recipient in recipients:
                start = time.perf_counter()
                text = letter_text(campaign, recipient, signers, today)
                letter_plain_text(text)
                render_letter_html(app, text)
                letter_pdf(text)
                per_letter.append(time.perf_counter() - start)

        seconds, peak = _measured(render_all)
        rows.append(("Render text, HTML and PDF", seconds, statistics.median(per_letter), peak))

        actor = session.get_one(User, user_id)
        seconds, peak = _measured(lambda: start_sending(app, session, campaign, actor))
        rows.append(("Queue (one row per letter, one job)", seconds, seconds / RECIPIENTS, peak))

    queue(app).huey.flush()  # the bench delivers in this process, below
    seconds, peak = _measured(
        lambda: deliver_letters(app, campaign_id, pacer=Pacer(10**9, sleep=lambda s: None))
    )
    rows.append(("Send to loopback SMTP, log each", seconds, seconds / RECIPIENTS, peak))
    controller.stop()
    with state(app).sessions() as session:
        sent = session.scalar(select(Letter.id).where(Letter.state != LetterState.SENT).limit(1))
    if sent is not None or handler.count != RECIPIENTS:
        raise SystemExit("not every letter was sent: the figures would mislead")

    table = "| Step, for 1,000 letters | Total | Per letter | Peak RSS |\n|---|---|---|---|\n"
    table += "\n".join(
        f"| {name} | {total:.1f} s | {each * 1000:.1f} ms | {peak:.0f} MB |"
        for name, total, each, peak in rows
    )
    body = f"""## Letters for 1,000 recipients

Measured {clock.today()} on {machine()} (`bench/letters_bench.py`): one campaign to 1,000
officials (half in French, 23 signatories, a body of eight paragraphs and lists), on SQLite.
Rendering is the text, HTML and PDF of each letter, as the worker builds them; queueing is the
coordinator's click; sending is the worker handing each message (with its PDF) to an aiosmtpd
server on loopback and logging it, one transaction per state change, with pacing off (in
production `TRACKER_MAIL_PER_MINUTE` sets the pace: 30 a minute is 33 minutes for 1,000).
Peak RSS is the process's peak resident size after each step, the app and the 1,000-row
dataset included; the batch holds one letter at a time.

{table}
"""
    write_section("letters", body)
    print(body)


if __name__ == "__main__":
    main()
