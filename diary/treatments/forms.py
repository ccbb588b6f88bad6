"""The treatment forms: how each submission is read and checked.

Each ``read_*`` function returns a plain input object, or None when ``reader.errors`` says what to
fix. The choices and the field of each answer are in diary.treatments.fields (shared with the
import); the rules across answers (an "Other" needs its words, an opioid its unit) are here.
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from decimal import Decimal

from diary.fields import When
from diary.forms import FormReader
from diary.side_effects import SIDE_EFFECTS, read_side_effects, side_effect_values
from diary.treatments.fields import (  # noqa: F401  the choices, read by the pages from here
    CHOICE_NAMES, CONDITIONS, DRUGS, INFUSION_FIELDS, INFUSION_PAINS, MEDICATION_FIELDS,
    MEDICATION_FORMS, MINUTES_IN_A_DAY, PGIC, PHASES, ROUTES, SERIES_FIELDS, THERAPY_FIELDS,
    THERAPY_KINDS, UNITS, USUAL_LEAST, amount,
)
from diary.treatments.mme import logged_unit


def treatment_noun(route: str) -> str:
    """Only an IV session is an infusion; a spray, a lozenge or an injection is a dose."""
    return "infusion" if route == "iv" else "dose"


ERROR_LINK_IDS = {name: f"{name}-0" for name, _ in INFUSION_PAINS} | {
    f"se_{phase}_{symptom}": f"se_{phase}_{symptom}-none"
    for phase, _ in PHASES for symptom, *_ in SIDE_EFFECTS} | {"pgic": "pgic-very_much_improved"}


@dataclass
class SeriesInput:
    name: str
    condition: str
    condition_other: str | None
    route: str
    route_other: str | None
    clinic: str | None
    notes: str | None


def other_problem(key: str | None, text: str | None, label: str) -> str | None:
    """The free text that goes with an "Other" choice is required then (and kept only then)."""
    if key == "other" and not text:
        return f"Describe the {label.lower()}"
    return None


def read_other(reader: FormReader, fields: dict, key: str, name: str) -> str | None:
    field = fields[f"{name}_other"]
    text = reader.read(f"{name}_other", field)
    if f"{name}_other" not in reader.errors and (problem := other_problem(key, text, field.label)):
        reader.fail(f"{name}_other", problem)
    return text if key == "other" else None


def read_series(reader: FormReader) -> SeriesInput | None:
    fields = SERIES_FIELDS
    name = reader.read("name", fields["name"])
    condition = reader.read("condition", fields["condition"])
    condition_other = read_other(reader, fields, condition, "condition")
    route = reader.read("route", fields["route"])
    route_other = read_other(reader, fields, route, "route")
    clinic = reader.read("clinic", fields["clinic"])
    notes = reader.read("notes", fields["notes"])
    if not reader.ok:
        return None
    return SeriesInput(name, condition, condition_other, route, route_other, clinic, notes)


@dataclass
class InfusionInput:
    day: date
    start_time: time
    duration_min: int | None = None
    dose_mg: Decimal | None = None
    weight_kg: Decimal | None = None
    pains: dict[str, int | None] = field(default_factory=dict)
    # (phase, symptom) -> (severity 1..3, the patient's words for "other")
    side_effects: dict[tuple[str, str], tuple[int, str | None]] = field(default_factory=dict)
    notes: str | None = None


def start_time_problem(day: date | None, start: time | None, now: datetime) -> str | None:
    if start is not None and day == now.date() and start > now.time():
        return f"Start time cannot be later than now ({now:%H:%M})"
    return None


def read_infusion(reader: FormReader, *, now: datetime) -> InfusionInput | None:
    """``now`` is the patient's local wall-clock time: no infusion can start after it."""
    fields, when = INFUSION_FIELDS, When(now)
    day = reader.read("day", fields["day"], when)
    start_time = reader.read("start_time", fields["start_time"], when)
    if problem := start_time_problem(day, start_time, now):
        reader.fail("start_time", problem)
    duration = reader.read("duration_min", fields["duration_min"])
    if "duration_min" in reader.errors and (reader.raw("duration_min").isdigit()
                                           and int(reader.raw("duration_min")) > MINUTES_IN_A_DAY):
        reader.errors["duration_min"] = "Duration cannot be more than 24 hours (1440 minutes)"
    dose = reader.read("dose_mg", fields["dose_mg"])
    weight = reader.read("weight_kg", fields["weight_kg"])
    pains = read_pains(reader, [name for name, _ in INFUSION_PAINS])
    side_effects = {(phase, symptom): answer for phase, _ in PHASES
                    for symptom, answer in read_side_effects(reader, f"se_{phase}_").items()}
    notes = reader.read("notes", fields["notes"])
    if not reader.ok:
        return None
    return InfusionInput(day, start_time, duration, dose, weight, pains, side_effects, notes)


