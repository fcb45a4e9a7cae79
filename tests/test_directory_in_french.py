"""The directory's own words in French: the titles Hilltrack builds (an MP's riding, a committee
seat, a parliamentary secretary's minister) in the form that fits the person, the caucuses'
French names, every committee's French name, role sources and languages as people name them."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import responses
import sqlalchemy as sa
from alembic import command
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from importers import committees, ourcommons
from importers.http import FeedClient
from tests.feeds import CONSTRUCTED
from tests.importing import dump, run_import
from tests.migrating import required_values
from tests.test_import_http import XML, small_members_feed
from tests.test_ministries_csv import full_folder
from tracker.cli import alembic_config
from tracker.models import AddressForm, Official, Role, RoleKind, User, UserRole
from tracker.operations.officials import set_form_of_address
from tracker.queries.exports import ExportFilter, csv_chunks
from tracker.rules.address import address_line, addressee_for
from tracker.rules.titles import french_role_title
from tracker.web.db import make_engine

FRENCH = {"Accept-Language": "fr-CA,fr;q=0.9"}
DESROCHERS, EHSASSI, GENUIS, OLIPHANT = 110124, 89010, 89226, 58858
FAAE_FR = "Comité permanent des affaires étrangères et du développement international"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Every source: the members, the ministries in English and French, the committee pages,
    the (constructed) parliamentary secretaries and profiles."""
    found = full_folder(tmp_path / "feeds")
    shutil.copy(CONSTRUCTED / "parliamentary-secretaries.xml", found)
    shutil.copytree(CONSTRUCTED / "profiles", found / "profiles")
    return found


def official(db: Session, person_id: int) -> Official:
    return db.scalars(select(Official).where(Official.ourcommons_id == person_id)).one()


def current(person: Official, kind: RoleKind) -> Role:
    return next(r for r in person.roles if r.kind is kind and r.end_on is None)


def choose_form(db: Session, person: Official, form: AddressForm | None, actor: User) -> None:
    if form is not None:
        set_form_of_address(db, person, form=form, privy_council_on=None, actor=actor)
    db.commit()


def page(client: FlaskClient, url: str, french: bool = True) -> str:
    response = client.get(url, headers=FRENCH if french else {})
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("form", "french"),
    [
        (AddressForm.MADAME, "Députée de Trois-Rivières"),
        (AddressForm.MONSIEUR, "Député de Trois-Rivières"),
        (None, "Député(e) de Trois-Rivières"),
    ],
    ids=["woman", "man", "not-known"],
)
def test_an_mps_title_reads_depute_or_deputee_by_the_form_of_address(
    app: Flask,
    client: FlaskClient,
    db: Session,
    signed_in: Callable[[UserRole], User],
    folder: Path,
    form: AddressForm | None,
    french: str,
) -> None:
    run_import(app, folder)
    coordinator = signed_in(UserRole.COORDINATOR)
    member = official(db, DESROCHERS)
    choose_form(db, member, form, coordinator)
    role = current(member, RoleKind.MP)
    assert role.title == "Member of Parliament for Trois-Rivières"
    assert role.title_fr == french
    assert french in page(client, f"/officials/{member.id}")
    assert french in page(client, "/officials/?q=Desrochers")
    english = page(client, f"/officials/{member.id}", french=False)
    assert "Member of Parliament for Trois-Rivières" in english and "Député" not in english


@pytest.mark.parametrize(
    ("form", "chair", "vice_chair"),
    [
        (AddressForm.MADAME, "Présidente", "Vice-présidente"),
        (AddressForm.MONSIEUR, "Président", "Vice-président"),
    ],
    ids=["woman", "man"],
)
def test_a_committee_chair_and_vice_chair_read_in_french_in_their_form(
    app: Flask,
    client: FlaskClient,
    db: Session,
    signed_in: Callable[[UserRole], User],
    folder: Path,
    form: AddressForm,
    chair: str,
    vice_chair: str,
) -> None:
    run_import(app, folder)
    coordinator = signed_in(UserRole.COORDINATOR)
    for person_id in (EHSASSI, GENUIS):
        choose_form(db, official(db, person_id), form, coordinator)
    chairing = current(official(db, EHSASSI), RoleKind.COMMITTEE_CHAIR)
    seconding = current(official(db, GENUIS), RoleKind.COMMITTEE_VICE_CHAIR)
    assert chairing.title == (
        "Chair of the Standing Committee on Foreign Affairs and International Development"
    )
    assert chairing.title_fr == f"{chair} du {FAAE_FR}"
    assert seconding.title == (
        "Vice-Chair of the Standing Committee on Foreign Affairs and International Development"
    )
    assert seconding.title_fr == f"{vice_chair} du {FAAE_FR}"
    text = page(client, f"/officials/{official(db, EHSASSI).id}")
    assert f"{chair} du {FAAE_FR}" in text
    assert "Chair of the Standing Committee" not in text


