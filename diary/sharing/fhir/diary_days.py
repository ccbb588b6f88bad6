"""The daily diary as Observations: each score of each day, the day's PEG score, its side effects.

Average pain carries LOINC 72514-3 (a 0-10 pain rating) first and the diary's own code, which says
its recall, second. The other scores are the diary's own questions: their code is the diary's, so
no standard code claims more than was asked.
"""

from decimal import ROUND_HALF_UP, Decimal

from diary.entries.forms import SCALES
from diary.sharing.fhir.resources import SURVEY, Export, side_effect_observation
from diary.sharing.fhir.terminology import (
    LOINC, LOINC_CODES, SCALE_FIELDS, SCORE_UNIT, UCUM, coding,
)
from diary.trends.history import DayEntry, History

PEG_ITEMS = ("pain_avg", "interference_enjoyment", "interference_activity")
SCALE_LABELS = {name: label for name, label, *_ in SCALES}


def add_diary_days(export: Export, history: History) -> None:
    for day, entry in sorted(history.entries.items()):
        scores = {}
        for name in SCALE_FIELDS:
            value = getattr(entry, name)
            if value is not None:
                scores[name] = add_score(export, entry, name, value)
        if all(name in scores for name in PEG_ITEMS):
            add_peg_score(export, entry, [scores[name] for name in PEG_ITEMS])
        for symptom, severity in sorted(entry.side_effects.items()):
            side_effect_observation(
                export, export.id("side-effect", day, symptom), symptom, severity,
                entry.side_effect_details.get(symptom, ""), f"on {day.isoformat()}",
                effectiveDateTime=day.isoformat())


def add_score(export: Export, entry: DayEntry, name: str, value: int) -> str:
    label = SCALE_LABELS[name]
    codings = [export.diary_coding(SCALE_FIELDS[name])]
    if name == "pain_avg":
        codings.insert(0, coding(LOINC, LOINC_CODES["pain_severity"]))
    return export.add(
        "Observation", export.id("observation", name, entry.day),
        f"{label} on {entry.day.isoformat()}: {value} out of 10.",
        status="final", category=[{"coding": [SURVEY]}],
        code={"coding": codings, "text": label}, subject=export.subject,
        effectiveDateTime=entry.day.isoformat(), valueInteger=value)


def add_peg_score(export: Export, entry: DayEntry, items: list[str]) -> None:
    mean = (Decimal(sum(getattr(entry, name) for name in PEG_ITEMS)) / 3).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP)
    code, unit = SCORE_UNIT
    export.add(
        "Observation", export.id("observation", "peg-score", entry.day),
        f"PEG score on {entry.day.isoformat()}: {mean} out of 10.",
        status="final", category=[{"coding": [SURVEY]}],
        code={"coding": [export.diary_coding("peg-score")], "text": "PEG score"},
        subject=export.subject, effectiveDateTime=entry.day.isoformat(),
        valueQuantity={"value": mean, "unit": unit, "system": UCUM, "code": code},
        derivedFrom=[export.reference(item) for item in items])
