"""The assignee menu offers the person planning and the people who signed in most recently,
then the newest accounts that never signed in, up to its length, by name; it says when others
exist, and it costs one statement however the two groups fill it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tests.test_query_counts import counted
from tracker.models import User, UserRole
from tracker.queries import accounts

NOON = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def people(make_user: Callable[..., User]) -> dict[str, User]:
    """The person planning; three who signed in (Abe the latest, then Cleo, then Bea), two who
    never did (Ezra the newer account), and one deactivated."""
    me = make_user(UserRole.COORDINATOR, name="Mia Me", last_login_at=NOON)
    found = {"me": me}
    for hours, name in ((1, "Abe Early"), (2, "Bea Middle"), (3, "Cleo Late")):
        found[name] = make_user(name=name, last_login_at=NOON + dt.timedelta(hours=hours))
    for name in ("Dora Never", "Ezra Never"):
        found[name] = make_user(name=name)
    found["gone"] = make_user(name="Gus Gone", is_active=False, last_login_at=NOON)
    found["Abe Early"].last_login_at = NOON + dt.timedelta(hours=5)  # then Abe, last of all
    return found


def _menu(db: Session, connection: sa.Connection, me: User) -> tuple[list[str], bool, int]:
    planner = (me.id, me.name)  # as the request holds them
    with counted(connection) as statements:
        shown, more = accounts.assignee_choices(db, planner)
    return [name for _, name in shown], more, len(statements)


def test_with_room_for_everyone_the_menu_offers_every_active_person_by_name(
    db: Session, connection: sa.Connection, people: dict[str, User]
) -> None:
    db.commit()
    names, more, statements = _menu(db, connection, people["me"])
    assert names == [
        "Abe Early",
        "Bea Middle",
        "Cleo Late",
        "Dora Never",
        "Ezra Never",
        "Mia Me",
    ]
    assert (more, statements) == (False, 1)


@pytest.mark.parametrize(
    ("length", "offered", "more"),
    [
        # Me and the two latest to sign in; the third signed-in person is left for the e-mail.
        (3, ["Abe Early", "Cleo Late", "Mia Me"], True),
        # Me, the three who signed in, and the newer of the accounts that never did.
        (5, ["Abe Early", "Bea Middle", "Cleo Late", "Ezra Never", "Mia Me"], True),
    ],
)
def test_a_short_menu_keeps_the_latest_to_sign_in_then_the_newest_accounts(
    db: Session,
    connection: sa.Connection,
    people: dict[str, User],
    monkeypatch: pytest.MonkeyPatch,
    length: int,
    offered: list[str],
    more: bool,
) -> None:
    db.commit()
    monkeypatch.setattr(accounts, "ASSIGNEES_SHOWN", length)
    assert _menu(db, connection, people["me"]) == (offered, more, 1)
