"""The before and after windows of an infusion series (rules 1-4). Pure: dates in, dates out.

1. Every date is a calendar day in the patient's time zone; "today" is the patient's today. A
   series spans its first to its last infusion day, both included. Series are ordered by first
   infusion.
2. The **before** window is the B days ending the day before the first infusion; the **after**
   window is the A days starting the day after the last infusion. Infusion days are in neither.
   B and A are per-patient settings (7-28, default 14).
3. A window day that lies inside the span of any other series (its days between infusions
   included) is dropped, and the window is not extended to make up for it. A day outside every
   series may serve as one series' after day and the next series' before day.
4. Days after today stay in the window; they are simply not logged yet. While the after window
   has not ended (its last day is today or later) the result is provisional: "provisional: the
   after window ends on <date in words>" (written "Provisional: ..." at the start of a line).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from diary.trends.history import SeriesRecord

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Span:
    """The days a series covers: first to last infusion, both included."""

    series_id: int
    first: date
    last: date

    def __contains__(self, day: date) -> bool:
        return self.first <= day <= self.last


@dataclass(frozen=True)
class Window:
    """One window of one series. ``days`` are the eligible days (rule 3), in order."""

    kind: str  # "before" or "after"
    start: date  # the nominal first and last day, before any day is dropped
    end: date
    days: tuple[date, ...]
    dropped: tuple[date, ...]  # days inside another series' span
    today: date

    @property
    def eligible(self) -> int:
        return len(self.days)

    @property
    def running(self) -> bool:
        """True while the window has days still to come (today included)."""
        return self.end >= self.today


def spans_of(series: tuple[SeriesRecord, ...]) -> tuple[Span, ...]:
    """The span of every series that has at least one infusion, ordered by first infusion."""
    spans = [Span(item.id, item.first_day, item.last_day) for item in series if item.infusions]
    return tuple(sorted(spans, key=lambda span: (span.first, span.last, span.series_id)))


def _window(kind: str, start: date, end: date, own: Span, spans: tuple[Span, ...],
            today: date) -> Window:
    others = [span for span in spans if span.series_id != own.series_id
              and span.first <= end and span.last >= start]
    kept, dropped = [], []
    day = start
    while day <= end:
        (dropped if any(day in span for span in others) else kept).append(day)
        day += ONE_DAY
    return Window(kind, start, end, tuple(kept), tuple(dropped), today)


def before_window(own: Span, spans: tuple[Span, ...], before_days: int, today: date) -> Window:
    end = own.first - ONE_DAY
    return _window("before", end - timedelta(days=before_days - 1), end, own, spans, today)


def after_window(own: Span, spans: tuple[Span, ...], after_days: int, today: date) -> Window:
    start = own.last + ONE_DAY
    return _window("after", start, start + timedelta(days=after_days - 1), own, spans, today)


def first_day_inside_another_series(own: Span, spans: tuple[Span, ...]) -> date | None:
    """The first day after ``own`` ends that lies inside another series (rule 12 stops there)."""
    later = [max(span.first, own.last + ONE_DAY) for span in spans
             if span.series_id != own.series_id and span.last > own.last]
    return min(later) if later else None
