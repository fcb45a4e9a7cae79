"""Matching the people a spreadsheet or a pasted list names: PersonId first, then the name
(accents, case and punctuation ignored); a given-name variant or a shared name is a question,
never a silent guess. Run on SQLite and PostgreSQL: the index reads the directory."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from importers.names import name_key
from tracker.models import Official, Role, RoleKind
from tracker.queries.people import person_index
from tracker.rules.person_match import How, given_names_vary, who


def add_official(
    db: Session, given: str, family: str, riding: str | None = None, person_id: int | None = None
) -> Official:
    official = Official(
        given_name=given,
        family_name=family,
        name_key=name_key(given, family),
        constituency=riding,
        ourcommons_id=person_id,
        offices=[],
        edited_fields=[],
    )
    db.add(official)
    db.flush()
    if riding:
        db.add(
            Role(
                official_id=official.id,
                kind=RoleKind.MP,
                title="Member of Parliament",
                start_on=dt.date(2021, 9, 20),
                source="members",
            )
        )
    db.flush()
    return official


@pytest.fixture
def directory(db: Session) -> dict[str, Official]:
    return {
        "oliphant": add_official(db, "Robert", "Oliphant", "Don Valley West", 58858),
        "mckenna": add_official(db, "Catherine", "McKenna", "Ottawa Centre"),
        "blair": add_official(db, "William", "Blair", "Scarborough Southwest"),
        "joly": add_official(db, "Mélanie", "Joly", "Ahuntsic-Cartierville"),
        "dentremont": add_official(db, "Chris", "d'Entremont", "Acadie—Annapolis"),
        "young-kate": add_official(db, "Kate", "Young", "London West"),
        "young-wai": add_official(db, "Wai", "Young", "Vancouver South"),
    }


@pytest.mark.parametrize(
    ("written", "official"),
    [
        ("Hon. Robert Oliphant", "oliphant"),
        ("OLIPHANT, Robert", "oliphant"),
        ("Melanie Joly", "joly"),
        ("MÉLANIE JOLY", "joly"),
        ("Chris Dentremont", "dentremont"),
        ("Chris D'Entremont", "dentremont"),
    ],
)
def test_the_same_name_written_differently_is_the_same_person(
    db: Session, directory: dict[str, Official], written: str, official: str
) -> None:
    found = person_index(db).match_full_name(written)
    assert found.how is How.NAME
    assert found.official is directory[official]


@pytest.mark.parametrize(
    ("written", "official"),
    [
        ("Rob Oliphant", "oliphant"),
        ("Bob Oliphant", "oliphant"),
        ("Bill Blair", "blair"),
        ("Kate McKenna", "mckenna"),
        ("Cathy McKenna", "mckenna"),
    ],
)
def test_a_nickname_is_asked_about_never_taken_or_made_new(
    db: Session, directory: dict[str, Official], written: str, official: str
) -> None:
    found = person_index(db).match_full_name(written)
    assert found.how is How.ASK
    assert found.official is None
    assert found.candidates == (directory[official],)


@pytest.mark.parametrize(
    "written", ["Oliphant Robert", "OLIPHANT Robert", "Hon. Oliphant Robert", "Oliphant Rob"]
)
def test_a_name_written_family_name_first_without_a_comma_is_asked_about(
    db: Session, directory: dict[str, Official], written: str
) -> None:
    found = person_index(db).match_full_name(written)
    assert found.how is How.ASK, "a question, never taken silently"
    assert found.official is None
    assert found.candidates == (directory["oliphant"],)


def test_a_sheets_given_and_family_names_the_other_way_round_are_a_question(
    db: Session, directory: dict[str, Official]
) -> None:
    index = person_index(db)
    swapped = index.match("Oliphant", "Robert")
    assert (swapped.how, swapped.candidates) == (How.ASK, (directory["oliphant"],))
    # Written the right way round, the name is still sure.
    assert index.match("Robert", "Oliphant").official is directory["oliphant"]


def test_a_name_written_family_name_first_that_names_two_officials_is_nobody(
    db: Session,
) -> None:
    add_official(db, "Anne", "Martin", "Ottawa Centre")
    add_official(db, "Anne", "Martin", "Nickel Belt")
    assert person_index(db).match_full_name("Martin Anne").how is How.NOBODY


def test_the_question_names_the_official_with_their_riding(
    db: Session, directory: dict[str, Official]
) -> None:
    assert who(directory["oliphant"]) == "Robert Oliphant (Don Valley West)"


def test_the_person_id_decides_before_any_name(db: Session, directory: dict[str, Official]) -> None:
    index = person_index(db)
    assert index.match("Rob", "Oliphant", 58858).official is directory["oliphant"]
    assert index.match("Someone", "Else", 58858).how is How.PERSON_ID
    # An unknown PersonId is never an official who has another one.
    assert index.match("Robert", "Oliphant", 99999).how is How.NOBODY


def test_a_family_name_alone_or_another_given_name_matches_nobody(
    db: Session, directory: dict[str, Official]
) -> None:
    index = person_index(db)
    assert index.match("Wai", "Young").official is directory["young-wai"]
    assert index.match("Neil", "Young").how is How.NOBODY
    assert index.match("William", "Oliphant").how is How.NOBODY
    assert index.match_full_name("Young").how is How.NOBODY


def test_two_officials_of_one_name_are_a_question(db: Session) -> None:
    first = add_official(db, "Anne", "Martin", "Ottawa Centre")
    second = add_official(db, "Anne", "Martin", "Nickel Belt")
    found = person_index(db).match_full_name("Anne Martin")
    assert found.how is How.ASK
    assert set(found.candidates) == {first, second}


@pytest.mark.parametrize(
    ("one", "other", "vary"),
    [
        ("Rob", "Robert", True),
        ("Bob", "Robert", True),
        ("Bill", "William", True),
        ("Kate", "Catherine", True),
        ("Kate", "Katherine", True),
        ("Stéphane", "Stephane", True),
        ("William", "Robert", False),
        ("Anne", "Marie", False),
    ],
)
def test_given_name_variants_come_from_the_nickname_list(one: str, other: str, vary: bool) -> None:
    assert given_names_vary(one, other) is vary
    assert given_names_vary(other, one) is vary
