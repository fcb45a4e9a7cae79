"""Home reads its figures (officials in office, how fresh their data is, mail waiting for
triage, a paused webhook) in one statement; each is still the rule of its own module, which the
health check, the triage page and the webhooks page read: they say the same."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from itertools import count

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tracker.clock import utcnow
from tracker.models import (
    ImportRun,
    ImportStatus,
    InboundKind,
    InboundMessage,
    InboundState,
    Official,
    Role,
    RoleKind,
    User,
    UserRole,
    WebhookSubscription,
)
from tracker.queries.home import home_figures
from tracker.queries.inbound import triage_count
from tracker.queries.officials import data_as_of, official_count
from tracker.queries.webhooks import paused_for_failing

NOW = utcnow().replace(microsecond=0)
numbers = count(1)


def official_with_roles(db: Session, *ended: bool) -> None:
    n = next(numbers)
    official = Official(given_name="Ada", family_name=f"Member{n}", name_key=f"ada member{n}")
    db.add(official)
    db.flush()
    for k, is_ended in enumerate(ended):
        db.add(
            Role(
                official_id=official.id,
                kind=RoleKind.MP,
                title=f"Member {k}",
                end_on=dt.date(2025, 1, 1) if is_ended else None,
            )
        )


def message(db: Session, state: InboundState) -> None:
    n = next(numbers)
    db.add(
        InboundMessage(
            digest=f"home-figures-{n}",
            raw_path="raw/none.eml",
            size=100,
            source="ingest",
            kind=InboundKind.REPLY,
            state=state,
        )
    )


def webhook(db: Session, owner: User, paused: bool) -> None:
    db.add(
        WebhookSubscription(
            url=f"https://hooks.example.org/{next(numbers)}",
            events=["interaction.logged"],
            secret="s",
            owner_id=owner.id,
            is_paused_for_failing=paused,
        )
    )


def rules_say(db: Session, reader: User) -> tuple[int, dt.datetime | None, object, bool]:
    latest = data_as_of(db)
    return (
        official_count(db, current_only=True),
        (latest.as_of or latest.finished_at) if latest else None,
        triage_count(db),
        bool(paused_for_failing(db, reader.id)),
    )


def home_says(db: Session, reader: User) -> tuple[int, dt.datetime | None, object, bool]:
    figures = home_figures(db, reader.id)
    return (
        figures.officials_in_office,
        figures.data_as_of,
        figures.triage,
        figures.webhooks_paused,
    )


def test_home_figures_are_the_rules_own_from_an_empty_database_to_a_busy_one(
    db: Session, make_user: Callable[..., User]
) -> None:
    reader, other = make_user(), make_user()
    db.commit()
    assert home_says(db, reader) == rules_say(db, reader)
    assert home_says(db, reader)[1] is None  # no import yet
    official_with_roles(db, False, False)  # two current roles: one official
    official_with_roles(db, True)  # out of office
    official_with_roles(db, True, False)
    finished = NOW - dt.timedelta(days=2)
    db.add(ImportRun(source="ourcommons", status=ImportStatus.SUCCEEDED, finished_at=finished))
    db.add(
        ImportRun(
            source="ourcommons",
            status=ImportStatus.FAILED,  # not data: never "as of"
            finished_at=NOW,
        )
    )
    for state in (InboundState.TRIAGE, InboundState.TRIAGE, InboundState.PLACED):
        message(db, state)
    webhook(db, other, paused=True)  # someone else's
    webhook(db, reader, paused=False)
    db.commit()
    said = home_says(db, reader)
    assert said == rules_say(db, reader)
    assert said[0] == 2 and said[1] == finished and said[2].number == 2 and not said[3]
    db.add(
        ImportRun(
            source="represent",
            status=ImportStatus.PARTIAL,
            finished_at=NOW,
            as_of=NOW - dt.timedelta(hours=5),  # the feed's own date wins
        )
    )
    webhook(db, reader, paused=True)
    db.commit()
    said = home_says(db, reader)
    assert said == rules_say(db, reader)
    assert said[1] == NOW - dt.timedelta(hours=5) and said[3]


def test_home_shows_the_figures_and_only_its_readers_paused_webhook(
    client: FlaskClient,
    db: Session,
    signed_in: Callable[[UserRole], User],
    make_user: Callable[..., User],
) -> None:
    reader = signed_in(UserRole.VOLUNTEER)
    official_with_roles(db, False)
    message(db, InboundState.TRIAGE)
    webhook(db, make_user(), paused=True)
    db.commit()
    page = client.get("/").get_data(as_text=True)
    assert '<p class="figure">1</p>' in page
    assert "no import has run yet" in page
    assert "1 message</strong> waits for triage" in page
    assert "Your webhook was paused" not in page  # someone else's
    webhook(db, reader, paused=True)
    db.commit()
    assert "Your webhook was paused" in client.get("/").get_data(as_text=True)
