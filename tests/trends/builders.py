"""Small hand-built histories for the analysis tests. Day numbers are offsets from DAY0."""

from datetime import date, timedelta
from decimal import Decimal

from diary.trends.history import DayEntry, History, InfusionRecord, SeriesRecord

DAY0 = date(2026, 1, 1)


def day(offset: int) -> date:
    return DAY0 + timedelta(days=offset)


def series(series_id: int, *infusion_days: int, name: str = "") -> SeriesRecord:
    infusions = tuple(InfusionRecord(id=series_id * 100 + n, day=day(offset))
                      for n, offset in enumerate(infusion_days))
    return SeriesRecord(id=series_id, name=name or f"Series {series_id}", infusions=infusions)


def pain_entries(first: int, values) -> dict[date, DayEntry]:
    """Average pain on consecutive days from ``first``; None leaves a day unlogged."""
    return {day(first + n): DayEntry(day=day(first + n), pain_avg=value)
            for n, value in enumerate(values) if value is not None}


def history(today: int = 100, entries=None, all_series=(), mme=None, before_days=14,
            after_days=14) -> History:
    return History(today=day(today), entries=entries or {}, series=tuple(all_series),
                   mme={day(offset): (None if total is None else Decimal(total))
                        for offset, total in (mme or {}).items()},
                   before_days=before_days, after_days=after_days)


def one_series(before, after, today: int = 100, **more) -> History:
    """A single infusion on day 0, average pain on days -len(before)..-1 and 1..len(after)."""
    entries = {**pain_entries(-len(before), before), **pain_entries(1, after)}
    return history(today, entries, [series(1, 0)], **more)
