"""An intervention is on the letter's subject when it holds one of the campaign's words, whole,
whatever its accents and case, in English or in French."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from importers import hansard
from tests.feeds import HANSARD
from tracker.operations.demo import SUBJECT_WORDS_EN, SUBJECT_WORDS_FR
from tracker.rules.subject_words import SubjectWords, _folded_with_positions, fold, marked

DEMO = SubjectWords(SUBJECT_WORDS_EN + SUBJECT_WORDS_FR)


def test_french_words_are_found_without_their_accents_and_in_any_case() -> None:
    text = "Le conflit au HAUT KARABAKH et l'ARMENIE; les Azerbaidjanais."
    assert DEMO.found_in([text]) == ["Haut-Karabakh", "Arménie", "azerbaïdjanais"]


def test_english_words_are_found_whole_only() -> None:
    assert DEMO.found_in(["The people of armenia and Nagorno\u2013Karabakh"]) == [
        "Armenia",
        "Nagorno-Karabakh",
    ]
    assert DEMO.found_in(["Armeniaville, Lachines and Karabakhi"]) == []
    assert SubjectWords(("Armenia",)).found_in(["Armenian diaspora"]) == []


def test_the_subject_s_words_are_marked_where_they_stand() -> None:
    text = "Canada's ties with Armenia matter."
    assert marked(text, DEMO.spans(text)) == [
        ("Canada's ties with ", False),
        ("Armenia", True),
        (" matter.", False),
    ]


def test_an_index_term_picked_for_the_campaign_matches_by_its_id() -> None:
    subject = SubjectWords(("Lachin",), frozenset({66666}))
    assert subject.matches(["nothing here"], [66666]) == ["#66666"]
    assert subject.matches(["nothing here"], [1]) == []


def test_the_real_committee_record_is_on_the_subject_by_its_words_or_its_index_terms() -> None:
    items = hansard.read_member(HANSARD, 89156, 40017) or []
    by_words = {i.spoken_on.isoformat() for i in items if DEMO.found_in(i.paragraphs)}
    assert by_words == {"2022-09-28", "2023-10-30"}
    by_terms = {i.spoken_on.isoformat() for i in items if DEMO.found_in([t.text for t in i.terms])}
    assert {"2023-01-18", "2024-02-28"} <= by_terms


@given(
    st.sampled_from(SUBJECT_WORDS_EN + SUBJECT_WORDS_FR),
    st.sampled_from(["", " ", "(", "« ", "l'"]),
    st.sampled_from(["", ".", " ", ",", " »"]),
    st.booleans(),
)
def test_a_subject_word_is_found_in_any_case_with_or_without_accents(
    word: str, before: str, after: str, upper: bool
) -> None:
    shown = fold(word) if upper else word
    shown = shown.upper() if upper else shown
    found = DEMO.found_in([f"{before}{shown}{after}"])
    assert [fold(w) for w in found] == [fold(word)]


def _slow_spans(subject: SubjectWords, text: str) -> list[tuple[int, int]]:
    """The spans found by folding character by character, with no shortcut."""
    folded, where = _folded_with_positions(text)
    pattern = subject._pattern  # type: ignore[attr-defined]
    return [(where[m.start()], where[m.end() - 1] + 1) for m in pattern.finditer(folded)]


@given(
    st.lists(
        st.one_of(
            st.sampled_from(SUBJECT_WORDS_EN + SUBJECT_WORDS_FR),
            st.sampled_from(["ARMÉNIE", "Straße", "ﬁn", "l\u2019Arménie", "Ǆ", " ", "-", "\u0301"]),
            st.text(max_size=6),
        ),
        max_size=8,
    )
)
def test_the_quick_reading_finds_what_the_careful_one_finds(pieces: list[str]) -> None:
    text = " ".join(pieces)
    assert DEMO.spans(text) == _slow_spans(DEMO, text)
