"""Every series of a history analysed in one pass: windows, measures, class, durability.

Daily values are computed once for the whole history (diary.trends.measures); each series then
only looks days up. A series without infusions has no span and so no analysis yet.
"""

from dataclasses import dataclass
from datetime import date

from diary.trends.display import day_text
from diary.trends.durability import Durability, durability
from diary.trends.history import History, SeriesRecord
from diary.trends.infusions import InfusionChange, infusion_changes
from diary.trends.measures import MEASURES, DailyValues, daily_values
from diary.trends.outcomes import DURABLE_CLASSES, MeasureResult, compare
from diary.trends.windows import (Window, after_window, before_window,
                                  first_day_inside_another_series, spans_of)


@dataclass(frozen=True)
class SeriesAnalysis:
    series: SeriesRecord
    before: Window
    after: Window
    measures: tuple[MeasureResult, ...]  # in the order of MEASURES
    durability: Durability | None  # only for a moderate or substantial class
    infusions: tuple[InfusionChange, ...]

    @property
    def pain(self) -> MeasureResult:
        return self.measures[0]

    @property
    def result_class(self) -> str | None:
        return self.pain.result_class

    @property
    def provisional(self) -> bool:
        return self.after.running

    @property
    def provisional_text(self) -> str:
        if not self.provisional:
            return ""
        return f"Provisional: the after window ends on {day_text(self.after.end)}"

    def measure(self, key: str) -> MeasureResult:
        return next(result for result in self.measures if result.measure.key == key)


@dataclass(frozen=True)
class Trends:
    today: date
    before_days: int
    after_days: int
    daily: dict[str, DailyValues]  # every measure's values by day, for the charts
    series: tuple[SeriesAnalysis, ...]  # series with at least one infusion, by first infusion
    waiting: tuple[SeriesRecord, ...]  # series without an infusion yet


def analyse_series(series: SeriesRecord, history: History, daily: dict[str, DailyValues],
                   spans) -> SeriesAnalysis:
    own = next(span for span in spans if span.series_id == series.id)
    before = before_window(own, spans, history.before_days, history.today)
    after = after_window(own, spans, history.after_days, history.today)
    results = tuple(compare(measure, daily[measure.key], before, after) for measure in MEASURES)
    pain = results[0]
    lasting = None
    if pain.result_class in DURABLE_CLASSES:
        lasting = durability(daily["pain_avg"].values, pain.before.mean, own.last,
                             first_day_inside_another_series(own, spans), history.today)
    return SeriesAnalysis(series, before, after, results, lasting, infusion_changes(series.infusions))


def analyse(history: History) -> Trends:
    daily = daily_values(history)
    spans = spans_of(history.series)
    with_infusions = sorted((item for item in history.series if item.infusions),
                            key=lambda item: (item.first_day, item.last_day, item.id))
    return Trends(
        today=history.today, before_days=history.before_days, after_days=history.after_days,
        daily=daily,
        series=tuple(analyse_series(item, history, daily, spans) for item in with_infusions),
        waiting=tuple(item for item in history.series if not item.infusions),
    )
