"""Rules 1-4: the before and after windows, days dropped inside other series, provisional."""

from diary.trends.analysis import analyse
from diary.trends.windows import after_window, before_window, spans_of

from tests.trends.builders import day, history, pain_entries, series


def days(first: int, last: int):
    return tuple(day(offset) for offset in range(first, last + 1))


def test_windows_are_the_14_days_either_side_and_infusion_days_are_in_neither():
    result = analyse(history(all_series=[series(1, 0, 2, 4)])).series[0]
    assert result.before.days == days(-14, -1)
    assert result.after.days == days(5, 18)
    assert result.before.dropped == result.after.dropped == ()


def test_window_lengths_follow_the_patients_settings():
    result = analyse(history(all_series=[series(1, 0)], before_days=7, after_days=28)).series[0]
    assert result.before.days == days(-7, -1)
    assert result.after.days == days(1, 28)


def test_days_inside_a_nearby_series_are_dropped_including_days_between_its_infusions():
    first, second = series(1, 0, 4), series(2, 10, 13)
    spans = spans_of((first, second))
    after_first = after_window(spans[0], spans, 14, day(100))
    assert after_first.start == day(5) and after_first.end == day(18)  # not extended
    assert after_first.dropped == days(10, 13)  # 11 and 12 lie between the infusions
    assert after_first.days == days(5, 9) + days(14, 18)
    before_second = before_window(spans[1], spans, 14, day(100))
    assert before_second.dropped == days(0, 4)
    assert before_second.days == days(-4, -1) + days(5, 9)


def test_a_day_outside_every_series_serves_as_after_day_and_next_before_day():
    entries = pain_entries(5, [6, 6, 6, 6, 6])  # days 5..9 only
    trends = analyse(history(entries=entries, all_series=[series(1, 0, 4), series(2, 10, 13)],
                             before_days=14, after_days=5))
    first, second = trends.series
    assert first.after.days == days(5, 9)
    assert set(first.after.days) < set(second.before.days)
    assert first.pain.after.mean == 6 and first.pain.after.logged == 5
    # 5 of the second series' 9 eligible before days are logged: enough (rule 5).
    assert (second.pain.before.logged, second.pain.before.eligible) == (5, 9)
    assert second.pain.before.mean == 6


def test_series_are_ordered_by_first_infusion_whatever_order_they_come_in():
    trends = analyse(history(all_series=[series(2, 30), series(1, 0)]))
    assert [item.series.id for item in trends.series] == [1, 2]


def test_a_series_without_infusions_waits_and_has_no_windows():
    trends = analyse(history(all_series=[series(1, 0), series(2)]))
    assert [item.series.id for item in trends.series] == [1]
    assert [item.id for item in trends.waiting] == [2]


def test_after_window_still_running_is_provisional_and_says_when_it_ends():
    result = analyse(history(today=5, all_series=[series(1, 0)])).series[0]
    assert result.provisional
    assert result.provisional_text == "Provisional: the after window ends on Thursday 15 January 2026"


def test_provisional_up_to_and_including_the_last_window_day_then_final():
    assert analyse(history(today=14, all_series=[series(1, 0)])).series[0].provisional
    final = analyse(history(today=15, all_series=[series(1, 0)])).series[0]
    assert not final.provisional and final.provisional_text == ""


def test_days_after_today_stay_in_the_window_unlogged():
    entries = pain_entries(-14, [8] * 14) | pain_entries(1, [4] * 20)  # 6..20 lie in the future
    result = analyse(history(today=5, entries=entries, all_series=[series(1, 0)])).series[0]
    assert (result.pain.after.logged, result.pain.after.eligible) == (5, 14)
    assert result.pain.after.status == "not enough data (5 of 14 days logged)"
