"""What the worker and the imports store for people to read later (a job's outcome, a letter's
failure, a triage note, an import's warnings and errors) is shown in each reader's language,
whoever's language it was written in."""

from __future__ import annotations

from collections.abc import Callable
from html import unescape
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from importers.said import Said, from_json, said, said_plural, said_together, to_json
from tests.feeds import feed_folder
from tests.importing import run_import
from tracker.models import ImportStatus, Job, JobState, User, UserRole
from tracker.operations.jobs import INTERRUPTED

FRENCH = {"Accept-Language": "fr-CA,fr;q=0.9"}
ENGLISH = {"Accept-Language": "en-CA,en;q=0.9"}


def visible(client: FlaskClient, path: str, headers: dict[str, str]) -> str:
    """The page's text, spaces of every width made plain."""
    text = unescape(client.get(path, headers=headers).get_data(as_text=True))
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_a_sentence_is_stored_as_what_made_it_and_read_back_whole() -> None:
    batch = said(
        "%(summary)s; the rest waits for the mail server",
        summary=said_together(
            [
                said_plural("%(num)d sent", "%(num)d sent", 14),
                said_plural("%(num)d bounced", "%(num)d bounced", 1),
            ]
        ),
    )
    assert batch == "14 sent, 1 bounced; the rest waits for the mail server"  # English as text
    stored = to_json(batch)
    assert stored is not None and stored.startswith('{"said":')
    again = from_json(stored)
    assert isinstance(again, Said) and again == batch and to_json(again) == stored
    # Anything else is stored and read as it is: older rows, a server's own words.
    assert to_json("550 5.1.1 no such user") == "550 5.1.1 no such user"
    assert from_json('{"said": broken') == '{"said": broken'


def test_a_jobs_outcome_and_error_read_in_each_readers_language(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    signed_in(UserRole.COORDINATOR)
    outcome = said_together(
        [
            said_plural("%(num)d sent", "%(num)d sent", 14),
            said_plural("%(num)d bounced", "%(num)d bounced", 1),
        ]
    )
    db.add_all(
        [
            Job(kind="letters", params={"campaign_id": 1}, state=JobState.DONE, outcome=outcome),
            Job(kind="import_officials", params={}, state=JobState.FAILED, error=INTERRUPTED),
        ]
    )
    db.commit()
    french = visible(client, "/queue/", FRENCH)
    assert "14 envoyées, 1 non remise" in french
    assert "Le traitement en arrière-plan s'est arrêté pendant cette tâche" in french
    english = visible(client, "/queue/", ENGLISH)
    assert "14 sent, 1 bounced" in english
    assert "The worker stopped while this job ran" in english


def test_an_imports_failure_and_warnings_read_in_each_readers_language(
    app: Flask, client: FlaskClient, signed_in: Callable[[UserRole], User], tmp_path: Path
) -> None:
    folder = feed_folder(tmp_path / "feeds")
    (folder / "parliamentary-secretaries.xml").write_bytes(b"not xml at all")
    run = run_import(app, folder)
    assert run.status is ImportStatus.PARTIAL
    signed_in(UserRole.COORDINATOR)
    french = visible(client, f"/imports/{run.id}", FRENCH)
    assert "les données ne sont pas du XML (elles ne commencent pas par « < »)" in french
    assert "échec, les données ne sont pas du XML" in french  # the warning of the same source
    english = visible(client, f"/imports/{run.id}", ENGLISH)
    assert "the feed is not XML (it does not start with '<')" in english
