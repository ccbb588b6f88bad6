"""The month calendar of History: each day's state, and which missing day to offer next. Pure.

A day is one of:
- "logged": its average pain is shown as a number and a colour band (never the colour alone);
- "missing": a past day of the diary with nothing logged; it stands out and opens the compact
  backfill;
- "today": not logged yet, but the day is not over ("Log today" is for it);
- "future": after today; nothing can be logged for it yet;
- "before start": before the diary began. The diary begins on the earliest of the day the account
  was made, the first logged day and the first day of any series' before window: a patient who
  joins after an infusion can fill in the days its before window needs, while the years before
  are not flagged as missing. Such days are shown plain, without a backfill link (the full "Log
  a past day" form still takes them, for someone copying an old paper diary).
Days of the neighbouring months that fill the first and last week are None.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from diary.days import month_days

LOGGED, MISSING, TODAY, FUTURE, BEFORE_START = "logged", "missing", "today", "future", "before start"


@dataclass(frozen=True)
class CalendarDay:
    day: date
    state: str
    pain_avg: int | None = None  # when logged
    infusion: bool = False

    @property
    def band(self) -> str:
        """The colour band of the day's pain: "0-1", "2-3", "4-5", "6-7", "8-10", or ""."""
        if self.pain_avg is None:
            return ""
        return ("0-1", "0-1", "2-3", "2-3", "4-5", "4-5", "6-7", "6-7", "8-10", "8-10",
                "8-10")[self.pain_avg]


def diary_start(account_made: date, first_logged: date | None, window_starts) -> date:
    """The first day the calendar expects a log for (see the module's docstring)."""
    return min([account_made, *([first_logged] if first_logged else []), *window_starts])


def day_state(day: date, logged: bool, today: date, start: date) -> str:
    if logged:
        return LOGGED
    if day > today:
        return FUTURE
    if day == today:
        return TODAY
    return MISSING if day >= start else BEFORE_START


def month_weeks(first: date, pain_by_day: dict[date, int], infusion_days: set[date], today: date,
                start: date) -> list[list[CalendarDay | None]]:
    """The month starting on ``first`` as weeks of seven days, Monday first."""
    cells: list[CalendarDay | None] = [None] * first.weekday()
    for day in month_days(first):
        cells.append(CalendarDay(day, day_state(day, day in pain_by_day, today, start),
                                 pain_by_day.get(day), day in infusion_days))
    cells += [None] * (-len(cells) % 7)
    return [cells[n:n + 7] for n in range(0, len(cells), 7)]


def next_missing(after: date, logged_days: set[date], today: date, start: date) -> date | None:
    """The missing day to offer after ``after`` was filled in: the first one later than it (up to
    yesterday), else the latest one before it; None when no day is missing."""
    day = max(after, start - timedelta(days=1)) + timedelta(days=1)
    while day < today:
        if day not in logged_days:
            return day
        day += timedelta(days=1)
    day = min(after, today) - timedelta(days=1)
    while day >= start:
        if day not in logged_days:
            return day
        day -= timedelta(days=1)
    return None


def missing_count(weeks: list[list[CalendarDay | None]]) -> int:
    return sum(1 for week in weeks for cell in week if cell and cell.state == MISSING)
