"""Rules 5-9: enough data, means, change, percent and the IMMPACT class of average pain."""

from fractions import Fraction

import pytest

from diary.trends.analysis import analyse
from diary.trends.display import change_text, mean_text, percent_text
from diary.trends.outcomes import has_enough, result_class

from tests.trends.builders import one_series

# (name, before values, after values, before mean, after mean, exact percent, class)
RESPONDERS = [
    ("50 % responder", [8] * 14, [4] * 14, 8, 4, -50, "substantial"),
    ("30 % responder", [10] * 14, [7] * 14, 10, 7, -30, "moderate"),
    ("7.0 to 4.9 is exactly -30 %", [7] * 14, [5] * 9 + [4] + [None] * 4,
     7, Fraction(49, 10), -30, "moderate"),
    ("minimal", [8] * 14, [6] * 7 + [7] * 7, 8, Fraction(13, 2), Fraction(-75, 4), "minimal"),
    ("exactly -10 % is minimal", [10] * 14, [9] * 14, 10, 9, -10, "minimal"),
    ("just above -10 % is no meaningful change", [10] * 14, [9] * 13 + [10],
     10, Fraction(127, 14), Fraction(-65, 7), "no meaningful change"),
    ("no change", [6] * 14, [6] * 14, 6, 6, 0, "no meaningful change"),
    ("just below +10 % is no meaningful change", [5] * 14, [5] * 8 + [6] * 6,
     5, Fraction(38, 7), Fraction(60, 7), "no meaningful change"),
    ("exactly +10 % is worse", [5] * 14, [5] * 7 + [6] * 7, 5, Fraction(11, 2), 10, "worse"),
    ("worse", [4] * 14, [6] * 14, 4, 6, 50, "worse"),
    ("just above -50 % is moderate", [10] * 14, [5] * 13 + [6],
     10, Fraction(71, 14), Fraction(-345, 7), "moderate"),
    ("just above -30 % is minimal", [10] * 14, [7] * 13 + [8],
     10, Fraction(99, 14), Fraction(-205, 7), "minimal"),
]


@pytest.mark.parametrize("name, before, after, before_mean, after_mean, percent, klass", RESPONDERS,
                         ids=[row[0] for row in RESPONDERS])
def test_average_pain_class(name, before, after, before_mean, after_mean, percent, klass):
    pain = analyse(one_series(before, after)).series[0].pain
    assert pain.before.mean == before_mean and pain.after.mean == after_mean
    assert pain.change == Fraction(after_mean) - before_mean
    assert pain.percent == percent
    assert isinstance(pain.percent, Fraction)
    assert pain.result_class == klass


def test_seven_to_four_point_nine_is_moderate_where_float_arithmetic_says_minimal():
    assert (4.9 - 7.0) / 7.0 * 100 != -30  # the trap rule 8 is about
    assert result_class(Fraction(-30)) == "moderate"
    pain = analyse(one_series([7] * 14, [5] * 9 + [4] + [None] * 4)).series[0].pain
    assert (mean_text(pain.before.mean), mean_text(pain.after.mean)) == ("7.0", "4.9")
    assert change_text(pain.change) == "\u22122.1" and percent_text(pain.percent) == "\u221230 %"
    assert pain.class_words == "moderate improvement"


@pytest.mark.parametrize("logged, eligible, enough", [
    (7, 14, True), (6, 14, False), (4, 7, True), (3, 7, False), (5, 9, True), (4, 9, False),
    (14, 14, True), (0, 0, False), (1, 1, True), (1, 2, True), (0, 14, False),
])
def test_enough_data_is_at_least_half_of_the_eligible_days(logged, eligible, enough):
    assert has_enough(logged, eligible) is enough


def test_six_of_fourteen_days_shows_no_number_and_says_why():
    pain = analyse(one_series([8] * 14, [4] * 6 + [None] * 8)).series[0].pain
    assert pain.after.mean is None and pain.change is None and pain.result_class is None
    assert pain.after.status == "not enough data (6 of 14 days logged)"


def test_seven_of_fourteen_days_is_enough_and_the_mean_uses_logged_days_only():
    pain = analyse(one_series([8] * 14, [None, 4, None, 4, None, 4, None, 4, None, 4, None, 4, None, 5]
                              )).series[0].pain
    assert (pain.after.logged, pain.after.eligible) == (7, 14)
    assert pain.after.mean == Fraction(29, 7)  # no imputation, no carrying forward
    assert pain.after.status == ""


def test_zero_before_mean_gives_percent_na_no_class_and_no_durability():
    result = analyse(one_series([0] * 14, [2] * 14)).series[0]
    assert result.pain.change == 2 and result.pain.percent is None
    assert result.pain.percent_not_applicable
    assert percent_text(result.pain.percent) == "n/a"
    assert result.result_class is None and result.durability is None


def test_a_window_wholly_inside_another_series_says_so():
    from tests.trends.builders import history, series
    result = analyse(history(all_series=[series(1, 0, 20), series(2, 21, 40)], after_days=7)).series[0]
    assert result.after.eligible == 0
    assert result.pain.after.status == "no days left in this window: another series covers them all"
