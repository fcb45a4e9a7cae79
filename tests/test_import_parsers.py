"""The feed parsers read the real exports with their quirks, and fail only with FeedError."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from importers import ourcommons, represent
from importers.errors import FeedError
from tests.feeds import CONSTRUCTED, MEMBERS_2023, SNAPSHOT_2026

MEMBERS_2026 = (SNAPSHOT_2026 / "members.xml").read_bytes()
MINISTRIES = (SNAPSHOT_2026 / "ministries.xml").read_bytes()


def test_2023_members_export_gives_337_sitting_mps_with_their_honorifics() -> None:
    snapshot = ourcommons.parse_members(MEMBERS_2023.read_bytes())
    assert len(snapshot.terms) == 337
    assert all(t.end_on is None for t in snapshot.terms)
    # Elected on 2021-09-20, except six by-election winners (2022-12-12 to 2023-07-24).
    starts = Counter(t.start_on for t in snapshot.terms)
    assert starts[dt.date(2021, 9, 20)] == 331
    assert all(dt.date(2021, 9, 20) <= day <= dt.date(2023, 10, 24) for day in starts)
    assert Counter(t.person.honorific for t in snapshot.terms) == {
        None: 273,
        "Hon.": 63,
        "Right Hon.": 1,
    }
    assert all(t.person.person_id is None for t in snapshot.terms)  # exports before 2024


def test_2026_all_parliaments_export_gives_1231_people_342_sitting_each_with_a_term() -> None:
    terms = ourcommons.parse_members(MEMBERS_2026).terms
    assert len({t.person.person_id for t in terms}) == 1231
    sitting = [t for t in terms if t.end_on is None]
    assert len(sitting) == 342
    assert Counter(t.person.party for t in sitting) == {
        "Liberal": 170,
        "Conservative": 142,
        "Bloc Québécois": 22,
        "NDP": 7,
        "Green Party": 1,
    }
    assert all(t.start_on is not None for t in terms)
    assert all(t.end_on > t.start_on for t in terms if t.end_on)  # type: ignore[operator]


def test_members_quirks_are_normalised() -> None:
    by_name = {
        (t.person.given_name, t.person.family_name): t
        for t in ourcommons.parse_members(MEMBERS_2026).terms
    }
    assert by_name[("Herb", "Gray")].person.honorific == "Right Hon."  # written "Rt. Hon"
    assert by_name[("Jean-François", "Fortin")].person.party is None  # empty <CaucusShortName />
    joly = by_name[("Mélanie", "Joly")]
    assert (joly.person.person_id, joly.person.province) == (88384, "Quebec")


def test_ministries_export_gives_38_current_ministerial_roles() -> None:
    terms = ourcommons.parse_ministries(MINISTRIES).terms
    assert len(terms) == 38
    assert all(t.end_on is None for t in terms)
    assert Counter(t.kind for t in terms) == {
        "prime_minister": 1,
        "minister": 26,
        "secretary_of_state": 11,
    }
    anand = next(t for t in terms if t.person.person_id == 96081)
    assert (anand.title, anand.start_on) == ("Minister of Foreign Affairs", dt.date(2025, 5, 13))


def test_house_officer_titles_get_a_capital_letter() -> None:
    titles = [
        t.title
        for t in ourcommons.parse_house_officers(
            (SNAPSHOT_2026 / "house-officers.xml").read_bytes()
        ).terms
    ]
    assert "Chief opposition whip" in titles
    assert "Leader of the Conservative Party of Canada" in titles
    assert titles.count("Caucus Chair") == 3


def test_parliamentary_secretaries_can_share_a_title() -> None:
    terms = ourcommons.parse_parliamentary_secretaries(
        (CONSTRUCTED / "parliamentary-secretaries.xml").read_bytes()
    ).terms
    assert {t.person.family_name for t in terms} == {"Oliphant", "Vandenbeld"}
    assert {t.title for t in terms} == {
        "Parliamentary Secretary to the Minister of Foreign Affairs"
    }
    assert {t.person.province for t in terms} == {"Ontario"}  # <ProvinceTerritoryName> here


def test_profile_gives_committee_roles_with_acronyms_and_skips_associates() -> None:
    terms = ourcommons.parse_profile((CONSTRUCTED / "profiles" / "89010.xml").read_bytes(), 89010)
    assert [(t.kind, t.organisation_acronym, t.end_on) for t in terms] == [
        ("committee_chair", "FAAE", dt.date(2025, 3, 23)),
        ("committee_chair", "FAAE", None),
    ]
    assert terms[0].title == (
        "Chair of the Standing Committee on Foreign Affairs and International Development"
    )


def test_represent_pages_join_on_the_person_id_in_the_url() -> None:
    pages = [
        json.dumps(p).encode() for p in json.loads((CONSTRUCTED / "represent.json").read_text())
    ]
    first = represent.parse_page(pages[0])
    assert [c.person_id for c in first.contacts] == [89010]
    ehsassi = first.contacts[0]
    assert ehsassi.email == "ali.ehsassi@parl.gc.ca"
    assert ehsassi.phone == "1 613 555-0100"  # the Hill office first
    assert [o.type for o in ehsassi.offices] == ["legislature", "constituency"]
    assert represent.next_page(pages[0]) == (
        "https://represent.opennorth.ca/representatives/house-of-commons/?limit=1&offset=1"
    )
    second = represent.parse_page(pages[1])
    assert [c.person_id for c in second.contacts] == [89226]
    assert second.warnings == ("1 record without an ourcommons PersonId in 'url' skipped",)
    assert represent.next_page(pages[1]) is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the feed is empty"),
        (b"   \n", "the feed is empty"),
        (
            b"<!DOCTYPE html><html><body>Service unavailable</body></html>",
            "expected <ArrayOfMinister>",
        ),
        (b"Service Unavailable", "not XML"),
        (MINISTRIES[: len(MINISTRIES) // 2], "not well-formed XML"),
        (b"<ArrayOfMinister></ArrayOfMinister>", "no <Minister> records"),
        (
            b"<ArrayOfMinister><Minister><PersonId>x1</PersonId></Minister></ArrayOfMinister>",
            "PersonId 'x1' is not a number",
        ),
        (
            b"<ArrayOfMinister><Minister><PersonId>1</PersonId></Minister></ArrayOfMinister>",
            "has no <PersonOfficialFirstName>",
        ),
    ],
)
def test_unusable_feeds_are_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        ourcommons.parse_ministries(data)


def test_external_entities_are_never_resolved(tmp_path: object) -> None:
    hostile = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<ArrayOfMinister><Minister><PersonId>1</PersonId><PersonOfficialFirstName>&x;"
        b"</PersonOfficialFirstName><PersonOfficialLastName>L</PersonOfficialLastName>"
        b"<Title>T</Title></Minister></ArrayOfMinister>"
    )
    try:
        snapshot = ourcommons.parse_ministries(hostile)
    except FeedError:
        return  # refusing the document is fine too
    assert "root:" not in snapshot.terms[0].person.given_name


def test_entity_expansion_bombs_are_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8)
        )
        + b"]><ArrayOfMinister>&i;</ArrayOfMinister>"
    )
    with pytest.raises(FeedError):
        ourcommons.parse_ministries(bomb)


PARSERS = [
    ourcommons.parse_members,
    ourcommons.parse_ministries,
    ourcommons.parse_house_officers,
    represent.parse_page,
]


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=400))
def test_parsers_never_crash_on_arbitrary_bytes(data: bytes) -> None:
    for parse in PARSERS:
        with contextlib.suppress(FeedError):
            parse(data)


@settings(max_examples=150, deadline=None)
@given(cut=st.integers(min_value=0, max_value=len(MINISTRIES)), junk=st.binary(max_size=20))
def test_truncated_or_corrupted_real_feed_gives_a_clear_error_or_a_valid_parse(
    cut: int, junk: bytes
) -> None:
    try:
        snapshot = ourcommons.parse_ministries(MINISTRIES[:cut] + junk)
    except FeedError as error:
        assert error.message
    else:
        assert snapshot.terms


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["objects", "meta", "url", "offices", "email", "next", "tel", "type", "postal"]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(value=JSON_VALUES)
def test_represent_parser_survives_any_json_shape(value: object) -> None:
    data = json.dumps(value).encode()
    for call in (represent.parse_page, represent.next_page):
        with contextlib.suppress(FeedError):
            call(data)


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=300))
def test_officials_spreadsheet_reader_never_crashes(text: str) -> None:
    from importers.officials_csv import read_rows

    for data in (text.encode(), ("given_name,family_name\n" + text).encode()):
        with contextlib.suppress(FeedError):
            for row in read_rows(data):
                assert row.line >= 2


@pytest.mark.parametrize(
    ("short", "full", "acronym"),
    [
        ("Justice and Human Rights", "Standing Committee on Justice and Human Rights", "JUST"),
        ("Library of Parliament", "Standing Joint Committee for the Library of Parliament", "BILI"),
        ("Special Committee on Something New", "Special Committee on Something New", None),
        ("Something Else", "Committee on Something Else", None),
    ],
)
def test_committee_names_and_acronyms(short: str, full: str, acronym: str | None) -> None:
    from importers.committees import describe

    assert describe(short) == (full, acronym)


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=300))
def test_past_outreach_reader_never_crashes(text: str) -> None:
    import datetime as dt

    from importers.interactions_csv import check, guess_mapping, read

    for data in (text.encode(), ("official,date\n" + text).encode()):
        with contextlib.suppress(FeedError):
            frame = read(data)
            for row in check(
                frame, guess_mapping(list(frame.columns)), lambda _: [1], dt.date(2026, 1, 1)
            ):
                assert row.line >= 2


def test_the_real_represent_object_reads_with_its_quirks() -> None:
    import json

    from importers.represent import parse_representative
    from tests.feeds import FEEDS

    response = json.loads((FEEDS / "represent" / "postcode-M5V3L9.json").read_text())
    (record,) = [
        r
        for r in response["representatives_centroid"]
        if r["representative_set_name"] == "House of Commons"
    ]
    contact = parse_representative(record)
    assert contact is not None
    assert contact.person_id == 123192  # from the url: .../chi-nguyen(123192)
    assert contact.email == "chi.nguyen@parl.gc.ca"
    assert contact.languages == ("English", "French")  # one string with two spaces
    assert contact.gender == "F"  # the form of address her letters use: Madame
    hill = next(o for o in contact.offices if o.type == "legislature")
    assert hill.tel == hill.fax == "1 613 992-2352"  # the same number, kept as given
    assert contact.phone == "1 613 992-2352"  # the Hill office's telephone
    assert hill.postal == "House of Commons\nOttawa ON  K1A 0A6"
