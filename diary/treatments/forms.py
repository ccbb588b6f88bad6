"""The treatment forms: their choices, and how each submission is read and checked.

Each ``read_*`` function returns a plain input object, or None when ``reader.errors`` says what to
fix. Limits are generous (a rare regimen must fit) but refuse what cannot be right.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from diary.forms import FormReader
from diary.models import NOTES_MAX
from diary.side_effects import OTHER_TEXT_MAX, SEVERITY_LEVELS, SEVERITY_NAMES, SIDE_EFFECTS
from diary.treatments.mme import MME_FACTORS, NON_OPIOID, OPIOIDS_WITHOUT_FACTOR, logged_unit

CONDITIONS = (
    ("crps", "CRPS (complex regional pain syndrome)"),
    ("fibromyalgia", "Fibromyalgia"),
    ("neuropathic", "Neuropathic pain"),
    ("migraine", "Migraine"),
    ("post_surgical", "Post-surgical pain"),
    ("other", "Other"),
)
ROUTES = (
    ("iv", "IV infusion"),
    ("intranasal", "Intranasal spray"),
    ("oral", "Oral / sublingual lozenge"),
    ("im", "Intramuscular"),
    ("other", "Other"),
)
# Patient Global Impression of Change, 7 points, best first.
PGIC = (
    ("very_much_improved", "Very much improved"),
    ("much_improved", "Much improved"),
    ("minimally_improved", "Minimally improved"),
    ("no_change", "No change"),
    ("minimally_worse", "Minimally worse"),
    ("much_worse", "Much worse"),
    ("very_much_worse", "Very much worse"),
)
THERAPY_KINDS = (
    ("physical_therapy", "Physical therapy"),
    ("cbt", "Cognitive behavioural therapy"),
    ("acupuncture", "Acupuncture"),
    ("mindfulness", "Mindfulness or meditation"),
    ("biofeedback", "Biofeedback"),
    ("exercise", "Exercise"),
    ("procedure", "Nerve block or other procedure"),
    ("other", "Other"),
)
DRUGS = (tuple((key, name) for key, (name, _, _) in MME_FACTORS.items())
         + tuple(OPIOIDS_WITHOUT_FACTOR.items())
         + ((NON_OPIOID, "Not an opioid (gabapentin, pregabalin, NSAID, duloxetine, ...)"),))
MEDICATION_FORMS = (("tablet", "Tablet or capsule"), ("liquid", "Liquid"), ("patch", "Patch"),
                    ("spray", "Spray"), ("injection", "Injection"), ("other", "Other"))
UNITS = ("mg", "mcg", "mcg/hr", "g", "ml", "units")

def treatment_noun(route: str) -> str:
    """Only an IV session is an infusion; a spray, a lozenge or an injection is a dose."""
    return "infusion" if route == "iv" else "dose"


CHOICE_NAMES = {group: dict(choices) for group, choices in (
    ("condition", CONDITIONS), ("route", ROUTES), ("pgic", PGIC), ("therapy", THERAPY_KINDS),
    ("drug", DRUGS), ("form", MEDICATION_FORMS))}

PHASES = (("during", "During the infusion"), ("after", "After the infusion"))
INFUSION_PAINS = (
    ("pain_before", "Pain right before"),
    ("pain_after", "Pain right after"),
    ("pain_2h", "Pain 2 hours after"),
    ("pain_24h", "Pain 24 hours after"),
)
ERROR_LINK_IDS = {name: f"{name}-0" for name, _ in INFUSION_PAINS} | {
    f"se_{phase}_{symptom}": f"se_{phase}_{symptom}-none"
    for phase, _ in PHASES for symptom, *_ in SIDE_EFFECTS} | {"pgic": "pgic-very_much_improved"}

DOSE_MAX_MG = Decimal("1000")  # far above any ketamine session or lozenge
WEIGHT_KG = (Decimal("10"), Decimal("400"))
MINUTES_IN_A_DAY = 24 * 60
AMOUNT_MAX = {"mg": Decimal("5000"), "mcg/hr": Decimal("500")}
AMOUNT_MAX_OTHER = Decimal("10000")


@dataclass
class SeriesInput:
    name: str
    condition: str
    condition_other: str | None
    route: str
    route_other: str | None
    clinic: str | None
    notes: str | None


def read_other(reader: FormReader, key: str, name: str, label: str) -> str | None:
    """The free text that goes with an "Other" choice: required then, dropped otherwise."""
    text = reader.text(f"{name}_other", label, max_length=80)
    if key == "other" and not text and f"{name}_other" not in reader.errors:
        reader.fail(f"{name}_other", f"Describe the {label.lower()}")
    return text if key == "other" else None


def read_series(reader: FormReader) -> SeriesInput | None:
    name = reader.text("name", "Name of the series", max_length=80, required=True)
    condition = reader.choice("condition", "The condition treated", dict(CONDITIONS), required=True)
    condition_other = read_other(reader, condition, "condition", "Other condition")
    route = reader.choice("route", "How the ketamine is given", dict(ROUTES), required=True)
    route_other = read_other(reader, route, "route", "Other route")
    clinic = reader.text("clinic", "Clinic", max_length=120)
    notes = reader.text("notes", "Notes", max_length=NOTES_MAX)
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


def read_start_time(reader: FormReader, day: date | None, now: datetime) -> time | None:
    text = reader.raw("start_time")
    if not text:
        reader.fail("start_time", "Enter the start time, like 09:30")
        return None
    try:
        start = time.fromisoformat(text)
    except ValueError:
        start = None
    if start is None or len(text) > 8:
        reader.fail("start_time", "Start time must be a time of day, like 09:30")
        return None
    start = start.replace(second=0, microsecond=0)
    if day == now.date() and start > now.time():
        reader.fail("start_time", f"Start time cannot be later than now ({now:%H:%M})")
        return None
    return start


def read_infusion(reader: FormReader, *, now: datetime) -> InfusionInput | None:
    """``now`` is the patient's local wall-clock time: no infusion can start after it."""
    day = reader.day("day", "Date", latest=now.date())
    start_time = read_start_time(reader, day, now)
    duration = reader.whole_number("duration_min", "Duration", minimum=1, maximum=MINUTES_IN_A_DAY,
                                   unit="minutes")
    if "duration_min" in reader.errors and (reader.raw("duration_min").isdigit()
                                           and int(reader.raw("duration_min")) > MINUTES_IN_A_DAY):
        reader.errors["duration_min"] = "Duration cannot be more than 24 hours (1440 minutes)"
    dose = reader.number("dose_mg", "Dose", minimum=Decimal("0.01"), maximum=DOSE_MAX_MG, unit="mg")
    weight = reader.number("weight_kg", "Body weight", minimum=WEIGHT_KG[0], maximum=WEIGHT_KG[1],
                           unit="kg", places=1)
    pains = read_pains(reader, [name for name, _ in INFUSION_PAINS])
    side_effects = {}
    for phase, _ in PHASES:
        for symptom, label, _ in SIDE_EFFECTS:
            severity = reader.choice(f"se_{phase}_{symptom}", f"How bad {label.lower()} was",
                                     SEVERITY_LEVELS)
            if severity and SEVERITY_LEVELS[severity]:
                side_effects[(phase, symptom)] = (SEVERITY_LEVELS[severity], None)
        other = reader.text(f"se_{phase}_other_text", "Other side effect", max_length=OTHER_TEXT_MAX)
        if (phase, "other") in side_effects:
            if not other:
                reader.fail(f"se_{phase}_other_text", "Describe the other side effect")
            side_effects[(phase, "other")] = (side_effects[(phase, "other")][0], other)
    notes = reader.text("notes", "Notes", max_length=NOTES_MAX)
    if not reader.ok:
        return None
    return InfusionInput(day, start_time, duration, dose, weight, pains, side_effects, notes)


