"""Scoring the PHQ-9 and GAD-7, when they are due, and their change around each series. Pure:
plain data in, plain results out; no Flask, no database (like diary.trends).

Every number here is a whole number: totals are sums of 0-3 answers, a change is a difference,
and "a fall of at least 50 %" is tested as 2 × fall ≥ before, so no rounding can tip an edge.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable, Sequence

from diary.questionnaires.items import KINDS, PHQ9, QUESTIONNAIRES, SAFETY_ITEM, SAFETY_KIND

WINDOW_DAYS = 28  # before: first - 28 ... first - 1; after: last + 1 ... last + 28
INTERVAL_DEFAULT, INTERVAL_MIN, INTERVAL_MAX = 14, 7, 28  # days between offers (Osmind: 14)
REMISSION_MAX = 4  # a PHQ-9 total of 4 or less is remission (the "minimal" band)
NOT_ENOUGH_DATA = "not enough data"
INCOMPLETE = "incomplete"


def total(kind: str, answers: Sequence[int | None]) -> int | None:
    """The sum of the answers, or None when any item is unanswered: never scored as if 0."""
    if len(answers) != len(QUESTIONNAIRES[kind].items) or any(answer is None for answer in answers):
        return None
    return sum(answers)


def band(kind: str, score: int) -> str:
    """The published severity band of a total, e.g. "moderately severe"."""
    for highest, name in QUESTIONNAIRES[kind].bands:
        if score <= highest:
            return name
    raise ValueError(f"{kind} total {score} is above its maximum")


def needs_safety_page(kind: str, answers: Sequence[int | None]) -> bool:
    """Any answer other than "Not at all" to PHQ-9 item 9 (thoughts of death or self-harm)."""
    return kind == SAFETY_KIND and len(answers) >= SAFETY_ITEM and bool(answers[SAFETY_ITEM - 1])


@dataclass(frozen=True)
class Answered:
    """One questionnaire as the patient answered it, on a local calendar day."""

    id: int
    kind: str
    day: date  # the patient's local date when answering (diary.days)
    answers: tuple[int | None, ...]
    difficulty: int | None = None  # the closing question (0-3), never part of the total

    @property
    def total(self) -> int | None:
        return total(self.kind, self.answers)

    @property
    def complete(self) -> bool:
        return self.total is not None

    @property
    def band(self) -> str:
        return INCOMPLETE if self.total is None else band(self.kind, self.total)

    @property
    def safety_flag(self) -> bool:
        return needs_safety_page(self.kind, self.answers)


@dataclass(frozen=True)
class Span:
    """A series' first and last infusion days."""

    series_id: int
    first_day: date
    last_day: date


@dataclass(frozen=True)
class AroundSeries:
    """One questionnaire's scores before and after one series, and what changed."""

    kind: str
    before: Answered | None
    after: Answered | None

    @property
    def enough_data(self) -> bool:
        return self.before is not None and self.after is not None

    @property
    def change(self) -> int | None:
        """After − before, in points (negative: fewer symptoms)."""
        return self.after.total - self.before.total if self.enough_data else None

    @property
    def response(self) -> str | None:
        """PHQ-9 response: "yes" for a fall of at least 50 %, "no", or "n/a" when before is 0."""
        if self.kind != PHQ9 or not self.enough_data:
            return None
        before, fall = self.before.total, self.before.total - self.after.total
        if before == 0:
            return "n/a"
        return "yes" if 2 * fall >= before else "no"

    @property
    def remission(self) -> str | None:
        """PHQ-9 remission: "yes" when the after score is 4 or less."""
        if self.kind != PHQ9 or not self.enough_data:
            return None
        return "yes" if self.after.total <= REMISSION_MAX else "no"


def inside_a_span(day: date, spans: Iterable[Span]) -> bool:
    return any(span.first_day <= day <= span.last_day for span in spans)


def around_series(span: Span, kind: str, answered: Iterable[Answered],
                  spans: Sequence[Span]) -> AroundSeries:
    """The latest complete ``kind`` in first−28 … first−1 and the first in last+1 … last+28.

    A questionnaire answered inside any series' first-to-last span (this one's included) counts
    for no window; incomplete ones are skipped.
    """
    usable = sorted((item for item in answered
                     if item.kind == kind and item.complete and not inside_a_span(item.day, spans)),
                    key=lambda item: (item.day, item.id))
    before = [item for item in usable
              if span.first_day - timedelta(days=WINDOW_DAYS) <= item.day < span.first_day]
    after = [item for item in usable
             if span.last_day < item.day <= span.last_day + timedelta(days=WINDOW_DAYS)]
    return AroundSeries(kind, before[-1] if before else None, after[0] if after else None)


def around_each_series(series: Iterable, answered: Sequence[Answered]) -> dict[int, tuple[AroundSeries, ...]]:
    """Series id -> the PHQ-9 and GAD-7 around it, for each series with infusions. ``series``
    are records with ``id``, ``first_day`` and ``last_day`` (diary.trends.history.SeriesRecord)."""
    spans = [Span(item.id, item.first_day, item.last_day) for item in series if item.first_day is not None]
    return {span.series_id: tuple(around_series(span, kind, answered, spans) for kind in KINDS)
            for span in spans}


def safety_flags(answered: Iterable[Answered]) -> list[Answered]:
    """The questionnaires with PHQ-9 item 9 answered other than "Not at all", newest first."""
    return sorted((item for item in answered if item.safety_flag), key=lambda item: item.day, reverse=True)


def due(kind_last_days: dict[str, date | None], today: date, interval_days: int | None) -> list[str]:
    """The questionnaires to offer today: none when the patient turned them off; each one whose
    last answer is ``interval_days`` or more ago (or never), and never twice on one day."""
    if interval_days is None:
        return []
    return [kind for kind, last in kind_last_days.items()
            if last is None or (today - last).days >= interval_days]
