"""Rules 11-13: how long relief lasted, only for a moderate or substantial series."""

from fractions import Fraction

from diary.trends.analysis import analyse
from diary.trends.durability import trailing_mean

from tests.trends.builders import day, history, one_series, pain_entries, series


def test_lost_on_the_first_day_the_trailing_mean_exceeds_70_percent_not_when_it_equals_it():
    # Before mean 10, so relief is lost above 7. Trailing means (days 1..d, at most 7):
    # d=7: 4, d=8: 5, d=9: 6, d=10: 7 (equal: kept), d=11: 8 (lost).
    result = analyse(one_series([10] * 14, [3] * 6 + [10] * 8)).series[0]
    assert result.pain.after.mean == 7 and result.result_class == "moderate"
    values = analyse(one_series([10] * 14, [3] * 6 + [10] * 8)).daily["pain_avg"].values
    assert trailing_mean(values, day(10), not_before=day(1)) == 7
    lasting = result.durability
    assert lasting.state == "lost" and lasting.loss_day == day(11)
    assert lasting.days == 10 and lasting.text == "relief lasted 10 days"  # 11 - 0 - 1


def test_trailing_days_before_the_series_never_count():
    values = analyse(one_series([10] * 14, [2] * 3)).daily["pain_avg"].values
    assert trailing_mean(values, day(3), not_before=day(1)) is None  # only 3 logged after day 0
    assert trailing_mean(values, day(3)) == Fraction(10 + 10 + 10 + 2 + 2 + 2, 6)


def test_days_with_fewer_than_4_logged_are_skipped_and_a_gap_does_not_hide_a_loss():
    # Days 1-5 at 2, days 6-12 unlogged, then 9 from day 13. Day 8 is the last evaluated day
    # before the gap (days 2..5 logged); days 9..15 have under 4 logged; day 16 has 13..16: 9 > 7.
    after = [2] * 5 + [None] * 7 + [9] * 8
    result = analyse(one_series([10] * 14, after)).series[0]
    assert result.result_class == "substantial"  # after: (5*2 + 2*9) / 7 = 4, -60 %
    assert result.durability.loss_day == day(16)
    assert result.durability.text == "relief lasted 15 days"


def test_still_holding_counts_only_to_the_last_logged_evaluated_day():
    # Days 1-7 logged at 2, nothing since; today is day 40. Days 8..10 are still evaluated (4+
    # logged in their 7) but have no entry, so the follow-up the data supports ends on day 7.
    result = analyse(one_series([10] * 14, [2] * 7, today=40)).series[0]
    assert result.durability.state == "holding"
    assert result.durability.days == 7
    assert result.durability.text == "still ≥ 30 % better after 7 days"
    assert result.durability.stopped_by == "today"


def test_the_scan_stops_at_today():
    entries = pain_entries(-14, [10] * 14) | pain_entries(1, [2] * 10)
    result = analyse(history(today=10, entries=entries, all_series=[series(1, 0)])).series[0]
    assert result.provisional and result.durability.days == 10


def test_cut_off_by_the_next_series_before_any_loss():
    # Relief holds on days 1..19; the next series starts on day 20 and pain after it is high.
    entries = pain_entries(-14, [10] * 14) | pain_entries(1, [2] * 19 + [9] * 20)
    trends = analyse(history(today=60, entries=entries, all_series=[series(1, 0), series(2, 20, 22)]))
    lasting = trends.series[0].durability
    assert lasting.state == "holding" and lasting.days == 19
    assert lasting.scan_end == day(19) and lasting.stopped_by == "next series"


def test_no_evaluated_day_says_it_cannot_tell():
    # The next series begins on day 3, so the scan sees days 1-2 only, yet the after window
    # (days 1..14 without 3..5) has enough data for a class.
    entries = pain_entries(-14, [10] * 14) | pain_entries(1, [2, 2, None, None, None] + [2] * 9)
    trends = analyse(history(today=60, entries=entries, all_series=[series(1, 0), series(2, 3, 5)]))
    result = trends.series[0]
    assert result.result_class == "substantial"
    assert result.durability.state == "unknown"
    assert result.durability.text == "not enough data to tell how long relief lasted"


def test_only_moderate_or_substantial_series_get_a_durability():
    for after, expected in (([4] * 14, True), ([7] * 14, True), ([8] * 14, False),
                            ([10] * 14, False)):
        result = analyse(one_series([10] * 14, after)).series[0]
        assert (result.durability is not None) is expected, after