def read_pains(reader: FormReader, names: list[str]) -> dict[str, int | None]:
    labels = dict(INFUSION_PAINS)
    return {name: reader.scale(name, labels[name]) for name in names}


def infusion_values(infusion, side_effects) -> dict[str, str]:
    """An infusion as form values, to prefill its edit form."""
    values = {"day": infusion.day.isoformat(), "start_time": f"{infusion.start_time:%H:%M}",
              "notes": infusion.notes or ""}
    for name in ("duration_min", "dose_mg", "weight_kg", *dict(INFUSION_PAINS)):
        value = getattr(infusion, name)
        values[name] = "" if value is None else plain_number(value)
    for effect in side_effects:
        values[f"se_{effect.phase}_{effect.symptom}"] = SEVERITY_NAMES[effect.severity]
        if effect.detail:
            values[f"se_{effect.phase}_other_text"] = effect.detail
    return values


def plain_number(value) -> str:
    """12.50 -> "12.5", 40 -> "40": how a number is shown in a form field."""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def read_pgic(reader: FormReader) -> str | None:
    return reader.choice("pgic", "How you are since before the series", dict(PGIC), required=True)


@dataclass
class MedicationInput:
    name: str
    drug: str
    form: str
    unit: str
    usual_dose: Decimal | None


