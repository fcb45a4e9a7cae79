"""The House's Publication Search is read as it is: every intervention, with the PersonId, the
paragraphs, the index terms and the links; an unusable answer is a FeedError, nothing else."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from importers import hansard
from importers.errors import FeedError
from tests.feeds import HANSARD

HOUSE_XML = (HANSARD / "89156-37.xml").read_bytes()
COMMITTEE_XML = (HANSARD / "89156-40017.xml").read_bytes()


def test_the_house_file_gives_248_interventions_and_the_committee_file_522() -> None:
    house = hansard.parse_search(HOUSE_XML, hansard.HOUSE)
    committees = hansard.parse_search(COMMITTEE_XML, hansard.COMMITTEES)
    assert (house.records_found, len(house.interventions)) == (248, 248)
    assert (committees.records_found, len(committees.interventions)) == (522, 522)
    ids = [i.item_id for i in house.interventions + committees.interventions]
    assert len(set(ids)) == 770


def test_a_house_intervention_carries_every_field() -> None:
    first = hansard.parse_search(HOUSE_XML).interventions[0]
    assert first.item_id == 13405601
    assert first.publication_id == 13408668
    assert first.title == "Hansard - 368"
    assert first.spoken_on == dt.date(2024, 11, 7)
    assert (first.parliament, first.session) == (44, 1)
    assert first.organization == "House of Commons" and first.is_house
    assert first.order_of_business == "Routine Proceedings"
    assert first.subject_of_business == "Industry and Technology"
    assert first.intervention_type == "Debate"
    assert first.person_id == 89156  # Person@Id, not Affiliation@DbId 278569
    assert first.speaker == "Ziad Aboultaif"
    assert first.paragraphs[0].startswith("Mr. Speaker, it seems the government")
    assert hansard.IndexTerm(69520, "Anti-competitive practices", False) in first.terms
    assert (
        first.record_url == "https://www.ourcommons.ca/Content/House/441/Debates/368/HAN368-E.PDF"
    )
    assert first.video_url == "https://www.ourcommons.ca/Embed/en/i/12982731/?ml=en"


def test_a_committee_intervention_names_its_committee_and_links_the_evidence() -> None:
    first = hansard.parse_search(COMMITTEE_XML, hansard.COMMITTEES).interventions[0]
    assert (
        first.organization == "Standing Committee on Foreign Affairs and International Development"
    )
    assert not first.is_house
    assert first.title == "Committee Evidence - FAAE-124"
    assert first.order_of_business is None and first.subject_of_business is None
    assert first.record_url == (
        "https://www.ourcommons.ca/Content/Committee/441/FAAE/Evidence/EV13387331/FAAEEV124-E.HTM"
    )
    assert len(first.paragraphs) == 4 and first.person_id == 89156


def test_text_inside_a_paragraph_is_kept_as_words() -> None:
    items = hansard.parse_search(HOUSE_XML).interventions
    paragraph = next(p for i in items for p in i.paragraphs if "contempt their leader" in p)
    assert "<" not in paragraph


def test_interjections_are_told_apart() -> None:
    items = hansard.parse_search(COMMITTEE_XML, hansard.COMMITTEES).interventions
    items += hansard.parse_search(HOUSE_XML).interventions
    kinds = {i.intervention_type for i in items}
    assert {"Interjection", "Debate", "Question"} <= kinds
    assert any(i.is_interjection for i in items)
    assert not any(i.is_interjection for i in items if i.intervention_type != "Interjection")


def test_the_search_address_asks_for_one_member_one_kind_and_a_date_range() -> None:
    url = hansard.search_url(89156, 40017, dt.date(2023, 9, 7), dt.date(2024, 11, 11), page=2)
    assert url == (
        "https://www.ourcommons.ca/publicationsearch/en/?per=89156&pubType=40017"
        "&ParlSes=from2023-09-07to2024-11-11&RPP=1000&Page=2&xml=1"
    )


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html><body>Service unavailable</body></html>",
        b"<Results><Publications>",
        b'<Results RecordsFound="1"><Publications><Publication Id="x"/></Publications></Results>',
        b'<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><Results>&e;</Results>',
    ],
)
def test_an_unusable_answer_is_a_feed_error(body: bytes) -> None:
    with pytest.raises(FeedError):
        hansard.parse_search(body)


def test_an_answer_declaring_entities_is_refused() -> None:
    body = (
        b'<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/hostname">]>'
        b'<Results RecordsFound="1"><Publications><Publication Id="1" Date="2024-01-02">'
        b'<PublicationItems><PublicationItem Id="2" Date="2024-01-02"><XmlContent><Intervention>'
        b"<Content><ParaText>&e;</ParaText></Content></Intervention></XmlContent>"
        b"</PublicationItem></PublicationItems></Publication></Publications></Results>"
    )
    with pytest.raises(FeedError, match="DTD"):
        hansard.parse_search(body)


def _mutations() -> st.SearchStrategy[bytes]:
    sample = HOUSE_XML[:6000] + b"</Publications></Results>"
    return st.builds(
        lambda cut, junk: sample[:cut] + junk + sample[cut + len(junk) :],
        st.integers(min_value=0, max_value=len(sample)),
        st.binary(max_size=40),
    )


@settings(max_examples=200, deadline=None)
@given(_mutations())
def test_a_damaged_answer_raises_nothing_but_a_feed_error(body: bytes) -> None:
    with contextlib.suppress(FeedError):
        hansard.parse_search(body)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_raise_nothing_but_a_feed_error(body: bytes) -> None:
    with contextlib.suppress(FeedError):
        hansard.parse_search(body)
