"""Searching and ordering officials the way Canadians write names: accents, case, hyphens,
apostrophes and word order ignored; "d'Entremont" with the Ds, "van Koeverden" with the Vs."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.importing import run_import
from tracker.models import Official, User, UserRole
from tracker.operations.imports import bundled_snapshot
from tracker.operations.officials import create_official, update_official
from tracker.queries.officials import DirectoryFilter, directory_query, find_recipients

# What a person types, and a row it must find: (family name, riding) of someone it finds.
SEARCHES = [
    ("Trois-Rivieres", "Trois-Rivières"),
    ("trois rivieres", "Trois-Rivières"),
    ("Levis", "Lévis"),
    ("Quebec", "Québec"),
    ("Ahuntsic Cartierville", "Ahuntsic-Cartierville"),
    ("Joly Mélanie", "Joly"),
    ("melanie JOLY", "Joly"),
    ("Stephane", "Stéphane"),
    ("dentremont", "d'Entremont"),
]


@pytest.fixture
def directory(app: Flask, db: Session) -> Session:
    """The bundled House snapshot and the demo letter's officials."""
    folder, _as_of = bundled_snapshot()
    run_import(app, folder)
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    db.expire_all()
    return db


def _shows(official: Official, wanted: str) -> bool:
    return wanted in (official.constituency or "") or wanted in official.full_name


@pytest.mark.parametrize(("typed", "wanted"), SEARCHES)
def test_the_directory_and_the_recipient_search_find_what_was_typed(
    directory: Session, typed: str, wanted: str
) -> None:
    in_directory = directory.scalars(directory_query(DirectoryFilter(q=typed, status="all")))
    assert any(_shows(o, wanted) for o in in_directory), typed
    assert any(_shows(o, wanted) for o in find_recipients(directory, typed, limit=200)), typed


def test_a_family_name_typed_comes_first_among_the_recipients_found(directory: Session) -> None:
    # "ng" is inside many names (Wong, Young, Chang...): Mary Ng is the one meant.
    assert find_recipients(directory, "Ng")[0].full_name == "Mary Ng"
    assert find_recipients(directory, "Rae")[0].family_name == "Rae"


def test_the_recipient_search_finds_people_by_role_and_party(directory: Session) -> None:
    found = find_recipients(directory, "minister foreign affairs", limit=200)
    assert any(o.family_name == "Anand" for o in found)
    bloc = find_recipients(directory, "bloc", limit=200)
    assert sum(o.party == "Bloc Québécois" for o in bloc) >= 20  # and Kelly Block


def test_the_directory_page_finds_a_riding_typed_without_accents(
    directory: Session, client: FlaskClient, signed_in: Callable[[UserRole], User]
) -> None:
    signed_in(UserRole.VOLUNTEER)
    html = client.get("/officials/?q=Trois-Rivieres&status=all").get_data(as_text=True)
    assert "Trois-Rivières" in html


def _names(db: Session) -> list[str]:
    return [o.family_name for o in db.scalars(directory_query(DirectoryFilter(status="all")))]


def test_lists_sort_by_family_name_as_a_canadian_directory_does(
    db: Session, make_user: Callable[..., User]
) -> None:
    actor = make_user(UserRole.COORDINATOR)
    for given, family in [
        ("Adam", "van Koeverden"),
        ("Chris", "d'Entremont"),
        ("Jim", "Bélanger"),
        ("Ziad", "Aboultaif"),
        ("Julie", "Dabrusin"),
        ("Rachel", "Bendayan"),
        ("Buckley", "Belanger"),
        ("Anita", "Vandenbeld"),
        ("Arif", "Virani"),
        ("Don", "Davies"),
        ("Ali", "Ehsassi"),
        ("Zoë", "Young"),
    ]:
        create_official(db, {"given_name": given, "family_name": family}, None, actor=actor)
    db.flush()
    assert _names(db) == [
        "Aboultaif",
        "Belanger",  # Buckley before Jim: the given name breaks the tie
        "Bélanger",
        "Bendayan",
        "Dabrusin",
        "Davies",
        "d'Entremont",
        "Ehsassi",
        "Vandenbeld",
        "van Koeverden",
        "Virani",
        "Young",
    ]


def test_a_hand_edit_of_the_riding_is_searched_at_once(
    db: Session, make_user: Callable[..., User]
) -> None:
    actor = make_user(UserRole.COORDINATOR)
    official = create_official(db, {"given_name": "Ana", "family_name": "Ng"}, None, actor=actor)
    db.flush()
    update_official(
        db,
        official,
        {"given_name": "Ana", "family_name": "Ng", "constituency": "Lévis—Lotbinière"},
        version=official.version,
        actor=actor,
    )
    db.flush()
    found = db.scalars(directory_query(DirectoryFilter(q="levis lotbiniere", status="all")))
    assert official in list(found)
    key = db.scalar(select(Official.sort_key).where(Official.id == official.id))
    assert key == "ng ana"
