"""What an open window still needs: hand-computed cases, edges included.

One series with a single infusion on day 0 (1 January 2026): the before window is days -14..-1,
the after window days 1..14 (2..15 January). Rule 5: a window of 14 days needs 7 logged.
"""

from datetime import date
from diary.trends.analysis import analyse
from diary.trends.history import DayEntry
from diary.trends.still_needed import all_still_needed

from tests.trends.builders import day, history, series

DETAIL = {"pain_worst": 6, "interference_enjoyment": 5, "interference_activity": 5, "mood": 4,
          "sleep_quality": 4}


def logged(offsets, detail=()) -> dict:
    """Quick-log entries (pain 6) on ``offsets``; the detail form too on ``detail``."""
    return {day(n): DayEntry(day=day(n), pain_avg=6, **(DETAIL if n in detail else {}))
            for n in offsets}


FULL_BEFORE = logged(range(-14, 0), detail=range(-14, 0))


def needed(today: int, entries: dict, mme=None, records_medications=False, name="Autumn"):
    trends = analyse(history(today, entries, [series(1, 0, name=name)], mme=mme))
    return all_still_needed(trends, records_medications)


def test_eleven_of_fourteen_days_mostly_quick_asks_for_the_detail_form_on_two_more_days():
    # The "What was found" patient: 11 logged, 5 of them with detail; the window ends in 2 days.
    after = logged([1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12], detail=[1, 2, 3, 4, 5])
    (item,) = needed(12, {**FULL_BEFORE, **after})
    assert (item.kind, item.by, item.days, item.detail_days) == ("after", date(2026, 1, 15), 0, 2)
    assert item.text == ("Add the detail form to 2 more days by 15 January (days you already "
                         "logged count too), to see PEG, worst pain, mood and sleep quality for "
                         "the Autumn series.")


def test_three_days_short_with_detail_on_each_logged_day():
    after = logged([1, 2, 3, 4], detail=[1, 2, 3, 4])
    (item,) = needed(5, {**FULL_BEFORE, **after})
    assert (item.days, item.detail_days, item.missed_days) == (3, 3, 0)
    assert item.text == ("Log 3 more days by 15 January, with the detail form on at least 3, "
                         "to see the Autumn series' result.")


def test_more_detail_than_new_days_says_logged_days_count_too():
    after = logged([1, 2, 3, 4, 5], detail=[1, 2])  # pain needs 2 more, detail 5 more
    (item,) = needed(6, {**FULL_BEFORE, **after}, name="Spring 2026 series")
    assert item.text == ("Log 2 more days by 15 January, with the detail form on at least 5 (days "
                         "you already logged count too), to see the Spring 2026 series' result.")


def test_exactly_seven_of_fourteen_is_enough_and_asks_for_nothing():
    after = logged(range(1, 8), detail=range(1, 8))
    assert needed(8, {**FULL_BEFORE, **after}) == ()


def test_six_of_fourteen_asks_for_one_more_day():
    after = logged(range(1, 7), detail=range(1, 7))
    (item,) = needed(8, {**FULL_BEFORE, **after})
    assert (item.days, item.detail_days) == (1, 1)


def test_a_window_ending_today_says_by_today():
    after = logged(range(1, 7), detail=range(1, 7))  # 6 logged, days 7..13 missed
    (item,) = needed(14, {**FULL_BEFORE, **after})
    assert item.by == day(14) and item.missed_days == 0  # today itself is still to log
    assert item.text.startswith("Log 1 more day by today, with the detail form on at least 1,")


def test_when_fewer_days_are_left_than_needed_it_says_to_fill_in_missed_days():
    after = logged(range(1, 6), detail=range(1, 6))  # 5 logged: 2 more, only today is left
    (item,) = needed(14, {**FULL_BEFORE, **after})
    assert (item.days, item.missed_days) == (2, 1)
    assert item.text == ("Log 2 more days by today, with the detail form on at least 2; only 1 day "
                         "is still to come, so fill in 1 missed day from the History calendar, to "
                         "see the Autumn series' result.")


def test_a_window_that_has_ended_cannot_be_completed_and_says_nothing():
    after = logged(range(1, 4))
    assert needed(15, {**FULL_BEFORE, **after}) == ()


def test_a_before_window_without_enough_pain_means_no_result_so_the_after_window_says_nothing():
    before = logged(range(-14, -8))  # 6 of 14: the before window has ended without enough
    assert needed(5, {**before, **logged([1, 2])}) == ()


def test_measures_whose_before_window_lacks_detail_are_left_out():
    before = logged(range(-14, 0), detail=range(-14, -10))  # pain enough, detail 4 of 14
    (item,) = needed(5, {**before, **logged([1, 2, 3, 4])})
    assert (item.days, item.detail_days) == (3, 0)
    assert item.text == "Log 3 more days by 15 January, to see the Autumn series' result."


def test_medications_are_asked_for_only_from_a_patient_who_records_them():
    after = logged(range(1, 8), detail=range(1, 8))  # every diary measure has enough
    mme = {n: 0 for n in range(-14, 0)} | {1: 30, 2: 30}
    assert needed(8, {**FULL_BEFORE, **after}, mme=mme, records_medications=False) == ()
    (item,) = needed(8, {**FULL_BEFORE, **after}, mme=mme, records_medications=True)
    assert (item.days, item.detail_days, item.medication_days) == (0, 0, 5)
    assert item.text == ("Record your medications on 5 more days by 15 January, to see opioid use "
                         "for the Autumn series.")


def test_a_day_with_an_opioid_without_a_factor_asks_for_no_medication_days():
    after = logged(range(1, 8), detail=range(1, 8))
    mme = {n: 0 for n in range(-14, 0)} | {1: None}
    assert needed(8, {**FULL_BEFORE, **after}, mme=mme, records_medications=True) == ()


def test_a_window_whose_days_are_all_inside_another_series_says_nothing():
    # Series 2 covers days 1..14, all of series 1's after window; series 2's own after window
    # (days 15..28) is open and asks for days.
    trends = analyse(history(5, FULL_BEFORE, [series(1, 0), series(2, 1, 14)]))
    assert trends.series[0].after.eligible == 0
    assert [item.series_name for item in all_still_needed(trends, False)] == ["Series 2"]


def test_the_year_is_written_when_the_window_ends_in_another_year():
    # The infusion on 25 December 2025 (day -7); today is 26 December.
    entries = logged(range(-21, -7), detail=range(-21, -7))
    (item,) = all_still_needed(analyse(history(-6, entries, [series(1, -7)])), False)
    assert item.by == date(2026, 1, 8)
    assert item.text.startswith("Log 7 more days by 8 January 2026,")
