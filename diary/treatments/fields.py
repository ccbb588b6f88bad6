"""The treatment answers: the choices offered, the limits, and the field that checks each column.

The forms (diary.treatments.forms) read their answers with these fields, and the CSV import
(diary.sharing.importing) checks every imported column with the same one. Limits are generous
(a rare regimen must fit) but refuse what cannot be right.
"""

from decimal import Decimal

from diary.fields import Choice, Day, Moment, Number, Scale, Text, TimeOfDay, WholeNumber, YesNo
from diary.models import NOTES_MAX
from diary.side_effects import SIDE_EFFECT_COLUMNS
from diary.treatments.choices import (  # noqa: F401  the choices, read from here by the forms
    CHOICE_NAMES, CONDITIONS, DRUGS, MEDICATION_FORMS, PGIC, ROUTES, THERAPY_KINDS, UNITS, choice_name,
)

PHASES = (("during", "During the infusion"), ("after", "After the infusion"))
INFUSION_PAINS = (
    ("pain_before", "Pain right before"),
    ("pain_after", "Pain right after"),
    ("pain_2h", "Pain 2 hours after"),
    ("pain_24h", "Pain 24 hours after"),
)
DOSE_MAX_MG = Decimal("1000")  # far above any ketamine session or lozenge
MINUTES_IN_A_DAY = 24 * 60
AMOUNT_MAX = {"mg": Decimal("5000"), "mcg/hr": Decimal("500")}
AMOUNT_MAX_OTHER = Decimal("10000")
USUAL_LEAST = Decimal("0.01")

# Each field once: the forms below read them, and the import checks every column with them.
NOTES = Text("Notes", max_length=NOTES_MAX)
CREATED_AT, UPDATED_AT = Moment("Created at", True), Moment("Updated at", True)
SERIES_FIELDS = {
    "name": Text("Name of the series", True, 80),
    "condition": Choice("The condition treated", True, tuple(dict(CONDITIONS))),
    "condition_other": Text("Other condition", max_length=80),
    "route": Choice("How the ketamine is given", True, tuple(dict(ROUTES))),
    "route_other": Text("Other route", max_length=80),
    "clinic": Text("Clinic", max_length=120),
    "notes": NOTES,
    "pgic": Choice("How you are since before the series", False, tuple(dict(PGIC))),
}
INFUSION_FIELDS = {
    "day": Day("Date", True),
    "start_time": TimeOfDay("Start time", True),
    "duration_min": WholeNumber("Duration", False, 1, MINUTES_IN_A_DAY, "minutes"),
    "dose_mg": Number("Dose", False, Decimal("0.01"), DOSE_MAX_MG, "mg"),
    "weight_kg": Number("Body weight", False, Decimal("10"), Decimal("400"), "kg", places=1),
    **{name: Scale(label) for name, label in INFUSION_PAINS},
    "notes": NOTES,
}
MEDICATION_FIELDS = {
    "name": Text("Name of the medicine", True, 80),
    "drug": Choice("What kind of medicine it is", True, tuple(dict(DRUGS))),
    "form": Choice("Its form", True, tuple(dict(MEDICATION_FORMS))),
    "unit": Choice("The unit", True, UNITS),
}
THERAPY_FIELDS = {
    "day": Day("Date", True),
    "kind": Choice("The therapy", True, tuple(dict(THERAPY_KINDS))),
    "kind_other": Text("Other therapy", max_length=80),
    "note": Text("Note", max_length=NOTES_MAX),
}


def amount(label: str, unit: str | None, required: bool = False, least=Decimal("0")) -> Number:
    """How much of a medicine: the most that is believable depends on its unit. A dose taken on a
    day may be 0 ("not taken", as a tapering patient types it); a usual dose may not."""
    return Number(label, required, least, AMOUNT_MAX.get(unit or "", AMOUNT_MAX_OTHER), unit or "")


# Every column of the treatment tables and its field, for the import (rules across columns:
# diary.sharing.rules).
COLUMNS = {
    "infusion_series": SERIES_FIELDS | {"created_at": CREATED_AT, "updated_at": UPDATED_AT},
    "infusion": INFUSION_FIELDS | {"created_at": CREATED_AT, "updated_at": UPDATED_AT},
    "infusion_side_effect": {"phase": Choice("Phase", True, tuple(dict(PHASES))),
                             **SIDE_EFFECT_COLUMNS},
    "medication": MEDICATION_FIELDS | {"usual_dose": amount("Usual dose", None, least=USUAL_LEAST),
                                       "active": YesNo("Active", True), "created_at": CREATED_AT},
    "medication_day": {"day": Day("Date", True), "updated_at": UPDATED_AT},
    "medication_dose": {"amount": amount("Amount", None, required=True)},
    "therapy_event": THERAPY_FIELDS | {"created_at": CREATED_AT},
}
