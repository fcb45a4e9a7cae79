# ruff: noqa: E501
"""Taking in 10,000 messages that came back (replies by their letter's address, by thread,
out-of-office notices, bounces, and strangers' mail for triage), one transaction each, as
`hilltrack mail ingest` and `mail fetch` do; then hostile messages (the 65 KB quote bomb, a
5 MB References header...), each through a real `hilltrack mail ingest`. Writes its tables into
docs/performance.md. `--hostile` measures only the hostile messages."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from alembic import command
from flask import Flask
from sqlalchemy import insert, select

from bench.report import machine, write_section
from tests import mail_shapes as shapes
from tracker import clock, create_app
from tracker.cli import alembic_config
from tracker.jobs.mail import ingest
from tracker.mail.tokens import letter_message_id, letter_token
from tracker.models import (
    Campaign,
    CampaignStatus,
    InboundMessage,
    Letter,
    LetterState,
    Official,
    Recipient,
)
from tracker.web.db import state

LETTERS = 1_000
MESSAGES = 10_000
SECRET = "bench"  # noqa: S105  (the benchmark's own throwaway key)


def _app(folder: str) -> Flask:
    url = f"sqlite:///{folder}/mail.sqlite3"
    command.upgrade(alembic_config(url), "head")
    return create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET, "QUEUE_IMMEDIATE": True})


def _letters(app: Flask) -> list[tuple[str, str, str]]:
    """1,000 letters sent by e-mail: (token, message id, address) of each."""
    with state(app).sessions() as session:
        campaign = Campaign(title="Open letter", status=CampaignStatus.ACTIVE)
        session.add(campaign)
        session.flush()
        session.execute(
            insert(Official),
            [
                {
                    "given_name": f"G{n}",
                    "family_name": f"F{n}",
                    "name_key": f"g{n} f{n}",
                    "email": f"official{n}@parl.example",
                }
                for n in range(LETTERS)
            ],
        )
        officials = session.scalars(select(Official.id).order_by(Official.id)).all()
        session.execute(
            insert(Recipient),
            [
                {
                    "campaign_id": campaign.id,
                    "official_id": oid,
                    "position": n + 1,
                    "addressed_as": f"G{n} F{n}",
                    "salutation": "Dear G",
                }
                for n, oid in enumerate(officials)
            ],
        )
        recipients = session.scalars(select(Recipient.id).order_by(Recipient.id)).all()
        session.execute(
            insert(Letter),
            [
                {
                    "campaign_id": campaign.id,
                    "recipient_id": rid,
                    "state": LetterState.SENT,
                    "to_address": f"official{n}@parl.example",
                }
                for n, rid in enumerate(recipients)
            ],
        )
        rows = []
        for letter in session.scalars(select(Letter).order_by(Letter.id)):
            letter.token = letter_token(SECRET, letter.id)
            letter.message_id = letter_message_id(letter.token, "coalition.example")
            rows.append((letter.token, letter.message_id, letter.to_address))
        session.commit()
        return rows


def _messages(letters: list[tuple[str, str, str]]) -> list[bytes]:
    made = []
    for n in range(MESSAGES):
        token, message_id, address = letters[n % LETTERS]
        mid = f"<bench-{n}@parl.example>"
        kind = n % 20
        if kind < 8:
            raw = shapes.outlook_reply_en(address, f"replies+{token}@coalition.example", None, mid)
        elif kind < 12:
            raw = shapes.gmail_reply_fr(address, "letters@coalition.example", message_id, mid)
        elif kind < 15:
            raw = shapes.out_of_office(address, f"replies+{token}@coalition.example")
            raw = raw.replace(b"<ooo-0@parl.example>", mid.encode())
        elif kind < 17:
            raw = shapes.postfix_bounce(f"bounces+{token}@coalition.example", address, message_id)
            raw = raw.replace(
                b"20230912143000.B8A6D1A2F3@mail.coalition.example", mid[1:-1].encode()
            )
        else:
            raw = shapes.gmail_reply_en(
                f"someone{n}@else.example", "letters@coalition.example", None, mid
            )
        made.append(raw)
    return made


HOSTILE = {
    "For comparison: an ordinary reply": lambda n: shapes.gmail_reply_en(
        "someone@else.example", "letters@coalition.example", None, f"<plain-{n}@else.example>"
    ),
    "The 65 KB quote bomb (“On”, 65,000 spaces, “wrote:”)": lambda n: shapes.quote_bomb(
        mid=f"<bomb-{n}@evil.example>"
    ),
    "A 300 KB quote bomb": lambda n: shapes.quote_bomb(300_000, mid=f"<big-{n}@evil.example>"),
    "A 5 MB References header": lambda n: shapes.long_references(
        5 * 1024 * 1024, mid=f"<refs-{n}@evil.example>"
    ),
    "Date: year 9999 at -1200": lambda n: shapes.dated(
        shapes.quote_bomb(10, mid=f"<date-{n}@evil.example>"), "Fri, 31 Dec 9999 23:59:59 -1200"
    ),
}
HILLTRACK = str(Path(sys.executable).parent / "hilltrack")
RUNS = 3


def _command(folder: str, arguments: list[str]) -> float:
    """Seconds a real `hilltrack ...` takes, start-up included; it must exit 0."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(
        TRACKER_DATABASE_URL=f"sqlite:///{folder}/mail.sqlite3",
        TRACKER_INSTANCE_PATH=folder,
        TRACKER_SECRET_KEY=SECRET,
    )
    begin = time.perf_counter()
    subprocess.run([HILLTRACK, *arguments], env=env, check=True, capture_output=True)
    return time.perf_counter() - begin


