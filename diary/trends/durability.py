"""How long relief lasted after a series (rules 11-13), and the 7-day trailing mean it uses.

Only for a series whose average-pain class is moderate or substantial.

11. Scan days d from the day after the last infusion. For each d take the trailing days
    d-6 ... d, but only those after the series. If fewer than 4 of them are logged, skip d
    (it is not evaluated). Relief is lost on the first evaluated d whose trailing mean is strictly
    greater than 70 % of the before mean (an exact comparison; equal is not lost).
12. The scan stops at the loss, at the day before the first day inside another series, or at today.
13. Lost: "relief lasted N days", N = loss day - last infusion day - 1. Not lost: "still >= 30 %
    better after N days", N = the last evaluated day that has an entry - last infusion day (the
    follow-up the data supports, which does not grow while nothing is logged). No evaluated day:
    "not enough data to tell how long relief lasted".

The timeline's 7-day rolling mean uses the same trailing rule (at least 4 logged days of 7).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

TRAILING_DAYS = 7
TRAILING_MIN_LOGGED = 4
RELIEF_KEPT_BELOW = Fraction(7, 10)  # lost when the trailing mean exceeds 70 % of before (30 % relief)


def trailing_mean(values: dict[date, int | Fraction], day: date, not_before: date | None = None
                  ) -> Fraction | None:
    """Mean of the logged values on day-6 ... day (none earlier than ``not_before``), or None
    when fewer than 4 of those days are logged."""
    logged = []
    for back in range(TRAILING_DAYS):
        earlier = day - timedelta(days=back)
        if not_before is not None and earlier < not_before:
            break
        if earlier in values:
            logged.append(values[earlier])
    if len(logged) < TRAILING_MIN_LOGGED:
        return None
    return Fraction(sum(logged)) / len(logged)  # exact: ints and Fractions only


@dataclass(frozen=True)
class Durability:
    state: str  # "lost", "holding" or "unknown" (no evaluated day)
    days: int | None  # N of rule 13
    loss_day: date | None = None
    last_evaluated_entry: date | None = None
    scan_end: date | None = None  # the last day the scan could look at
    stopped_by: str = ""  # "loss", "next series" or "today"

    @property
    def text(self) -> str:
        if self.state == "lost":
            return f"relief lasted {self.days} {'day' if self.days == 1 else 'days'}"
        if self.state == "holding":
            return f"still ≥ 30 % better after {self.days} {'day' if self.days == 1 else 'days'}"
        return "not enough data to tell how long relief lasted"


def durability(pain: dict[date, int | Fraction], before_mean: Fraction, last_infusion: date,
               next_series_day: date | None, today: date) -> Durability:
    """Rules 11-13 for one series. ``pain`` maps logged days to average pain."""
    threshold = before_mean * RELIEF_KEPT_BELOW
    start = last_infusion + timedelta(days=1)
    end, stopped_by = today, "today"
    if next_series_day is not None and next_series_day - timedelta(days=1) < end:
        end, stopped_by = next_series_day - timedelta(days=1), "next series"
    last_with_entry = None
    day = start
    while day <= end:
        mean = trailing_mean(pain, day, not_before=start)
        if mean is not None:
            if mean > threshold:
                return Durability("lost", (day - last_infusion).days - 1, loss_day=day,
                                  last_evaluated_entry=last_with_entry, scan_end=end,
                                  stopped_by="loss")
            if day in pain:
                last_with_entry = day
        day += timedelta(days=1)
    if last_with_entry is None:
        return Durability("unknown", None, scan_end=end, stopped_by=stopped_by)
    return Durability("holding", (last_with_entry - last_infusion).days,
                      last_evaluated_entry=last_with_entry, scan_end=end, stopped_by=stopped_by)