@pytest.mark.parametrize(
    ("form", "french"),
    [
        (AddressForm.MADAME, "Secrétaire parlementaire de la ministre des Affaires étrangères"),
        (AddressForm.MONSIEUR, "Secrétaire parlementaire du ministre des Affaires étrangères"),
    ],
    ids=["to-a-woman", "to-a-man"],
)
def test_a_parliamentary_secretary_is_named_after_the_minister_in_french(
    app: Flask,
    client: FlaskClient,
    db: Session,
    signed_in: Callable[[UserRole], User],
    folder: Path,
    form: AddressForm,
    french: str,
) -> None:
    """The title follows the minister's French title (the French ministries export) and the
    minister's form of address; the secretary's own letter says it in French."""
    run_import(app, folder)
    coordinator = signed_in(UserRole.COORDINATOR)
    anand = db.scalars(select(Official).where(Official.family_name == "Anand")).one()
    choose_form(db, anand, form, coordinator)
    secretary = official(db, OLIPHANT)
    role = current(secretary, RoleKind.PARLIAMENTARY_SECRETARY)
    assert role.title == "Parliamentary Secretary to the Minister of Foreign Affairs"
    assert role.title_fr == french
    assert french in page(client, f"/officials/{secretary.id}")
    line = address_line(addressee_for(secretary, role, dt.date(2026, 1, 20)), "fr")
    assert line.endswith(french[:1].lower() + french[1:])
    assert "Parliamentary" not in line


def test_the_directory_and_an_officials_page_name_caucuses_in_french(
    app: Flask,
    client: FlaskClient,
    db: Session,
    signed_in: Callable[[UserRole], User],
    folder: Path,
) -> None:
    """The bundled-style folder has no French members list: the table of facts names them."""
    run_import(app, folder)
    signed_in(UserRole.VOLUNTEER)
    text = page(client, "/officials/?q=Genuis")
    assert "Conservateur" in text and ">Conservative<" not in text
    listing = page(client, "/officials/")
    assert "Libéral" in listing and "<td>Liberal</td>" not in listing
    assert '<option value="Liberal">Libéral</option>' in listing
    # Elizabeth May (Green); the House has other members named May, in no set order.
    may = db.scalars(
        select(Official).where(Official.family_name == "May", Official.given_name == "Elizabeth")
    ).first()
    assert may is not None
    assert "Parti vert" in page(client, f"/officials/{may.id}")
    assert "Green Party" in page(client, f"/officials/{may.id}", french=False)