def hostile(app: Flask, folder: str) -> str:
    """Each hostile message through `hilltrack mail ingest` (the median of RUNS, each a new
    message) and through jobs.mail.ingest in this process (reading and storing alone)."""
    rows = []
    for n, (what, make) in enumerate(HOSTILE.items()):
        commands, inside = [], []
        for run in range(RUNS):
            path = Path(folder) / f"hostile-{n}-{run}.eml"
            path.write_bytes(make(run))
            commands.append(_command(folder, ["mail", "ingest", str(path)]))
            begin = time.perf_counter()
            ingest(app, make(run + RUNS), source="bench")
            inside.append(time.perf_counter() - begin)
        rows.append(
            f"| {what} | {statistics.median(inside) * 1000:.0f} ms "
            f"| {statistics.median(commands):.2f} s |"
        )
    table = "\n".join(rows)
    return f"""## Hostile mail

Measured {clock.today()} on {machine()} (`bench/mail_bench.py`), on SQLite. Each message is
taken in {RUNS} times (a new Message-ID each time), median shown: in this process
(`jobs.mail.ingest`: read in full, then stored in one short transaction), and as a mail
server's pipe runs it, a real `hilltrack mail ingest FILE` (Python's start-up and imports are
most of its time: compare the ordinary reply). Each is stored and exits 0; before issue 22
the 65 KB quote bomb took 51 s under the write lock and the 5 MB References header 124 s.

| Message | Read and stored | `hilltrack mail ingest` |
|---|---|---|
{table}
"""


def main() -> None:
    folder = tempfile.mkdtemp(prefix="hilltrack-mail-bench-")
    if "--hostile" in sys.argv:
        os.environ["TRACKER_INSTANCE_PATH"] = folder
        body = hostile(_app(folder), folder)
        write_section("mail-hostile", body)
        print(body)
        return
    os.environ["TRACKER_INSTANCE_PATH"] = folder
    app = _app(folder)
    messages = _messages(_letters(app))
    times = []
    start = time.perf_counter()
    for raw in messages:
        begin = time.perf_counter()
        ingest(app, raw, source="bench")
        times.append(time.perf_counter() - begin)
    total = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with state(app).sessions() as session:
        outcome = Counter(
            f"{kind.value} {state_.value}"
            for kind, state_ in session.execute(select(InboundMessage.kind, InboundMessage.state))
        )
    if sum(outcome.values()) != MESSAGES:
        raise SystemExit(f"stored {sum(outcome.values())} of {MESSAGES}: the figures would mislead")
    mix = ", ".join(f"{n:,} {what}" for what, n in sorted(outcome.items()))
    times.sort()
    body = f"""## Taking in 10,000 messages

Measured {clock.today()} on {machine()} (`bench/mail_bench.py`), on SQLite: 10,000 messages
answering 1,000 letters, each taken in as `hilltrack mail ingest` does (parsed, its quoted
letter stripped, stored raw under the instance folder, placed and logged, one transaction):
{mix}.

| Messages | Total | Median per message | 95th percentile | Peak RSS |
|---|---|---|---|---|
| {MESSAGES:,} | {total:.1f} s | {statistics.median(times) * 1000:.1f} ms | {times[int(len(times) * 0.95)] * 1000:.1f} ms | {peak:.0f} MB |
"""
    write_section("mail", body)
    print(body)
    hostile_body = hostile(app, folder)
    write_section("mail-hostile", hostile_body)
    print(hostile_body)


if __name__ == "__main__":
    main()
