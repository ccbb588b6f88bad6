"""The month calendar's days and the next missing day, by hand (diary.entries.calendar)."""

from datetime import date

from diary.entries.calendar import (
    BEFORE_START, FUTURE, LOGGED, MISSING, TODAY, CalendarDay, diary_start, month_weeks, next_missing,
)

NOV = date(2026, 11, 1)  # a Sunday: the first week holds six days of October's end


def d(day: int, month: int = 11) -> date:
    return date(2026, month, day)


def test_weeks_start_on_monday_and_pad_with_the_neighbouring_months_as_none():
    weeks = month_weeks(NOV, {}, set(), today=d(30), start=d(1, 1))
    assert len(weeks) == 6 and all(len(week) == 7 for week in weeks)
    assert weeks[0][:6] == [None] * 6 and weeks[0][6].day == d(1)
    assert weeks[-1][0].day == d(30) and weeks[-1][1:] == [None] * 6


def test_each_day_is_logged_missing_today_future_or_before_the_diary_began():
    weeks = month_weeks(NOV, {d(2): 5, d(4): 9}, {d(4)}, today=d(6), start=d(3))
    days = {cell.day.day: cell for week in weeks for cell in week if cell}
    assert days[1].state == BEFORE_START
    assert (days[2].state, days[2].pain_avg, days[2].band) == (LOGGED, 5, "4-5")  # logged before start counts
    assert days[3].state == MISSING and days[5].state == MISSING
    assert (days[4].state, days[4].infusion, days[4].band) == (LOGGED, True, "8-10")
    assert days[6].state == TODAY and days[7].state == FUTURE


def test_pain_bands_cover_0_to_10():
    bands = [CalendarDay(d(1), LOGGED, pain).band for pain in range(11)]
    assert bands == ["0-1"] * 2 + ["2-3"] * 2 + ["4-5"] * 2 + ["6-7"] * 2 + ["8-10"] * 3


def test_the_diary_begins_with_the_account_unless_a_log_or_a_before_window_is_earlier():
    assert diary_start(d(20), None, []) == d(20)
    assert diary_start(d(20), d(15), []) == d(15)
    assert diary_start(d(20), d(15), [d(1)]) == d(1)  # joined after an infusion: its before window


def test_the_next_missing_day_is_the_first_later_one_up_to_yesterday():
    logged = {d(n) for n in (1, 2, 4, 6)}
    assert next_missing(d(2), logged, today=d(10), start=d(1)) == d(3)
    assert next_missing(d(3), logged | {d(3)}, today=d(10), start=d(1)) == d(5)


def test_with_no_later_missing_day_it_goes_back_to_the_latest_earlier_one():
    logged = {d(n) for n in range(1, 10)} - {d(3), d(5)}
    assert next_missing(d(9), logged, today=d(10), start=d(1)) == d(5)


def test_today_is_never_offered_and_nothing_before_the_diary_began():
    logged = {d(n) for n in range(5, 10)}
    assert next_missing(d(9), logged, today=d(10), start=d(5)) is None
    assert next_missing(d(7), logged, today=d(10), start=d(4)) == d(4)
