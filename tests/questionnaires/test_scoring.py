"""PHQ-9 and GAD-7 scoring and the windows around a series, on hand-computed cases."""

from datetime import date, datetime, timedelta, timezone

import pytest

from diary.days import today_in
from diary.questionnaires.items import GAD7, PHQ9, QUESTIONNAIRES
from diary.questionnaires.scoring import (
    Answered, Span, around_each_series, around_series, band, due, needs_safety_page, safety_flags,
    total,
)

FIRST, LAST = date(2026, 3, 2), date(2026, 3, 13)  # a series: first and last infusion days
SERIES = Span(1, FIRST, LAST)
_ids = iter(range(1, 10_000))


def phq9(day: date, score: int, item_9: int = 0) -> Answered:
    """A complete PHQ-9 of ``score`` points (spread over items 1-8) answered on ``day``."""
    answers = [0] * 9
    rest = score - item_9
    for index in range(8):
        answers[index] = min(3, rest)
        rest -= answers[index]
    assert rest == 0, "score too high for items 1-8"
    answers[8] = item_9
    return Answered(next(_ids), PHQ9, day, tuple(answers))


def gad7(day: date, score: int) -> Answered:
    answers, rest = [], score
    for _ in range(7):
        answers.append(min(3, rest))
        rest -= answers[-1]
    return Answered(next(_ids), GAD7, day, tuple(answers))


def days(offset: int, from_day: date) -> date:
    return from_day + timedelta(days=offset)


# --- Scores and bands ---------------------------------------------------------------------------

def test_the_published_items_and_counts():
    assert len(QUESTIONNAIRES[PHQ9].items) == 9 and QUESTIONNAIRES[PHQ9].maximum == 27
    assert len(QUESTIONNAIRES[GAD7].items) == 7 and QUESTIONNAIRES[GAD7].maximum == 21
    assert QUESTIONNAIRES[PHQ9].items[8] == ("Thoughts that you would be better off dead or of "
                                             "hurting yourself in some way")


