"""What each measure's value is on one day, computed once for a whole history.

A measure maps each logged day to an exact value (an int, or a Fraction where a day's value is
not whole); a day missing from the map is not logged for that measure (rule 5: each measure counts
its own days). Never a float.

- Average pain, worst pain, mood, sleep quality: the day's answer, when given.
- PEG (daily version): only when average pain, enjoyment and general activity are all logged;
  the day's score is their mean. The validated PEG asks about the past week.
- Opioid use (MME/day): by the day rules of the treatments issue. A day without any medication
  record is not logged; a day with an opioid that has no CDC factor has no value (kept apart in
  ``no_value_days`` so the page can say why).
- Side-effect burden: 1 on a logged diary day with at least one side effect at moderate or severe
  ("other" included), else 0; the window's mean is then the share of such days.
"""

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from diary.side_effects import MODERATE
from diary.trends.history import DayEntry, History


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    higher_is_better: bool
    unit: str = ""  # shown after a mean: "" for 0-10 scores
    note: str = ""  # what the page says under the measure's name
    # Mood, sleep and side-effect days change in points, never in percent: on a 0-10 scale a
    # percent of a small before mean reads as a miracle (mood 1.4 -> 6.9 is "+394 %").
    change_in_points: bool = False
    short_label: str = ""  # in a table's narrow first column (the clinician report)

    @property
    def table_label(self) -> str:
        return self.short_label or self.label


# In the order the page shows them. Only average pain gets a class (rule 9).
MEASURES = (
    Measure("pain_avg", "Average pain", higher_is_better=False),
    Measure("peg", "PEG (pain, enjoyment, activity; daily version)", higher_is_better=False,
            note="Each day's score is the mean of the three; the validated PEG asks about the past "
                 "week, so this daily version is a guide, not the questionnaire itself.",
            short_label="PEG (daily version)"),
    Measure("pain_worst", "Worst pain", higher_is_better=False),
    Measure("mood", "Mood", higher_is_better=True, change_in_points=True),
    Measure("sleep_quality", "Sleep quality", higher_is_better=True, change_in_points=True),
    Measure("mme", "Opioid use (MME/day)", higher_is_better=False, unit="MME/day",
            note="Days without a medication record are not counted."),
    Measure("side_effect_burden", "Days with a moderate or severe side effect",
            higher_is_better=False, note="Out of the days you logged; \"other\" counts too.",
            change_in_points=True, short_label="Side-effect days (moderate or severe)"),
)


@dataclass(frozen=True)
class DailyValues:
    """One measure's value on each logged day, plus the days that have no value and why."""

    values: dict[date, int | Fraction]
    no_value_days: frozenset[date] = field(default_factory=frozenset)


def _answer(name: str):
    def value(entry: DayEntry) -> int | None:
        return getattr(entry, name)
    return value


def peg_score(entry: DayEntry) -> Fraction | None:
    items = (entry.pain_avg, entry.interference_enjoyment, entry.interference_activity)
    if any(item is None for item in items):
        return None
    return Fraction(sum(items), 3)


def side_effect_day(entry: DayEntry) -> int:
    return int(any(severity >= MODERATE for severity in entry.side_effects.values()))


_FROM_ENTRY = {
    "pain_avg": _answer("pain_avg"),
    "pain_worst": _answer("pain_worst"),
    "mood": _answer("mood"),
    "sleep_quality": _answer("sleep_quality"),
    "peg": peg_score,
    "side_effect_burden": side_effect_day,
}


def daily_values(history: History) -> dict[str, DailyValues]:
    """Every measure's daily values, in one pass over the history. Days after today are left
    out: they cannot have been logged yet (rule 4)."""
    today = history.today
    result = {}
    for key, value_of in _FROM_ENTRY.items():
        values = {}
        for day, entry in history.entries.items():
            if day <= today and (value := value_of(entry)) is not None:
                values[day] = value
        result[key] = DailyValues(values)
    mme = {day: Fraction(total) for day, total in history.mme.items()
           if day <= today and total is not None}
    no_total = frozenset(day for day, total in history.mme.items() if day <= today and total is None)
    result["mme"] = DailyValues(mme, no_total)
    return result
