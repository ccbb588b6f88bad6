"""What an open before or after window still needs for a result. Pure: an analysis in, words out.

A measure has a result once both of its windows have enough data (rule 5 of
diary.trends.outcomes: at least one logged day and at least half the eligible days). While a
window is open (its last day is today or later) the patient can still complete it, and
"Log today" and the before/after page say how: "Log 3 more days by 27 November, with the detail
form on at least 2, to see the Autumn series' result."

- Average pain and side-effect days count every logged day, the quick log included.
- PEG, worst pain, mood and sleep quality need the detail form ("Add more detail"); each counts
  its own days, so the detail form is needed on as many days as the measure furthest behind.
- Opioid use needs a medication record on the day; it is asked for only from a patient who
  records medications, and not while a day has an opioid without a CDC factor (more days might
  still leave no total, so a number of days would mislead).
- A window that has ended says nothing: it can't be completed any more. A measure whose other
  window has ended without enough data can't get a result either, so it is left out; when no
  measure can be completed, nothing is said.
- Past days of an open window still count when they are filled in (the History calendar does
  that), so when fewer days are left than needed, the words say how many missed days to fill in.
"""

from dataclasses import dataclass
from datetime import date

from diary.trends.analysis import SeriesAnalysis, Trends
from diary.trends.history import History
from diary.trends.measures import DailyValues
from diary.trends.outcomes import MeasureResult, WindowMeasure
from diary.trends.windows import Window

ANY_DAY = ("pain_avg", "side_effect_burden")  # the quick log is enough
DETAIL_FORM = ("peg", "pain_worst", "mood", "sleep_quality")
MEDICATIONS = ("mme",)
# How each measure is named in "to see ... for the Autumn series".
SHORT_NAMES = {"pain_avg": "average pain", "side_effect_burden": "side-effect days",
               "peg": "PEG", "pain_worst": "worst pain", "mood": "mood",
               "sleep_quality": "sleep quality", "mme": "opioid use"}


@dataclass(frozen=True)
class StillNeeded:
    """What would complete one open window of one series."""

    series_id: int
    series_name: str
    kind: str  # "before" or "after"
    by: date  # the window's last day
    today: date
    days: int  # more logged days, any form
    detail_days: int  # days with the detail form (new ones, or days already logged)
    medication_days: int  # days with medications recorded
    missed_days: int  # of ``days``, how many must be past days filled in
    measures: tuple[str, ...]  # keys of the measures that would get a result, in MEASURES order

    @property
    def text(self) -> str:
        by = "by today" if self.by == self.today else f"by {by_day(self.by, self.today)}"
        if self.days:
            words = f"Log {count(self.days, 'more day')} {by}"
            if self.detail_days:
                words += f", with the detail form on at least {self.detail_days}"
                if self.detail_days > self.days:
                    words += " (days you already logged count too)"
        elif self.detail_days:
            words = (f"Add the detail form to {count(self.detail_days, 'more day')} {by} "
                     "(days you already logged count too)")
        else:
            words = f"Record your medications on {count(self.medication_days, 'more day')} {by}"
        if self.medication_days and (self.days or self.detail_days):
            words += f", and your medications on at least {count(self.medication_days, 'day')}"
        if self.missed_days:
            left = self.days - self.missed_days
            words += (f"; only {count(left, 'day')} {'is' if left == 1 else 'are'} still to come, so "
                      f"fill in {count(self.missed_days, 'missed day')} from the History calendar")
        return f"{words}, to see {self.what()}."

    def what(self) -> str:
        if "pain_avg" in self.measures:
            return f"{possessive(self.series_name)} result"
        names = [SHORT_NAMES[key] for key in self.measures]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"{listed} for {the_series(self.series_name)}"


def count(number: int, noun: str) -> str:
    """"1 more day", "3 more days", "0 days"."""
    if noun.endswith("day") and number != 1:
        noun += "s"
    return f"{number} {noun}"


def by_day(day: date, today: date) -> str:
    return f"{day.day} {day:%B}" if day.year == today.year else f"{day.day} {day:%B %Y}"


def the_series(name: str) -> str:
    return f"the {name}" if name.lower().endswith("series") else f"the {name} series"


def possessive(name: str) -> str:
    return the_series(name) + "'"


def days_needed(window: WindowMeasure) -> int:
    """How many more logged days give this window enough data (0 when it has enough)."""
    least = max(1, -(-window.eligible // 2))  # at least one, and at least half
    return max(0, least - window.logged)


def completable(result: MeasureResult, kind: str, other: Window) -> bool:
    """Can more days in the ``kind`` window still give this measure a result?"""
    mine = result.before if kind == "before" else result.after
    theirs = result.after if kind == "before" else result.before
    if mine.eligible == 0 or mine.no_value_days:
        return False
    return theirs.enough or other.running


def still_needed(analysis: SeriesAnalysis, pain_days: DailyValues,
                 records_medications: bool) -> StillNeeded | None:
    """What the first open, incomplete window of ``analysis`` needs, or None."""
    for window, other in ((analysis.before, analysis.after), (analysis.after, analysis.before)):
        if not window.running:
            continue
        needed = {}
        for result in analysis.measures:
            key = result.measure.key
            if key in MEDICATIONS and not records_medications:
                continue
            mine = result.before if window.kind == "before" else result.after
            if completable(result, window.kind, other) and (more := days_needed(mine)):
                needed[key] = more
        if not needed:
            continue
        days = max((needed.get(key, 0) for key in ANY_DAY), default=0)
        left = sum(1 for day in window.days if day >= window.today and day not in pain_days.values)
        return StillNeeded(
            series_id=analysis.series.id, series_name=analysis.series.name, kind=window.kind, by=window.end, today=window.today,
            days=days, detail_days=max(needed.get(key, 0) for key in DETAIL_FORM),
            medication_days=max(needed.get(key, 0) for key in MEDICATIONS),
            missed_days=max(0, days - left), measures=tuple(needed))
    return None


def all_still_needed(trends: Trends, records_medications: bool) -> tuple[StillNeeded, ...]:
    """Every series' open window that still needs days, in the order of the series.
    ``records_medications``: the patient keeps a medication list (diary.loaded_history)."""
    found = (still_needed(analysis, trends.daily["pain_avg"], records_medications)
             for analysis in trends.series)
    return tuple(item for item in found if item is not None)


def still_needed_in(history: History, trends: Trends) -> tuple[StillNeeded, ...]:
    """``all_still_needed`` for a loaded history: opioid days only from a patient who keeps an
    active medication list."""
    return all_still_needed(trends, any(medication.active for medication in history.medications))
