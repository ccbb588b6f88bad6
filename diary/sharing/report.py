"""The one-page clinician report: what it shows, computed from the patient's History.

The patient sees the same report as the clinician. A share link may limit it to a period; days
outside that period are left out before anything is computed.
"""

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction

from diary.side_effects import MODERATE, SIDE_EFFECT_NAMES
from diary.trends.analysis import Trends, analyse
from diary.trends.history import History, SeriesRecord

TOP_SIDE_EFFECTS = 5


@dataclass(frozen=True)
class SideEffectCount:
    name: str
    days: int  # days reported at any severity
    moderate_or_worse: int


def dose_range(series: SeriesRecord) -> str:
    """"35–52.5 mg", "50 mg", or "" when no dose was logged."""
    doses = sorted(infusion.dose_mg for infusion in series.infusions if infusion.dose_mg is not None)
    if not doses:
        return ""
    low, high = (f"{dose.normalize():f}" for dose in (doses[0], doses[-1]))
    return f"{low} mg" if low == high else f"{low}–{high} mg"


@dataclass(frozen=True)
class Report:
    patient_name: str
    history: History
    trends: Trends
    conditions: tuple[str, ...]
    first_day: date | None  # first and last logged day in the period
    last_day: date | None
    days_logged: int
    pain_mean: Fraction | None
    pain_lowest: int | None
    pain_highest: int | None
    side_effects: tuple[SideEffectCount, ...]


def restricted_to(history: History, start: date | None, end: date | None) -> History:
    """The part of a history between ``start`` and ``end`` (both included; None = open)."""
    def inside(day: date) -> bool:
        return (start is None or day >= start) and (end is None or day <= end)

    series = tuple(replace(s, infusions=tuple(i for i in s.infusions if inside(i.day)))
                   for s in history.series)
    return replace(
        history,
        entries={day: entry for day, entry in history.entries.items() if inside(day)},
        series=tuple(s for s in series if s.infusions),
        mme={day: value for day, value in history.mme.items() if inside(day)},
        therapies=tuple(t for t in history.therapies if inside(t.day)),
    )


def build_report(patient_name: str, history: History) -> Report:
    entries = sorted(history.entries.values(), key=lambda entry: entry.day)
    pains = [entry.pain_avg for entry in entries]
    reported, severe = Counter(), Counter()
    for entry in entries:
        for symptom, severity in entry.side_effects.items():
            reported[symptom] += 1
            severe[symptom] += severity >= MODERATE
    side_effects = tuple(
        SideEffectCount(SIDE_EFFECT_NAMES.get(symptom, symptom), days, severe[symptom])
        for symptom, days in sorted(reported.items(), key=lambda item: (-item[1], item[0]))[:TOP_SIDE_EFFECTS])
    return Report(
        patient_name=patient_name,
        history=history,
        trends=analyse(history),
        conditions=tuple(dict.fromkeys(s.condition for s in history.series if s.condition)),
        first_day=entries[0].day if entries else None,
        last_day=entries[-1].day if entries else None,
        days_logged=len(entries),
        pain_mean=Fraction(sum(pains), len(pains)) if pains else None,
        pain_lowest=min(pains, default=None),
        pain_highest=max(pains, default=None),
        side_effects=side_effects,
    )