@responses.activate
def test_a_live_import_takes_the_caucuses_french_names_from_the_french_members_list(
    app: Flask, db: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without its table, Hilltrack can only have the French names from the French list.
    monkeypatch.setattr(ourcommons, "CAUCUS_FR", {})
    responses.add(
        responses.GET,
        ourcommons.MEMBERS_URL,
        body=small_members_feed(DESROCHERS, GENUIS, 2897, 58775),
        headers=XML,
    )
    responses.add(
        responses.GET,
        ourcommons.MEMBERS_FR_URL,
        body=(CONSTRUCTED / "members-fr.xml").read_bytes(),
        headers=XML,
    )
    run = run_import(
        app, None, sources=["members"], client_factory=lambda: FeedClient(tmp_path / "cache")
    )
    assert run.error is None
    parties = {o.family_name: (o.party, o.party_fr) for o in db.scalars(select(Official))}
    assert parties == {
        "Desrochers": ("Liberal", "Libéral"),
        "Genuis": ("Conservative", "Conservateur"),
        "May": ("Green Party", "Parti vert"),
        "Boulerice": ("NDP", "NPD"),
    }


def test_every_committee_in_the_acronym_table_has_its_french_name() -> None:
    names = {acronym: committees.french_by_acronym(acronym) for acronym in committees.ACRONYMS}
    assert [acronym for acronym, name in names.items() if not name] == []
    assert names["BILI"] == "Comité mixte permanent de la Bibliothèque du Parlement"
    assert names["CACN"] == (
        "Comité spécial sur la relation entre le Canada et la République populaire de Chine"
    )


def test_role_sources_and_letter_languages_read_as_people_name_them_in_french(
    app: Flask,
    client: FlaskClient,
    db: Session,
    signed_in: Callable[[UserRole], User],
    folder: Path,
) -> None:
    from tracker.operations.campaigns import add_recipients, create_campaign

    run_import(app, folder)
    coordinator = signed_in(UserRole.COORDINATOR)
    member = official(db, DESROCHERS)
    text = page(client, f"/officials/{member.id}")
    assert "Liste des députés de la Chambre des communes" in text
    assert "<td>members</td>" not in text
    english = page(client, f"/officials/{member.id}", french=False)
    assert "List of members of the House of Commons" in english
    # The add-a-role form's committee menu, in the reader's language.
    assert "FAAE · Comité permanent des affaires étrangères et du développement" in text
    assert "FAAE · Standing Committee on Foreign Affairs" in english

    campaign = create_campaign(
        db, {"title": "Nature", "letter_on": dt.date(2026, 1, 20)}, actor=coordinator
    )
    add_recipients(
        db, campaign, [(member, current(member, RoleKind.MP))], language="fr", actor=coordinator
    )
    genuis = official(db, GENUIS)
    add_recipients(
        db, campaign, [(genuis, current(genuis, RoleKind.MP))], language="en", actor=coordinator
    )
    db.commit()
    text = page(client, f"/campaigns/{campaign.id}")
    assert "· français" in text and "· anglais" in text
    assert "English</span>" not in text


def test_the_officials_export_gives_french_titles_and_caucuses_and_a_rerun_keeps_them(
    app: Flask, db: Session, signed_in: Callable[[UserRole], User], folder: Path
) -> None:
    run_import(app, folder)
    coordinator = signed_in(UserRole.COORDINATOR)
    choose_form(db, official(db, EHSASSI), AddressForm.MONSIEUR, coordinator)
    text = "".join(csv_chunks(db, "officials", ExportFilter(), "fr"))
    rows = {line.split(",")[2]: line for line in text.splitlines()[1:] if line.count(",") > 10}
    assert "Député(e) de Trois-Rivières" in rows["Desrochers"]
    assert rows["Desrochers"].endswith(",Libéral")
    assert f"Président du {FAAE_FR} (FAAE)" in rows["Ehsassi"]
    assert "Député de Willowdale" in rows["Ehsassi"]

    db.expire_all()
    versions = {o.id: o.version for o in db.scalars(select(Official))}
    before = dump(db)
    again = run_import(app, folder, as_of=dt.datetime(2026, 1, 10, 12, 0, tzinfo=dt.UTC))
    assert again.error is None
    db.expire_all()
    assert dump(db) == before
    assert {o.id: o.version for o in db.scalars(select(Official))} == versions


def test_upgrading_an_existing_database_gives_its_mps_and_chairs_french_titles(
    tmp_path: Path,
) -> None:
    import sqlalchemy as sa
    from alembic import command

    from tracker.cli import alembic_config

    url = f"sqlite:///{tmp_path / 'before.sqlite3'}"
    command.upgrade(alembic_config(url), "0018")
    engine = sa.create_engine(url)
    now = dt.datetime(2026, 1, 1, 12)
    with engine.begin() as conn:
        tables = sa.MetaData()
        tables.reflect(conn)
        official, organisation, role = (
            tables.tables[name] for name in ("official", "organisation", "role")
        )
        for person, (given, family, form, party) in enumerate(
            [
                ("Caroline", "Desrochers", None, "Liberal"),
                ("Ali", "Ehsassi", "monsieur", "Liberal"),
                ("Garnett", "Genuis", "madame", "Conservative"),
            ],
            1,
        ):
            conn.execute(
                official.insert(),
                {
                    "id": person,
                    "given_name": given,
                    "family_name": family,
                    "name_key": f"{given} {family}".lower(),
                    "address_form": form,
                    "party": party,
                    "offices": [],
                    "edited_fields": [],
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                },
            )
        conn.execute(
            organisation.insert(),
            {
                "id": 1,
                "kind": "committee",
                "name": "Standing Committee on Foreign Affairs and International Development",
                "acronym": "FAAE",
                "created_at": now,
            },
        )
        for role_id, person, kind, title, org in [
            (1, 1, "mp", "Member of Parliament for Trois-Rivières", None),
            (2, 2, "committee_chair", "Chair of the Standing Committee on Foreign Affairs", 1),
            (3, 3, "committee_vice_chair", "Vice-Chair of the Standing Committee on X", 1),
        ]:
            conn.execute(
                role.insert(),
                {
                    "id": role_id,
                    "official_id": person,
                    "kind": kind,
                    "title": title,
                    "organisation_id": org,
                    "source": "members",
                    "created_at": now,
                },
            )
    command.upgrade(alembic_config(url), "head")
    with engine.connect() as conn:
        titles = conn.execute(sa.text("SELECT title_fr FROM role ORDER BY id")).scalars().all()
        parties = conn.execute(sa.text("SELECT party_fr FROM official ORDER BY id")).scalars()
        parties = list(parties)
    engine.dispose()
    assert titles == [
        "Député(e) de Trois-Rivières",
        f"Président du {FAAE_FR}",
        f"Vice-présidente du {FAAE_FR}",
    ]
    assert parties == ["Libéral", "Libéral", "Conservateur"]


def test_a_caucus_typed_by_hand_reads_in_french_too(
    client: FlaskClient, db: Session, signed_in: Callable[[UserRole], User]
) -> None:
    from tracker.operations.officials import create_official, update_official

    coordinator = signed_in(UserRole.COORDINATOR)
    person = create_official(
        db,
        {"given_name": "Ada", "family_name": "Member", "party": "Liberal"},
        None,
        actor=coordinator,
    )
    db.commit()
    assert "Libéral" in page(client, f"/officials/{person.id}")
    update_official(
        db,
        person,
        {"given_name": "Ada", "family_name": "Member", "party": "Conservative"},
        version=person.version,
        actor=coordinator,
    )
    db.commit()
    text = page(client, f"/officials/{person.id}")
    assert "Conservateur" in text and "Libéral" not in text


@pytest.mark.parametrize(
    ("honorific", "english", "french"),
    [
        ("Hon.", "Hon.", "L\u2019hon."),
        ("Right Hon.", "Right Hon.", "Le très hon."),
        ("Rt. Hon", "Rt. Hon", "Rt. Hon"),  # an old record's own spelling: data, as written
    ],
)
def test_an_officials_honorific_reads_in_the_pages_language(
    client: FlaskClient,
    db: Session,
    signed_in: Callable[[UserRole], User],
    honorific: str,
    english: str,
    french: str,
) -> None:
    signed_in(UserRole.VOLUNTEER)
    person = Official(
        given_name="Ada", family_name="Member", name_key="ada member", honorific=honorific
    )
    db.add(person)
    db.commit()
    for url in (f"/officials/{person.id}", "/officials/?q=member&status=all"):
        shown = f'<span class="muted">{french}</span> Ada Member'
        assert shown in page(client, url)
        assert f'<span class="muted">{english}</span> Ada Member' in page(client, url, french=False)


@pytest.mark.parametrize(
    ("riding", "french"),
    [
        ("Ahuntsic-Cartierville", "Députée d\u2019Ahuntsic-Cartierville"),
        ("Orléans", "Députée d\u2019Orléans"),
        ("Trois-Rivières", "Députée de Trois-Rivières"),
        ("Hull\u2014Aylmer", "Députée de Hull\u2014Aylmer"),  # an aspirated h: no elision
        ("Hochelaga", "Députée d\u2019Hochelaga"),  # a silent one
        ("Honoré-Mercier", "Députée d\u2019Honoré-Mercier"),
        ("Honore\u0301-Mercier", "Députée d\u2019Honore\u0301-Mercier"),  # é as e and its accent
    ],
)
def test_an_mps_french_title_elides_de_before_a_vowel_as_the_house_writes_it(
    riding: str, french: str
) -> None:
    title = french_role_title(
        RoleKind.MP, f"Member of Parliament for {riding}", form=AddressForm.MADAME
    )
    assert title == french


def test_upgrading_elides_the_titles_hilltrack_built_and_leaves_those_people_wrote(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'before.sqlite3'}"
    command.upgrade(alembic_config(url), "0034")
    engine = make_engine(url)
    now = dt.datetime(2026, 1, 1, 12)
    titles = {
        1: ("Député(e) de Ahuntsic-Cartierville", True),
        2: ("Députée de Trois-Rivières", True),
        3: ("Député de Orléans", False),  # typed by a coordinator: theirs to change
        4: ("Député de Honoré-Mercier", True),
    }
    with engine.begin() as conn:
        tables = sa.MetaData()
        tables.reflect(conn)

        def insert(name: str, **values: object) -> None:
            table = tables.tables[name]
            stamps = {"created_at": now, "updated_at": now, "version": 1}
            conn.execute(table.insert(), {**required_values(table, now), **stamps, **values})

        insert("official", id=1, given_name="Ada", family_name="L", name_key="ada l")
        for role_id, (title_fr, built) in titles.items():
            insert(
                "role",
                id=role_id,
                official_id=1,
                kind="mp",
                title="Member of Parliament for X",
                title_fr=title_fr,
                title_fr_built=built,
            )

    def stored() -> list[str]:
        with engine.connect() as conn:
            return list(conn.execute(sa.text("SELECT title_fr FROM role ORDER BY id")).scalars())

    command.upgrade(alembic_config(url), "0035")
    assert stored() == [
        "Député(e) d\u2019Ahuntsic-Cartierville",
        "Députée de Trois-Rivières",
        "Député de Orléans",
        "Député d\u2019Honoré-Mercier",
    ]
    with engine.connect() as conn:
        key = conn.execute(sa.text("SELECT search_key FROM role WHERE id = 1")).scalar()
    assert "ahuntsic" in key.split()  # found by the words of its new title
    command.downgrade(alembic_config(url), "0034")
    assert stored() == [title for title, _built in titles.values()]
    engine.dispose()
