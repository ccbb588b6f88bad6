"""The report's detail under its top lines: each infusion, the medicines, other therapies, side
effects (the diary's and the infusions' apart) and, when the link includes them, the patient's
notes. Pure: plain data from a History in, plain rows out; the template writes them.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from diary.side_effects import MODERATE, SEVERITY_NAMES, SIDE_EFFECT_NAMES
from diary.treatments.choices import choice_name
from diary.trends.analysis import SeriesAnalysis
from diary.trends.history import History, SideEffectRecord


def plain_decimal(value: Decimal) -> str:
    """52.50 -> "52.5", 20.00 -> "20"."""
    return f"{value.normalize():f}"


def effect_words(effect: SideEffectRecord) -> str:
    """"Dissociation (severe)"; "other" in the patient's words when given."""
    name = effect.detail if effect.symptom == "other" and effect.detail else SIDE_EFFECT_NAMES.get(
        effect.symptom, effect.symptom)
    return f"{name} ({SEVERITY_NAMES[effect.severity]})"


@dataclass(frozen=True)
class InfusionRow:
    number: int
    day: date
    route: str
    dose_mg: str  # "52.5 mg" or ""
    mg_per_kg: str  # "0.75 mg/kg" or "" without a weight
    pain_before: int | None
    pain_after: int | None
    pain_2h: int | None
    pain_24h: int | None
    during: tuple[str, ...]  # side effects during the infusion, in words
    after: tuple[str, ...]


def infusion_rows(result: SeriesAnalysis) -> tuple[InfusionRow, ...]:
    rows = []
    for change in result.infusions:
        infusion = change.infusion
        per_kg = ""
        if infusion.dose_mg is not None and infusion.weight_kg:
            ratio = (infusion.dose_mg / infusion.weight_kg).quantize(Decimal("0.01"), ROUND_HALF_UP)
            per_kg = f"{plain_decimal(ratio)} mg/kg"
        rows.append(InfusionRow(
            number=change.number, day=infusion.day,
            route=choice_name("route", result.series.route, result.series.route_other),
            dose_mg=f"{plain_decimal(infusion.dose_mg)} mg" if infusion.dose_mg is not None else "",
            mg_per_kg=per_kg, pain_before=infusion.pain_before, pain_after=infusion.pain_after,
            pain_2h=infusion.pain_2h, pain_24h=infusion.pain_24h,
            during=tuple(effect_words(e) for e in infusion.side_effects if e.phase == "during"),
            after=tuple(effect_words(e) for e in infusion.side_effects if e.phase == "after")))
    return tuple(rows)


@dataclass(frozen=True)
class MedicationUse:
    name: str
    usual_dose: str  # "20 mg", or "" when not given
    days_taken: int


def medication_uses(history: History) -> tuple[MedicationUse, ...]:
    """The medicines taken on at least one day of the (already restricted) history."""
    return tuple(
        MedicationUse(medication.name,
                      f"{plain_decimal(medication.usual_dose)} {medication.unit}"
                      if medication.usual_dose is not None else "",
                      len(medication.doses))
        for medication in history.medications if medication.doses)


@dataclass(frozen=True)
class TherapyUse:
    kind: str
    sessions: int
    first_day: date
    last_day: date


def therapy_uses(history: History) -> tuple[TherapyUse, ...]:
    days_of: dict[str, list[date]] = defaultdict(list)
    for therapy in history.therapies:
        days_of[choice_name("therapy", therapy.kind, therapy.kind_other)].append(therapy.day)
    return tuple(TherapyUse(kind, len(days), min(days), max(days)) for kind, days in days_of.items())


@dataclass(frozen=True)
class SideEffectCount:
    name: str
    days: int  # days reported at any severity
    moderate_or_worse: int


def diary_side_effects(history: History) -> tuple[SideEffectCount, ...]:
    """Every side effect of the diary days, the most frequent first."""
    reported, severe = Counter(), Counter()
    for entry in history.entries.values():
        for symptom, severity in entry.side_effects.items():
            reported[symptom] += 1
            severe[symptom] += severity >= MODERATE
    return tuple(
        SideEffectCount(SIDE_EFFECT_NAMES.get(symptom, symptom), days, severe[symptom])
        for symptom, days in sorted(reported.items(), key=lambda item: (-item[1], item[0])))


@dataclass(frozen=True)
class InfusionSideEffect:
    day: date
    series_name: str
    number: int  # the infusion's number in its series
    phase: str  # "during" or "after"
    words: str  # "Dissociation (severe)"


def infusion_side_effects(results: tuple[SeriesAnalysis, ...]) -> tuple[InfusionSideEffect, ...]:
    return tuple(
        InfusionSideEffect(change.infusion.day, result.series.name, change.number, effect.phase,
                           effect_words(effect))
        for result in results for change in result.infusions
        for effect in change.infusion.side_effects)


@dataclass(frozen=True)
class Note:
    day: date
    where: str  # "Diary", "Infusion 3 of Autumn series", "Physical therapy"
    text: str


def notes_of(history: History) -> tuple[Note, ...]:
    """The patient's own words, by day: diary days, infusions, series and therapies."""
    notes = [Note(day, "Diary", entry.notes) for day, entry in history.entries.items() if entry.notes]
    for series in history.series:
        if series.notes and series.infusions:
            notes.append(Note(series.first_day, f"Series {series.name}", series.notes))
        notes += [Note(infusion.day, f"Infusion {number} of {series.name}", infusion.notes)
                  for number, infusion in enumerate(series.infusions, start=1) if infusion.notes]
    notes += [Note(therapy.day, choice_name("therapy", therapy.kind, therapy.kind_other), therapy.note)
              for therapy in history.therapies if therapy.note]
    return tuple(sorted(notes, key=lambda note: note.day))
