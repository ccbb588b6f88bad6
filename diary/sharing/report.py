"""The clinician report: what it shows, computed from the patient's History.

Its top answers "did the last series work, how long, and what did it do to opioid use" in a few
short lines per series, newest first (``SeriesTop``); the detail below comes from
diary.sharing.report_detail. The patient sees the same report as the clinician. A share link may
limit it to a period; days outside that period are left out before anything is computed. The
patient's notes appear only when the link was made to include them.
"""

from dataclasses import dataclass, replace
from datetime import date

from diary.sharing import report_detail as detail
from diary.treatments.choices import choice_name
from diary.trends.analysis import SeriesAnalysis, Trends, analyse
from diary.trends.display import change_text, mean_text, percent_text
from diary.trends.history import History, SeriesRecord
from diary.trends.outcomes import MeasureResult


def dose_range(series: SeriesRecord) -> str:
    """"35–52.5 mg", "50 mg", or "" when no dose was logged."""
    doses = sorted(infusion.dose_mg for infusion in series.infusions if infusion.dose_mg is not None)
    if not doses:
        return ""
    low, high = (f"{dose.normalize():f}" for dose in (doses[0], doses[-1]))
    return f"{low} mg" if low == high else f"{low}–{high} mg"


def percent_line(result: MeasureResult) -> str:
    """"−45 % (6.8 → 3.7)": short enough for one line of a phone."""
    if result.change is None:
        return "not enough data"
    means = f"({mean_text(result.before.mean)} → {mean_text(result.after.mean)})"
    if result.percent is None:
        return f"{change_text(result.change)} {means}"  # the before mean was 0: no percent
    return f"{percent_text(result.percent)} {means}"


def relief_line(result: SeriesAnalysis) -> str:
    if result.durability is None:
        return "n/a: under 30 % better" if result.pain.change is not None else "not known yet"
    days = result.durability.days
    unit = "day" if days == 1 else "days"
    if result.durability.state == "lost":
        return f"lasted {days} {unit}"
    if result.durability.state == "holding":
        return f"still holding after {days} {unit}"
    return "not enough data yet"


def result_line(result: SeriesAnalysis) -> str:
    pain = result.pain
    if pain.result_class:
        return f"{pain.class_words.capitalize()} {percent_text(pain.percent)}"
    if pain.percent_not_applicable:
        return "n/a: average pain was 0 before"
    return "not enough data yet"


@dataclass(frozen=True)
class SeriesTop:
    """One series' answer in the report's first screen, each line short."""

    analysis: SeriesAnalysis
    result: str  # "Substantial improvement −59 %"
    relief: str  # "still holding after 20 days"
    peg: str  # "−45 % (6.8 → 3.7)"
    mme: str
    pgic: str | None  # the patient's own words, or None when not answered


def series_top(result: SeriesAnalysis, pgic_names: dict[str, str]) -> SeriesTop:
    mme = result.measure("mme")
    if mme.before.logged == 0 and mme.after.logged == 0 and not mme.before.no_value_days:
        mme_line = "no opioid record"
    else:
        mme_line = percent_line(mme)
    pgic = result.series.pgic
    return SeriesTop(result, result_line(result), relief_line(result),
                     percent_line(result.measure("peg")), mme_line,
                     pgic_names.get(pgic, pgic).lower() if pgic else None)


@dataclass(frozen=True)
class Report:
    patient_name: str
    history: History
    trends: Trends
    tops: tuple[SeriesTop, ...]  # newest series first
    conditions: tuple[str, ...]
    first_day: date | None  # first and last logged day in the period
    last_day: date | None
    days_logged: int
    days_in_period: int
    infusions: dict[int, tuple[detail.InfusionRow, ...]]  # by series id
    medications: tuple[detail.MedicationUse, ...]
    therapies: tuple[detail.TherapyUse, ...]
    side_effects: tuple[detail.SideEffectCount, ...]
    infusion_side_effects: tuple[detail.InfusionSideEffect, ...]
    notes: tuple[detail.Note, ...] | None  # None: the link does not include notes


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
        questionnaires=tuple(q for q in history.questionnaires if inside(q.day)),
        medications=tuple(replace(m, doses=tuple(dose for dose in m.doses if inside(dose[0])))
                          for m in history.medications),
    )


def build_report(patient_name: str, history: History, pgic_names: dict[str, str],
                 include_notes: bool = False) -> Report:
    trends = analyse(history)
    days = sorted(history.entries)
    return Report(
        patient_name=patient_name,
        history=history,
        trends=trends,
        tops=tuple(series_top(result, pgic_names) for result in reversed(trends.series)),
        conditions=tuple(dict.fromkeys(choice_name("condition", s.condition, s.condition_other)
                                       for s in history.series if s.condition)),
        first_day=days[0] if days else None,
        last_day=days[-1] if days else None,
        days_logged=len(days),
        days_in_period=(days[-1] - days[0]).days + 1 if days else 0,
        infusions={result.series.id: detail.infusion_rows(result) for result in trends.series},
        medications=detail.medication_uses(history),
        therapies=detail.therapy_uses(history),
        side_effects=detail.diary_side_effects(history),
        infusion_side_effects=detail.infusion_side_effects(trends.series),
        notes=detail.notes_of(history) if include_notes else None,
    )