def read_pains(reader: FormReader, names: list[str]) -> dict[str, int | None]:
    return {name: reader.read(name, INFUSION_FIELDS[name]) for name in names}


def infusion_values(infusion, side_effects) -> dict[str, str]:
    """An infusion as form values, to prefill its edit form."""
    values = {"day": infusion.day.isoformat(), "start_time": f"{infusion.start_time:%H:%M}",
              "notes": infusion.notes or ""}
    for name in ("duration_min", "dose_mg", "weight_kg", *dict(INFUSION_PAINS)):
        value = getattr(infusion, name)
        values[name] = "" if value is None else plain_number(value)
    for phase, _ in PHASES:
        values |= side_effect_values([e for e in side_effects if e.phase == phase], f"se_{phase}_")
    return values


def plain_number(value) -> str:
    """12.50 -> "12.5", 40 -> "40": how a number is shown in a form field."""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def read_pgic(reader: FormReader) -> str | None:
    return reader.read("pgic", replace(SERIES_FIELDS["pgic"], required=True))


@dataclass
class MedicationInput:
    name: str
    drug: str
    form: str
    unit: str
    usual_dose: Decimal | None


def read_medication(reader: FormReader) -> MedicationInput | None:
    name, drug, form, unit = (reader.read(column, field) for column, field in MEDICATION_FIELDS.items())
    if problem := unit_problem(drug, unit):
        reader.fail("unit", problem)
    usual = reader.read("usual_dose", amount("Usual dose", unit if "unit" not in reader.errors else None,
                                               least=USUAL_LEAST))
    if not reader.ok:
        return None
    return MedicationInput(name, drug, form, unit, usual)


def unit_problem(drug: str | None, unit: str | None) -> str | None:
    """An opioid with a conversion factor is logged in the one unit its factor is for."""
    if drug and unit and logged_unit(drug) and unit != logged_unit(drug):
        if drug == "fentanyl_patch":
            return f"A fentanyl patch is logged by its rate in mcg/hr, not in {unit}: choose mcg/hr"
        return f"{CHOICE_NAMES['drug'][drug]} is logged in mg: choose mg"
    return None


def medication_values(medication) -> dict[str, str]:
    return {"name": medication.name, "drug": medication.drug, "form": medication.form,
            "unit": medication.unit,
            "usual_dose": "" if medication.usual_dose is None else plain_number(medication.usual_dose)}


def read_doses(reader: FormReader, medications) -> dict[int, Decimal]:
    """The day's amounts by medication id; a blank amount is "not taken"."""
    doses = {}
    for medication in medications:
        taken = reader.read(f"amount_{medication.id}", amount(f"Amount of {medication.name}",
                                                             medication.unit))
        if taken is not None:
            doses[medication.id] = taken
    return doses


@dataclass
class TherapyInput:
    day: date
    kind: str
    kind_other: str | None
    note: str | None


def read_therapy(reader: FormReader, *, today: date) -> TherapyInput | None:
    day = reader.read("day", THERAPY_FIELDS["day"], When(datetime.combine(today, time())))
    kind = reader.read("kind", THERAPY_FIELDS["kind"])
    kind_other = read_other(reader, THERAPY_FIELDS, kind, "kind")
    note = reader.read("note", THERAPY_FIELDS["note"])
    if not reader.ok:
        return None
    return TherapyInput(day, kind, kind_other, note)
