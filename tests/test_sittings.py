"""Whether the House sat, told from the numbers of its debates: a recess between two sittings
numbered one after the other is "did not sit"; a gap in the numbers is "not known", never a
silence. The dates and numbers are those of the 44th Parliament's first session in the recorded
search answer (tests/fixtures/feeds/hansard), except where a test says it made one up."""

from __future__ import annotations

import datetime as dt

from tracker.rules.sittings import Sitting, Week, days_state, hansard_number, never_sat, periods

D = dt.date


def sat(on: dt.date, number: int, session: int = 1) -> Sitting:
    return Sitting(on, 44, session, number)


# Made up: 270 on the last day before the winter recess, so that 270 and 271 follow each other.
RECESS = [sat(D(2023, 12, 11), 265), sat(D(2023, 12, 15), 270), sat(D(2024, 1, 30), 271)]


def test_the_number_of_a_sitting_is_read_from_the_debate_s_title() -> None:
    assert hansard_number("Hansard - 368") == 368
    assert hansard_number("Hansard \u2013 12") == 12
    assert hansard_number("FAAE - 75") is None


def test_a_recess_between_consecutive_sittings_is_a_week_the_house_did_not_sit() -> None:
    assert days_state(RECESS, D(2023, 12, 18), D(2023, 12, 24)) == (Week.DID_NOT_SIT, 0)
    assert never_sat(RECESS, D(2023, 12, 18), D(2024, 1, 28))


def test_a_gap_in_the_numbers_is_not_known_rather_than_a_silence() -> None:
    gap = [sat(D(2023, 12, 11), 265), sat(D(2024, 1, 30), 271)]
    assert days_state(gap, D(2023, 12, 18), D(2023, 12, 24)) == (Week.NOT_KNOWN, 0)
    assert not never_sat(gap, D(2023, 12, 18), D(2024, 1, 28))


def test_a_new_session_s_numbering_tells_nothing_of_the_weeks_before_it() -> None:
    across = [sat(D(2023, 12, 15), 270), sat(D(2024, 1, 30), 1, session=2)]
    assert days_state(across, D(2023, 12, 18), D(2023, 12, 24))[0] is Week.NOT_KNOWN


def test_the_weeks_are_joined_while_nothing_changes_and_each_week_with_words_stands_alone() -> None:
    found = periods(RECESS, D(2023, 12, 11), D(2024, 2, 4), said_on=[D(2024, 1, 30)])
    assert [(p.start, p.end, p.state, p.sitting_days, p.said) for p in found] == [
        (D(2023, 12, 11), D(2023, 12, 17), Week.SAT, 2, 0),
        (D(2023, 12, 18), D(2024, 1, 28), Week.DID_NOT_SIT, 0, 0),
        (D(2024, 1, 29), D(2024, 2, 4), Week.SAT, 1, 1),
    ]


def test_a_letter_sent_mid_week_counts_only_the_sittings_after_it() -> None:
    found = periods(RECESS, D(2023, 12, 12), D(2023, 12, 17))
    assert [(p.state, p.sitting_days) for p in found] == [(Week.SAT, 1)]