@pytest.mark.parametrize("score, expected", [
    (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
    (15, "moderately severe"), (19, "moderately severe"), (20, "severe"), (27, "severe")])
def test_phq9_bands_at_every_edge(score, expected):
    assert band(PHQ9, score) == expected


@pytest.mark.parametrize("score, expected", [
    (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
    (15, "severe"), (21, "severe")])
def test_gad7_bands_at_every_edge(score, expected):
    assert band(GAD7, score) == expected


def test_a_total_above_the_maximum_has_no_band():
    with pytest.raises(ValueError):
        band(GAD7, 22)


def test_the_total_is_the_sum_of_the_answers():
    assert total(PHQ9, (3, 3, 3, 3, 3, 3, 3, 3, 3)) == 27
    assert total(GAD7, (1, 2, 0, 3, 1, 0, 2)) == 9


def test_an_unanswered_item_leaves_the_questionnaire_incomplete_never_scored_as_zero():
    answered = Answered(1, PHQ9, FIRST, (1, 1, 1, 1, 1, 1, 1, 1, None))
    assert answered.total is None and not answered.complete and answered.band == "incomplete"
    assert total(GAD7, (0, 0, 0, 0, 0, 0)) is None  # six answers for seven items


@pytest.mark.parametrize("item_9, shown", [(0, False), (1, True), (2, True), (3, True), (None, False)])
def test_the_safety_page_follows_any_answer_but_not_at_all_to_phq9_item_9(item_9, shown):
    assert needs_safety_page(PHQ9, (0,) * 8 + (item_9,)) is shown


def test_an_incomplete_phq9_with_item_9_answered_still_needs_the_safety_page():
    assert needs_safety_page(PHQ9, (None,) * 8 + (1,))


def test_gad7_never_needs_the_safety_page():
    assert not needs_safety_page(GAD7, (3,) * 7)


# --- Windows around a series --------------------------------------------------------------------

def test_before_and_after_with_change_response_and_remission():
    result = around_series(SERIES, PHQ9, [phq9(days(-3, FIRST), 16), phq9(days(5, LAST), 4)], [SERIES])
    assert (result.before.total, result.after.total) == (16, 4)
    assert (result.before.band, result.after.band) == ("moderately severe", "minimal")
    assert (result.change, result.response, result.remission) == (-12, "yes", "yes")


def test_a_fall_of_exactly_half_is_a_response():
    result = around_series(SERIES, PHQ9, [phq9(days(-1, FIRST), 10), phq9(days(1, LAST), 5)], [SERIES])
    assert result.change == -5 and result.response == "yes"


def test_a_fall_just_short_of_half_is_no_response():
    # 11 -> 6: a fall of 5, and 2 x 5 = 10 < 11 (45 %)
    result = around_series(SERIES, PHQ9, [phq9(days(-1, FIRST), 11), phq9(days(1, LAST), 6)], [SERIES])
    assert result.response == "no"


def test_after_score_5_is_not_remission_and_4_is():
    for after, remission in ((5, "no"), (4, "yes")):
        result = around_series(SERIES, PHQ9, [phq9(days(-1, FIRST), 12), phq9(days(1, LAST), after)],
                               [SERIES])
        assert result.remission == remission


def test_a_before_score_of_0_has_no_response_but_can_be_remission():
    result = around_series(SERIES, PHQ9, [phq9(days(-1, FIRST), 0), phq9(days(1, LAST), 0)], [SERIES])
    assert (result.change, result.response, result.remission) == (0, "n/a", "yes")


def test_a_rise_is_a_positive_change_and_no_response():
    result = around_series(SERIES, PHQ9, [phq9(days(-1, FIRST), 6), phq9(days(1, LAST), 9)], [SERIES])
    assert (result.change, result.response, result.remission) == (3, "no", "no")


def test_gad7_has_change_and_bands_but_no_response_or_remission():
    result = around_series(SERIES, GAD7, [gad7(days(-2, FIRST), 15), gad7(days(2, LAST), 4)], [SERIES])
    assert (result.change, result.before.band, result.after.band) == (-11, "severe", "minimal")
    assert result.response is None and result.remission is None


def test_questionnaires_on_the_first_and_last_infusion_days_count_for_neither_window():
    result = around_series(SERIES, PHQ9, [phq9(FIRST, 10), phq9(LAST, 3)], [SERIES])
    assert result.before is None and result.after is None and not result.enough_data
    assert result.change is None and result.response is None and result.remission is None


def test_day_first_minus_28_counts_and_first_minus_29_does_not():
    inside = around_series(SERIES, PHQ9, [phq9(days(-28, FIRST), 10)], [SERIES])
    outside = around_series(SERIES, PHQ9, [phq9(days(-29, FIRST), 10)], [SERIES])
    assert inside.before.total == 10 and outside.before is None


def test_day_last_plus_28_counts_and_last_plus_29_does_not():
    inside = around_series(SERIES, PHQ9, [phq9(days(28, LAST), 10)], [SERIES])
    outside = around_series(SERIES, PHQ9, [phq9(days(29, LAST), 10)], [SERIES])
    assert inside.after.total == 10 and outside.after is None


def test_none_in_a_window_is_not_enough_data():
    result = around_series(SERIES, PHQ9, [phq9(days(-5, FIRST), 10)], [SERIES])
    assert result.before.total == 10 and result.after is None
    assert not result.enough_data and result.change is None


def test_two_in_a_window_take_the_latest_before_and_the_first_after():
    answered = [phq9(days(-20, FIRST), 18), phq9(days(-4, FIRST), 14),
                phq9(days(3, LAST), 7), phq9(days(17, LAST), 2)]
    result = around_series(SERIES, PHQ9, answered, [SERIES])
    assert (result.before.total, result.after.total, result.change) == (14, 7, -7)


def test_an_incomplete_questionnaire_is_skipped_for_the_one_before_it():
    incomplete = Answered(next(_ids), PHQ9, days(-1, FIRST), (0,) * 8 + (None,))
    result = around_series(SERIES, PHQ9, [phq9(days(-9, FIRST), 12), incomplete], [SERIES])
    assert result.before.total == 12


def test_a_questionnaire_inside_another_series_counts_for_no_window():
    other = Span(2, days(5, LAST), days(8, LAST))  # a second series starting 5 days after
    answered = [phq9(days(6, LAST), 3), phq9(days(10, LAST), 8)]
    result = around_series(SERIES, PHQ9, answered, [SERIES, other])
    assert result.after.total == 8  # the one on day last + 6 lies inside the other series


def test_the_other_kind_is_not_mixed_in():
    result = around_series(SERIES, GAD7, [phq9(days(-1, FIRST), 10), phq9(days(1, LAST), 2)], [SERIES])
    assert result.before is None and result.after is None


def test_an_evening_answer_lands_on_the_local_day_not_the_utc_one():
    # 21:30 in Los Angeles (daylight time) on last + 28 is already 04:30 UTC on last + 29.
    answered_at = datetime(2026, 4, 11, 4, 30, tzinfo=timezone.utc)
    local_day = today_in("America/Los_Angeles", answered_at)
    assert local_day == days(28, LAST) and answered_at.date() == days(29, LAST)
    result = around_series(SERIES, PHQ9, [phq9(local_day, 6)], [SERIES])
    assert result.after.total == 6


# --- When they are due --------------------------------------------------------------------------

def test_never_answered_is_due_at_once():
    assert due({PHQ9: None, GAD7: None}, FIRST, 14) == [PHQ9, GAD7]


def test_due_again_after_the_interval_and_not_before():
    today = date(2026, 3, 15)
    assert due({PHQ9: days(-14, today), GAD7: days(-13, today)}, today, 14) == [PHQ9]


def test_answered_today_is_not_due_again_today_even_with_the_shortest_interval():
    assert due({PHQ9: FIRST, GAD7: FIRST}, FIRST, 7) == []


def test_turned_off_is_never_due():
    assert due({PHQ9: None, GAD7: None}, FIRST, None) == []


# --- Every series at once -----------------------------------------------------------------------

class Series:
    """Stands in for diary.trends.history.SeriesRecord: an id and the first and last infusion days."""

    def __init__(self, id, first_day, last_day):
        self.id, self.first_day, self.last_day = id, first_day, last_day


def test_around_each_series_gives_phq9_and_gad7_for_every_series_with_infusions():
    second = Series(2, days(40, LAST), days(45, LAST))
    answered = [phq9(days(-2, FIRST), 12), gad7(days(-2, FIRST), 8), phq9(days(2, LAST), 6),
                phq9(days(30, LAST), 7), phq9(days(50, LAST), 3)]
    results = around_each_series([Series(1, FIRST, LAST), second, Series(3, None, None)], answered)
    assert sorted(results) == [1, 2]
    phq, gad = results[1]
    assert (phq.kind, phq.change, phq.response, gad.kind, gad.enough_data) == ("phq9", -6, "yes", "gad7", False)
    assert (results[2][0].before.total, results[2][0].after.total) == (7, 3)


def test_safety_flags_are_listed_newest_first():
    flagged = [phq9(days(-9, FIRST), 5, item_9=1), phq9(days(-2, FIRST), 6, item_9=2)]
    assert [item.day for item in safety_flags([*flagged, phq9(FIRST, 3)])] == [days(-2, FIRST), days(-9, FIRST)]