def read_medication(reader: FormReader) -> MedicationInput | None:
    name = reader.text("name", "Name of the medicine", max_length=80, required=True)
    drug = reader.choice("drug", "What kind of medicine it is", dict(DRUGS), required=True)
    form = reader.choice("form", "Its form", dict(MEDICATION_FORMS), required=True)
    unit = reader.choice("unit", "The unit", UNITS, required=True)
    if drug and unit and logged_unit(drug) and unit != logged_unit(drug):
        if drug == "fentanyl_patch":
            reader.fail("unit", "A fentanyl patch is logged by its rate in mcg/hr, not in "
                                f"{unit}: choose mcg/hr")
        else:
            reader.fail("unit", f"{CHOICE_NAMES['drug'][drug]} is logged in mg: choose mg")
    usual = read_amount(reader, "usual_dose", "Usual dose", unit if "unit" not in reader.errors else None)
    if not reader.ok:
        return None
    return MedicationInput(name, drug, form, unit, usual)


def read_amount(reader: FormReader, name: str, label: str, unit: str | None,
                required: bool = False) -> Decimal | None:
    maximum = AMOUNT_MAX.get(unit or "", AMOUNT_MAX_OTHER)
    return reader.number(name, label, minimum=Decimal("0.01"), maximum=maximum, unit=unit or "",
                         required=required)


def medication_values(medication) -> dict[str, str]:
    return {"name": medication.name, "drug": medication.drug, "form": medication.form,
            "unit": medication.unit,
            "usual_dose": "" if medication.usual_dose is None else plain_number(medication.usual_dose)}


def read_doses(reader: FormReader, medications) -> dict[int, Decimal]:
    """The day's amounts by medication id; a blank amount is "not taken"."""
    doses = {}
    for medication in medications:
        amount = read_amount(reader, f"amount_{medication.id}", f"Amount of {medication.name}",
                             medication.unit)
        if amount is not None:
            doses[medication.id] = amount
    return doses


@dataclass
class TherapyInput:
    day: date
    kind: str
    kind_other: str | None
    note: str | None


def read_therapy(reader: FormReader, *, today: date) -> TherapyInput | None:
    day = reader.day("day", "Date", latest=today)
    kind = reader.choice("kind", "The therapy", dict(THERAPY_KINDS), required=True)
    kind_other = read_other(reader, kind, "kind", "Other therapy")
    note = reader.text("note", "Note", max_length=NOTES_MAX)
    if not reader.ok:
        return None
    return TherapyInput(day, kind, kind_other, note)
