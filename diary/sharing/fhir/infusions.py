"""Ketamine series and their infusions (or doses, for other routes).

Each series is a MedicationStatement of ketamine (RxNorm 6130) derived from its infusions; each
infusion a MedicationAdministration over its local start time (with the UTC offset of the patient's
time zone) to the end its duration gives, with the dose, the route and, as supporting information,
the body weight as an Observation. The pain before, right after, 2 h and 24 h after (LOINC 72514-3,
each at its own time) and the side effects during and after are Observations that are part of the
infusion; the impression of change (PGIC) is an Observation that is part of the series.
"""

from datetime import timedelta

from diary.sharing.fhir.resources import SURVEY, VITAL_SIGNS, Export, side_effect_observation
from diary.sharing.fhir.terminology import (
    LOINC, LOINC_CODES, PAIN_TIMES, RXNORM, RXNORM_INGREDIENTS, SERIES_ROUTES, coding,
    UCUM, pgic_code, quantity, route_concept,
)
from diary.treatments.choices import choice_name
from diary.treatments.forms import CHOICE_NAMES, INFUSION_PAINS, treatment_noun
from diary.trends.history import History, InfusionRecord, SeriesRecord

KETAMINE = {"coding": [coding(RXNORM, RXNORM_INGREDIENTS["ketamine"])], "text": "Ketamine"}
# When each pain is rated, after the start; None: right after the end.
PAIN_DELAYS = {"pain_before": timedelta(0), "pain_after": None, "pain_2h": timedelta(hours=2),
               "pain_24h": timedelta(hours=24)}


def add_series(export: Export, history: History) -> None:
    for series in history.series:
        route = route_concept(SERIES_ROUTES.get(series.route),
                              choice_name("route", series.route, series.route_other) or "Route not given")
        noun = treatment_noun(series.route)
        given = [export.id("infusion", infusion.id) for infusion in series.infusions]
        statement = add_statement(export, series, route, given, noun)
        if series.pgic:
            add_pgic(export, series, statement)
        for infusion in series.infusions:
            add_infusion(export, series, infusion, route, noun)


def add_statement(export: Export, series: SeriesRecord, route: dict, given: list[str],
                  noun: str) -> str:
    # Answering the impression of change closes a series; until then it may go on.
    status = "completed" if series.pgic else "active"
    condition = choice_name("condition", series.condition, series.condition_other)
    span = ""
    elements = {}
    if series.first_day:
        elements["effectivePeriod"] = {"start": series.first_day.isoformat(),
                                       "end": series.last_day.isoformat()}
        span = f", {series.first_day.isoformat()} to {series.last_day.isoformat()}"
    return export.add(
        "MedicationStatement", export.id("series", series.id),
        f"Ketamine series {series.name!r} for {condition or 'a condition not given'}: "
        f"{len(given)} {noun}{'s' if len(given) != 1 else ''}, {route['text']}{span}.",
        status=status, medicationCodeableConcept=KETAMINE, subject=export.subject,
        informationSource=export.subject, derivedFrom=[export.reference(item) for item in given],
        reasonCode=[{"text": condition}] if condition else [],
        dosage=[{"text": f"{series.name}: {route['text']}", "route": route}], **elements)


def add_infusion(export: Export, series: SeriesRecord, infusion: InfusionRecord, route: dict,
                 noun: str) -> None:
    infusion_id = export.id("infusion", infusion.id)
    start = export.local(infusion.day, infusion.start_time)
    period = {"start": start}
    end = None
    if infusion.duration_min and infusion.start_time:
        end = export.local(infusion.day, infusion.start_time, timedelta(minutes=infusion.duration_min))
        period["end"] = end
    dosage = {"text": dose_text(infusion, route["text"]), "route": route}
    if infusion.dose_mg is not None:
        dosage["dose"] = quantity(infusion.dose_mg, "mg")
    elements = {}
    if infusion.weight_kg is not None:
        elements["supportingInformation"] = [export.reference(add_weight(export, infusion, start, noun))]
    lasted = f" for {infusion.duration_min} min" if infusion.duration_min else ""
    export.add(
        "MedicationAdministration", infusion_id,
        f"Ketamine ({series.name}) from {start}{lasted}: {dosage['text']}.",
        status="completed", medicationCodeableConcept=KETAMINE, subject=export.subject,
        effectivePeriod=period, dosage=dosage, **elements)
    part_of = [export.reference(infusion_id)]
    for name, label in INFUSION_PAINS:
        value = getattr(infusion, name)
        if value is not None:
            delay = PAIN_DELAYS[name]
            when = (end or infusion.day.isoformat()) if delay is None else export.local(
                infusion.day, infusion.start_time, delay)
            add_pain(export, infusion, name, label, value, when, part_of, noun)
    for effect in infusion.side_effects:
        when = period if effect.phase == "during" else {"start": end or start}
        side_effect_observation(
            export, export.id("infusion-side-effect", infusion.id, effect.phase, effect.symptom),
            effect.symptom, effect.severity, effect.detail,
            f"{effect.phase} the {noun} of {start}",
            effectivePeriod=when, partOf=part_of)


def dose_text(infusion: InfusionRecord, route: str) -> str:
    if infusion.dose_mg is None:
        return f"dose not recorded, {route}"
    text = f"{plain(infusion.dose_mg)} mg, {route}"
    if infusion.weight_kg:
        text += f" ({plain(infusion.dose_mg / infusion.weight_kg, 2)} mg/kg at {plain(infusion.weight_kg)} kg)"
    return text


def plain(value, places: int | None = None) -> str:
    if places is not None:
        value = round(value, places)
    return f"{value.normalize():f}"


def add_weight(export: Export, infusion: InfusionRecord, when: str, noun: str) -> str:
    return export.add(
        "Observation", export.id("weight", infusion.id),
        f"Body weight {plain(infusion.weight_kg)} kg, recorded with the {noun} of {when}.",
        status="final", category=[{"coding": [VITAL_SIGNS]}],
        code={"coding": [coding(LOINC, LOINC_CODES["body_weight"])], "text": "Body weight"},
        subject=export.subject, effectiveDateTime=when,
        valueQuantity={"value": infusion.weight_kg, "unit": "kg", "system": UCUM, "code": "kg"})


def add_pain(export: Export, infusion: InfusionRecord, name: str, label: str, value: int,
             when: str, part_of: list[dict], noun: str) -> None:
    code = f"infusion-pain-{PAIN_TIMES[name][0]}"
    export.add(
        "Observation", export.id("infusion-pain", infusion.id, name),
        f"{label} the {noun} of {infusion.day.isoformat()}: {value} out of 10, at {when}.",
        status="final", category=[{"coding": [SURVEY]}],
        code={"coding": [coding(LOINC, LOINC_CODES["pain_severity"]), export.diary_coding(code)],
              "text": label},
        subject=export.subject, effectiveDateTime=when, valueInteger=value, partOf=part_of)


def add_pgic(export: Export, series: SeriesRecord, statement: str) -> None:
    answer = CHOICE_NAMES["pgic"][series.pgic]
    # When it was answered is not recorded: no effective time rather than a made-up one.
    export.add(
        "Observation", export.id("pgic", series.id),
        f"Impression of change since before the series {series.name!r}: {answer}.",
        status="final", category=[{"coding": [SURVEY]}],
        code={"coding": [export.diary_coding("pgic")], "text": "Patient Global Impression of Change"},
        subject=export.subject,
        valueCodeableConcept={"coding": [export.diary_coding(pgic_code(series.pgic))], "text": answer},
        partOf=[export.reference(statement)])
