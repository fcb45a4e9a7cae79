"""French titles from the ministries export in English and French (real copies, with their
quirks), and the whole import of a folder holding every source this issue added."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from importers.errors import FeedError
from importers.ministries_csv import pair_titles, read_rows
from tests.feeds import FEEDS, feed_folder
from tests.importing import dump, run_import
from tracker.models import Official, Role, RoleKind

CSV = FEEDS / "ministries-csv"
MAY_EN = CSV / "ourcommons-ministries-csv-en-30th-ministry-2025-05-14.csv"
MAY_FR = CSV / "ourcommons-ministries-csv-fr-30th-ministry-2025-05-14.csv"
PAIRS = [
    ("en-29th-ministry-2025-02-02", "fr-29th-ministry-2025-02-03", 38),
    ("en-30th-ministry-2025-03-17", "fr-30th-ministry-2025-03-17", 24),
    ("en-30th-ministry-2025-05-14", "fr-30th-ministry-2025-05-14", 39),
]


def read(name: str, language: str) -> list:
    return read_rows((CSV / f"ourcommons-ministries-csv-{name}.csv").read_bytes(), language)


@pytest.mark.parametrize(("en", "fr", "rows"), PAIRS)
def test_every_real_pair_pairs_row_by_row(en: str, fr: str, rows: int) -> None:
    pairs, warnings = pair_titles(read(en, "en"), read(fr, "fr"))
    assert len(pairs) == rows and warnings == []


def test_the_copies_quirks_are_read() -> None:
    data = MAY_FR.read_bytes()
    assert data.startswith("\ufeff\ufeff".encode()) and b"\r\n" in data  # two BOMs, CRLF
    french = read_rows(data, "fr")
    assert french[0].title == "Premier ministre"
    assert french[0].start_on is not None and french[0].start_on.isoformat() == "2025-03-14"
    english = read_rows(MAY_EN.read_bytes(), "en")
    diab = next(r for r in english if r.family_name == "Diab")
    assert diab.given_name == "Lena Metlege"
    pairs, _ = pair_titles(english, french)
    anand = next(p for p in pairs if p.person.family_name == "Anand")
    assert (anand.title, anand.title_fr) == (
        "Minister of Foreign Affairs",
        "Ministre des Affaires étrangères",
    )
    assert "L\u2019hon." in data.decode("utf-8")  # the curly apostrophe of the French copy


def test_rows_whose_names_disagree_are_left_unpaired_with_a_warning() -> None:
    english, french = read_rows(MAY_EN.read_bytes(), "en"), read_rows(MAY_FR.read_bytes(), "fr")
    french[3], french[4] = french[4], french[3]
    pairs, warnings = pair_titles(english, french)
    assert len(pairs) == len(english) - 2
    assert len(warnings) == 2 and "its title stays in English" in warnings[0]


def test_a_file_that_is_not_the_ministries_export_is_refused() -> None:
    with pytest.raises(FeedError, match="not the ministries export"):
        read_rows(b"name,title\r\nA,B\r\n", "en")


def full_folder(target: Path) -> Path:
    folder = feed_folder(target)
    shutil.copy(MAY_EN, folder / "ministries.csv")
    shutil.copy(MAY_FR, folder / "ministries-fr.csv")
    (folder / "committees").mkdir()
    shutil.copy(FEEDS / "committees" / "FEWO.html", folder / "committees" / "FEWO.html")
    return folder


def test_an_import_of_every_source_gives_chairs_and_french_titles_and_a_rerun_changes_nothing(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    folder = full_folder(tmp_path / "feeds")
    first = run_import(app, folder)
    assert first.counts["ministry-titles-fr"]["titles_translated"] > 25
    anand = db.scalars(select(Official).where(Official.family_name == "Anand")).one()
    foreign = next(r for r in anand.roles if r.kind is RoleKind.MINISTER and r.end_on is None)
    assert foreign.title_fr == "Ministre des Affaires étrangères"
    vien = db.scalars(select(Official).where(Official.ourcommons_id == 110009)).one()
    assert [r.title for r in vien.roles if r.kind is RoleKind.COMMITTEE_CHAIR] == [
        "Chair of the Standing Committee on Status of Women"
    ]
    untranslated = [w for w in first.warnings if "stay in English" in w]
    assert untranslated and "no French form in the feed" in untranslated[0]
    before = dump(db)
    second = run_import(app, folder)
    db.expire_all()
    assert second.counts["ministry-titles-fr"].get("titles_translated", 0) == 0
    assert second.changes == []
    after = dump(db)
    assert after["role"] == before["role"] and after["official"] == before["official"]
    assert db.scalar(select(Role.title_fr).where(Role.id == foreign.id)) == foreign.title_fr
