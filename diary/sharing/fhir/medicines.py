"""The patient's medicines, every one as logged (opioids with or without an MME factor alike).

Each medicine is a Medication (RxNorm ingredient where the diary knows the drug, the patient's name
for it as text, its form) and a MedicationStatement: taken from the first to the last day logged,
with the usual dose and the route. Each day's amount is a MedicationAdministration over that
calendar day (the diary records a day's total, not the times of each dose), with the amount in
UCUM units; a patch's amount is its rate in mcg/h, worn that day. The statement is derived from
those days.
"""

from diary.sharing.fhir.resources import Export
from diary.sharing.fhir.terminology import (
    FORM_ROUTES, RXNORM, RXNORM_INGREDIENTS, UCUM_UNITS, coding, quantity, route_concept,
)
from diary.treatments.forms import CHOICE_NAMES
from diary.treatments.mme import NON_OPIOID
from diary.trends.history import History, MedicationRecord

RATE_UNITS = ("mcg/hr",)  # a patch is logged by its rate, not an amount


def add_medicines(export: Export, history: History) -> None:
    for medicine in history.medications:
        medication = add_medication(export, medicine)
        route = route_concept(FORM_ROUTES.get(medicine.form), route_text(medicine))
        days = [export.id("medicine-day", medicine.id, day) for day, _ in medicine.doses]
        add_statement(export, medicine, medication, route, days)
        for (day, amount), day_id in zip(medicine.doses, days):
            export.add(
                "MedicationAdministration", day_id,
                f"{medicine.name} on {day.isoformat()}: {day_text(medicine, amount)}.",
                status="completed", medicationReference=export.reference(medication),
                subject=export.subject, performer=[{"actor": export.subject}],
                effectivePeriod={"start": day.isoformat(), "end": day.isoformat()},
                dosage={"text": f"{day_text(medicine, amount)} on {day.isoformat()}",
                        "route": route, **amount_element(medicine, amount, "dose")})


def add_medication(export: Export, medicine: MedicationRecord) -> str:
    code = {"text": medicine.name}
    if medicine.drug in RXNORM_INGREDIENTS:
        code["coding"] = [coding(RXNORM, RXNORM_INGREDIENTS[medicine.drug])]
    form = CHOICE_NAMES["form"].get(medicine.form, medicine.form)
    kind = "not an opioid" if medicine.drug == NON_OPIOID else CHOICE_NAMES["drug"].get(medicine.drug, medicine.drug)
    return export.add(
        "Medication", export.id("medication", medicine.id), f"{medicine.name} ({kind}), {form.lower()}.",
        code=code, form={"text": form})


def add_statement(export: Export, medicine: MedicationRecord, medication: str, route: dict,
                  days: list[str]) -> None:
    dosage = {"text": "Usual dose not given", "route": route}
    if medicine.usual_dose is not None:
        dosage["text"] = f"Usual dose {amount_text(medicine, medicine.usual_dose)}"
        dosage["doseAndRate"] = [amount_element(medicine, medicine.usual_dose, "doseQuantity")]
    elements = {}
    taken = "not logged as taken yet"
    if medicine.doses:
        elements["effectivePeriod"] = {"start": medicine.first_day.isoformat(),
                                       "end": medicine.last_day.isoformat()}
        taken = (f"taken on {len(days)} day{'s' if len(days) > 1 else ''} from {medicine.first_day.isoformat()} "
                 f"to {medicine.last_day.isoformat()}")
    export.add(
        "MedicationStatement", export.id("medicine", medicine.id),
        f"{medicine.name}: {taken}; {dosage['text'].lower()}; "
        f"{'still on the list' if medicine.active else 'stopped'}.",
        # A medicine taken off the patient's list keeps its days: stopped, not entered in error.
        status="active" if medicine.active else "stopped",
        medicationReference=export.reference(medication), subject=export.subject,
        informationSource=export.subject, derivedFrom=[export.reference(day) for day in days],
        dosage=[dosage], **elements)


def amount_element(medicine: MedicationRecord, amount, dose_name: str) -> dict:
    """``{dose_name: quantity}``, or a patch's ``rateQuantity``."""
    name = "rateQuantity" if medicine.unit in RATE_UNITS else dose_name
    return {name: quantity(amount, medicine.unit)}


def day_text(medicine: MedicationRecord, amount) -> str:
    if medicine.unit in RATE_UNITS:
        return f"{amount_text(medicine, amount)} worn"
    return f"{amount_text(medicine, amount)} in all"


def amount_text(medicine: MedicationRecord, amount) -> str:
    return f"{amount.normalize():f} {UCUM_UNITS.get(medicine.unit, ('', medicine.unit))[1]}"


def route_text(medicine: MedicationRecord) -> str:
    route = FORM_ROUTES.get(medicine.form)
    form = CHOICE_NAMES["form"].get(medicine.form, medicine.form)
    return f"{route.capitalize()}, {form.lower()}" if route else f"{form}, route not recorded"
