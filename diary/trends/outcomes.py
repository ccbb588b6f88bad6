"""Before/after numbers of one series for one measure (rules 5-10). Exact: Fractions throughout.

5. A window's eligible days are those left after rule 3. A measure has enough data when
   2 x (days logged for that measure) >= eligible days and at least one day is logged: 7 of 14,
   4 of 7 and 5 of 9 are enough; 6 of 14 is not ("not enough data (6 of 14 days logged)", and no
   number). Each measure counts its own days.
6. Mean = the mean of the logged values only: no imputation, no carrying values forward.
7. Change = after mean - before mean. Percent change = change / before mean x 100; "n/a" when
   the before mean is 0, and then no class (and so no durability).
8. Anything that feeds a class or a comparison is an exact fraction, never a binary float:
   7.0 -> 4.9 is exactly -30 %, "moderate". Rounding happens only for display (diary.trends.display).
9. Class, for average pain only, on the exact percent p, thresholds inclusive (IMMPACT):
   p <= -50 "substantial", p <= -30 "moderate", p <= -10 "minimal", -10 < p < +10 "no meaningful
   change", p >= +10 "worse".
10. The other measures (PEG daily version, worst pain, mood, sleep quality, MME/day, side-effect
    burden) get means and change but no class. PEG, worst pain and MME/day also get a percent;
    mood, sleep quality and side-effect burden change in points only (no percent, no "n/a"). For mood and sleep quality higher is
    better. MME: a day with an opioid without a CDC factor has no value; when that leaves a window
    without enough data the page says so instead of "not enough data".
"""

from dataclasses import dataclass
from fractions import Fraction

from diary.trends.measures import DailyValues, Measure
from diary.trends.windows import Window

# IMMPACT recommendations for interpreting change in chronic pain trials:
# Dworkin RH et al., J Pain 2008;9(2):105-121. Percent change in pain intensity, inclusive bounds.
RESULT_CLASSES = (  # (class, applies when p <= bound); checked in order
    ("substantial", Fraction(-50)),
    ("moderate", Fraction(-30)),
    ("minimal", Fraction(-10)),
)
NO_MEANINGFUL_CHANGE, WORSE = "no meaningful change", "worse"
WORSE_FROM = Fraction(10)  # p >= +10 is worse
CLASS_WORDS = {
    "substantial": "substantial improvement",
    "moderate": "moderate improvement",
    "minimal": "minimal improvement",
    NO_MEANINGFUL_CHANGE: "no meaningful change",
    WORSE: "worse",
}
DURABLE_CLASSES = ("substantial", "moderate")  # rule 11: only these get a durability


@dataclass(frozen=True)
class WindowMeasure:
    """One measure over one window: what was logged, and the mean when there is enough."""

    eligible: int
    logged: int
    mean: Fraction | None  # None unless there is enough data
    no_value_days: int = 0  # MME: days whose opioid has no CDC factor

    @property
    def enough(self) -> bool:
        return self.mean is not None

    @property
    def status(self) -> str:
        """What the page says instead of a number, or "" when there is a number."""
        if self.enough:
            return ""
        if self.eligible == 0:
            return "no days left in this window: another series covers them all"
        if self.no_value_days:
            return (f"no MME/day: on {self.no_value_days} of {self.eligible} days an opioid without "
                    f"a CDC conversion factor (such as buprenorphine) was taken, so those days have "
                    f"no MME total ({self.logged} of {self.eligible} days have one)")
        return f"not enough data ({self.logged} of {self.eligible} days logged)"

    @property
    def note(self) -> str:
        """A remark to show beside a number: days left out of an MME mean."""
        if self.enough and self.no_value_days:
            days = "day" if self.no_value_days == 1 else "days"
            return (f"{self.no_value_days} {days} with an opioid without a CDC conversion factor "
                    f"left out")
        return ""


def has_enough(logged: int, eligible: int) -> bool:
    return logged >= 1 and 2 * logged >= eligible


def window_measure(daily: DailyValues, window: Window) -> WindowMeasure:
    values = [daily.values[day] for day in window.days if day in daily.values]
    no_value = sum(1 for day in window.days if day in daily.no_value_days)
    enough = has_enough(len(values), window.eligible)
    mean = Fraction(sum(values)) / len(values) if enough else None  # exact: ints and Fractions
    return WindowMeasure(window.eligible, len(values), mean, no_value)


def result_class(percent: Fraction) -> str:
    for name, bound in RESULT_CLASSES:
        if percent <= bound:
            return name
    return WORSE if percent >= WORSE_FROM else NO_MEANINGFUL_CHANGE


@dataclass(frozen=True)
class MeasureResult:
    measure: Measure
    before: WindowMeasure
    after: WindowMeasure
    change: Fraction | None  # after - before, when both have a mean
    percent: Fraction | None  # None when no change, the before mean is 0 ("n/a"), or in points
    result_class: str | None  # average pain only

    @property
    def percent_not_applicable(self) -> bool:
        """True when both means exist but the before mean is 0 (rule 7: "n/a")."""
        return self.change is not None and self.percent is None and not self.measure.change_in_points

    @property
    def direction(self) -> str | None:
        """"better", "worse" or "unchanged" for the patient, by the measure's own sense."""
        if self.change is None:
            return None
        if self.change == 0:
            return "unchanged"
        improved = (self.change > 0) == self.measure.higher_is_better
        return "better" if improved else "worse"

    @property
    def class_words(self) -> str | None:
        return CLASS_WORDS[self.result_class] if self.result_class else None


def compare(measure: Measure, daily: DailyValues, before: Window, after: Window) -> MeasureResult:
    before_m, after_m = window_measure(daily, before), window_measure(daily, after)
    change = percent = klass = None
    if before_m.enough and after_m.enough:
        change = after_m.mean - before_m.mean
        if before_m.mean != 0 and not measure.change_in_points:
            percent = change / before_m.mean * 100
            if measure.key == "pain_avg":
                klass = result_class(percent)
    return MeasureResult(measure, before_m, after_m, change, percent, klass)
