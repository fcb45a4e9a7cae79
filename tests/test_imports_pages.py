"""The Imports page: import now, preview, history, progress, and one-click review answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import post_form
from tests.feeds import feed_folder
from tests.importing import dump, run_import
from tracker.clock import utcnow
from tracker.models import (
    ImportReview,
    ImportRun,
    ImportStatus,
    Official,
    ReviewStatus,
    User,
    UserRole,
)


@pytest.fixture
def test_config(test_config: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    folder = feed_folder(tmp_path / "offline-feeds")
    # The web request waits for the import here: threads cannot share the test transaction.
    return {**test_config, "IMPORT_FROM_DIR": str(folder), "QUEUE_IMMEDIATE": True}


def start(client: FlaskClient, **extra: str) -> Any:
    return post_form(client, "/imports/start", extra, token_page="/imports/", follow_redirects=True)


def test_coordinator_imports_now_and_sees_the_run_with_its_counts(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    signed_in(UserRole.COORDINATOR)
    text = start(client).get_data(as_text=True)
    assert "Import started." in text
    assert "Succeeded" in text
    assert '<th scope="row">members</th><td>1231</td>' in text
    assert db.scalar(select(func.count()).select_from(Official)) == 1231
    history = client.get("/imports/").get_data(as_text=True)
    # The recorded feeds hold no file for five sources: the history says so.
    assert '<td class="status-succeeded">Succeeded, 5 sources skipped</td>' in history


def test_preview_shows_changes_and_writes_nothing(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    signed_in(UserRole.COORDINATOR)
    before = dump(db)
    text = start(client, dry_run="1").get_data(as_text=True)
    assert "Preview started: nothing will be written." in text
    assert "This was a preview: nothing was written." in text
    assert dump(db) == before
    history = client.get("/imports/").get_data(as_text=True)
    assert '<td class="status-dry_run">Preview (nothing written)</td>' in history


def test_a_second_import_while_one_runs_is_refused(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    signed_in(UserRole.COORDINATOR)
    db.add(ImportRun(source="members", status=ImportStatus.RUNNING, heartbeat_at=utcnow()))
    db.commit()
    page = client.get("/imports/").get_data(as_text=True)
    assert "An import is running; this page refreshes itself." in page
    assert '<meta http-equiv="refresh"' in page
    text = start(client).get_data(as_text=True)
    assert "is running; wait for it to finish." in text


def test_a_run_cut_off_by_a_restart_is_shown_as_such(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    signed_in(UserRole.COORDINATOR)
    run = ImportRun(
        source="members", status=ImportStatus.RUNNING, heartbeat_at=utcnow() - dt.timedelta(hours=2)
    )
    db.add(run)
    db.commit()
    text = client.get(f"/imports/{run.id}").get_data(as_text=True)
    assert "cut off" in text
    assert "Nothing from it was applied" in text


def test_volunteers_cannot_see_or_start_imports(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    signed_in(UserRole.VOLUNTEER)
    assert client.get("/imports/").status_code == 403
    assert post_form(client, "/imports/start", {}, token_page="/").status_code == 403
    assert db.scalar(select(func.count()).select_from(ImportRun)) == 0


@pytest.fixture
def held_joly(app: Flask, db: Session, tmp_path: Path) -> tuple[Official, ImportReview]:
    other = Official(
        given_name="Mélanie",
        family_name="Joly",
        name_key="melanie joly",
        province="Manitoba",
        party="Green Party",
    )
    db.add(other)
    db.commit()
    run_import(app, feed_folder(tmp_path / "f"))
    # Held twice (as MP and as minister); answering one answers both.
    reviews = db.scalars(select(ImportReview).order_by(ImportReview.source)).all()
    assert [r.source for r in reviews] == ["members", "ministries"]
    return other, reviews[0]


def answer(client: FlaskClient, review: ImportReview, value: str) -> Any:
    return post_form(
        client,
        f"/imports/reviews/{review.id}",
        {"answer": value},
        token_page="/imports/",
        follow_redirects=True,
    )


def test_review_answered_same_person_links_the_official_in_one_click(
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    db: Session,
    held_joly: tuple[Official, ImportReview],
) -> None:
    signed_in(UserRole.COORDINATOR)
    other, review = held_joly
    assert "Mélanie Joly" in client.get("/imports/").get_data(as_text=True)
    assert "Resolved." in answer(client, review, f"same:{other.id}").get_data(as_text=True)
    db.refresh(other)
    db.refresh(review)
    assert other.ourcommons_id == 88384
    assert review.status is ReviewStatus.RESOLVED
    assert {r.title for r in other.roles} == {
        "Member of Parliament for Ahuntsic-Cartierville",
        "Minister of Industry",
    }
    assert (
        db.scalar(
            select(func.count())
            .select_from(ImportReview)
            .where(ImportReview.status == ReviewStatus.OPEN)
        )
        == 0
    )


def test_review_answered_different_people_adds_a_new_official(
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    db: Session,
    held_joly: tuple[Official, ImportReview],
) -> None:
    signed_in(UserRole.COORDINATOR)
    other, review = held_joly
    answer(client, review, "different")
    jolys = db.scalars(select(Official).where(Official.name_key == "melanie joly")).all()
    assert len(jolys) == 2
    assert other.ourcommons_id is None
    assert answer(client, review, "different").status_code == 200
    assert "already resolved" in answer(client, review, "different").get_data(as_text=True)


def test_review_refuses_an_answer_naming_someone_not_offered(
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    db: Session,
    held_joly: tuple[Official, ImportReview],
) -> None:
    signed_in(UserRole.COORDINATOR)
    _, review = held_joly
    stranger = Official(given_name="Z", family_name="Z", name_key="z z")
    db.add(stranger)
    db.commit()
    text = answer(client, review, f"same:{stranger.id}").get_data(as_text=True)
    assert "Choose one of the officials listed for this item." in text
    db.refresh(review)
    assert review.status is ReviewStatus.OPEN


def test_conflict_answered_take_the_feed_value(
    app: Flask,
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    db: Session,
    tmp_path: Path,
) -> None:
    folder = feed_folder(tmp_path / "f", with_constructed=True)
    run_import(app, folder)
    ehsassi = db.scalars(select(Official).where(Official.ourcommons_id == 89010)).one()
    ehsassi.email, ehsassi.edited_fields = "mine@example.org", ["email"]
    db.commit()
    run_import(app, folder)
    review = db.scalars(select(ImportReview)).one()
    signed_in(UserRole.COORDINATOR)
    page = client.get("/imports/").get_data(as_text=True)
    assert "email was edited by hand; the feed now says &#39;ali.ehsassi@parl.gc.ca&#39;" in page
    answer(client, review, "take")
    db.refresh(ehsassi)
    assert ehsassi.email == "ali.ehsassi@parl.gc.ca"
    assert ehsassi.edited_fields == []
