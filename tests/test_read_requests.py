"""A page that only reads ends its transaction with COMMIT, so that PostgreSQL keeps the page's
prepared statements between requests (psycopg forgets them all on a rollback); a page that
changed something by mistake is still rolled back, whatever way the change was made."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, current_app
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tracker import create_app
from tracker.models import User, UserRole
from tracker.web.db import get_session, state


def _changed_and_flushed(session: Session, user_id: int) -> None:
    session.get_one(User, user_id).name = "Changed"
    session.flush()


def _changed_not_flushed(session: Session, user_id: int) -> None:
    session.get_one(User, user_id).name = "Changed"


def _an_update_statement(session: Session, user_id: int) -> None:
    session.execute(sa.update(User).where(User.id == user_id).values(name="Changed"))


def _an_update_on_the_connection(session: Session, user_id: int) -> None:
    session.connection().execute(sa.update(User).where(User.id == user_id).values(name="Changed"))


def _plain_sql(session: Session, user_id: int) -> None:
    session.connection().execute(
        sa.text("UPDATE user_account SET name = 'Changed' WHERE id = :id"), {"id": user_id}
    )


def _a_statement_that_does_not_start_with_update(session: Session, user_id: int) -> None:
    session.connection().execute(
        sa.text(
            "WITH chosen AS (SELECT :id AS id) "
            "UPDATE user_account SET name = 'Changed' WHERE id IN (SELECT id FROM chosen)"
        ),
        {"id": user_id},
    )


def _a_comment_first(session: Session, user_id: int) -> None:
    session.connection().execute(
        sa.text("/* why */ UPDATE user_account SET name = 'Changed' WHERE id = :id"),
        {"id": user_id},
    )


def _from_another_app_context(session: Session, user_id: int) -> None:
    with current_app.app_context():
        _changed_and_flushed(session, user_id)


# What a page's view did to a user's row, by mistake, before answering 200.
MISTAKES: dict[str, Callable[[Session, int], None]] = {
    "changed and flushed": _changed_and_flushed,
    "changed, not flushed": _changed_not_flushed,
    "an UPDATE statement": _an_update_statement,
    "an UPDATE on the session's connection": _an_update_on_the_connection,
    "plain SQL": _plain_sql,
    "WITH ... UPDATE": _a_statement_that_does_not_start_with_update,
    "a comment first": _a_comment_first,
    "from another app context": _from_another_app_context,
}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_a_page_that_changed_a_row_by_mistake_leaves_the_database_as_it_was(
    app: Flask,
    client: FlaskClient,
    db: Session,
    make_user: Callable[..., User],
    signed_in: Callable[[UserRole], User],
    mistake: str,
) -> None:
    user_id = make_user(UserRole.VOLUNTEER, name="Kept Name").id
    db.commit()

    @app.get("/test-mistake")
    def mistaken() -> str:
        MISTAKES[mistake](get_session(), user_id)
        return "answered"

    signed_in(UserRole.VOLUNTEER)
    response = client.get("/test-mistake")
    assert response.get_data(as_text=True) == "answered"
    db.expire_all()
    assert db.get(User, user_id).name == "Kept Name"  # type: ignore[union-attr]


@pytest.fixture
def own_engine_app(
    database_url: str, test_config: dict[str, Any], instance_path: Any
) -> Iterator[Flask]:
    """The app on its own engine and pool, as a server runs it (not joined to a test's
    transaction): the health check only reads, so nothing is left behind."""
    app = create_app(test_config)
    yield app
    state(app).engine.dispose()


def test_on_postgresql_a_pages_statements_stay_prepared_from_one_request_to_the_next(
    own_engine_app: Flask,
) -> None:
    engine = state(own_engine_app).engine
    if engine.dialect.name != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    client = own_engine_app.test_client()
    for _ in range(8):  # psycopg prepares a statement on its sixth run on a connection
        assert client.get("/healthz").status_code == 200
    with engine.connect() as connection:  # the pool's one connection, as the requests left it
        prepared = (
            connection.exec_driver_sql("SELECT statement FROM pg_prepared_statements")
            .scalars()
            .all()
        )
    assert any("FROM official" in statement for statement in prepared), prepared


def test_on_postgresql_the_planner_prices_a_random_read_as_in_memory(
    own_engine_app: Flask,
) -> None:
    """Priced as on a spinning disk (4), the campaign page's next follow-ups hashed every open
    follow-up of every campaign instead of looking up its own recipients'."""
    engine = state(own_engine_app).engine
    if engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SHOW random_page_cost").scalar() == "1.1"
