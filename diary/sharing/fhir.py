"""The diary as a FHIR R4 Bundle: an Observation per daily score, a MedicationAdministration per
ketamine infusion. Built from the plain History; validated in tests with fhir.resources (R4B).

Only average pain has a standard LOINC code that matches what the diary asks (72514-3). The
other scores are the diary's own questions, so they carry a code from the diary's own code system
and their question as text, rather than a standard code that would claim more than was asked.
"""

import uuid

from diary.treatments.forms import CHOICE_NAMES
from diary.trends.history import History

ROUTE_NAMES = CHOICE_NAMES["route"]

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
SNOMED = "http://snomed.info/sct"
DIARY_CODES = "https://pain-diary.invalid/fhir/CodeSystem/daily-scores"
SURVEY = {"system": "http://terminology.hl7.org/CodeSystem/observation-category",
          "code": "survey", "display": "Survey"}

# (History field, code system, code, display)
SCORE_CODES = (
    ("pain_avg", LOINC, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"),
    ("pain_worst", DIARY_CODES, "pain-worst-24h", "Worst pain in the last 24 hours, 0-10"),
    ("interference_enjoyment", DIARY_CODES, "peg-enjoyment", "Pain interference with enjoyment of life, 0-10"),
    ("interference_activity", DIARY_CODES, "peg-activity", "Pain interference with general activity, 0-10"),
    ("mood", DIARY_CODES, "mood", "Mood, 0 very low to 10 very good"),
    ("sleep_quality", DIARY_CODES, "sleep-quality", "Sleep quality, 0 very poor to 10 very good"),
)

KETAMINE = {"system": RXNORM, "code": "6130", "display": "ketamine"}  # RxNorm ingredient

# Route of a series (as History names it) -> SNOMED CT route of administration (qualifier value).
# "Other" routes carry their text only.
ROUTE_CODES = {
    ROUTE_NAMES["iv"]: ("47625008", "Intravenous route"),
    ROUTE_NAMES["intranasal"]: ("46713006", "Nasal route"),
    ROUTE_NAMES["oral"]: ("37839007", "Sublingual route"),  # the lozenge is held under the tongue
    ROUTE_NAMES["im"]: ("78421000", "Intramuscular route"),
}


def stable_id(*parts) -> str:
    """The same resource gets the same id in every export."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "pain-diary:" + ":".join(str(part) for part in parts)))


def fhir_bundle(patient_key: int, display_name: str, history: History) -> dict:
    patient_id = stable_id("patient", patient_key)
    subject = {"reference": f"urn:uuid:{patient_id}"}
    resources = [{"resourceType": "Patient", "id": patient_id, "name": [{"text": display_name}]}]
    for day, entry in sorted(history.entries.items()):
        for field, system, code, display in SCORE_CODES:
            value = getattr(entry, field)
            if value is None:
                continue
            resources.append({
                "resourceType": "Observation",
                "id": stable_id("observation", patient_key, field, day),
                "status": "final",
                "category": [{"coding": [SURVEY]}],
                "code": {"coding": [{"system": system, "code": code, "display": display}], "text": display},
                "subject": subject,
                "effectiveDateTime": day.isoformat(),
                "valueInteger": value,
            })
    for series in history.series:
        route = ROUTE_CODES.get(series.route)
        for infusion in series.infusions:
            dosage = {"text": f"{series.name}: {series.route or 'route not given'}"}
            if route:
                dosage["route"] = {"coding": [{"system": SNOMED, "code": route[0], "display": route[1]}]}
            if infusion.dose_mg is not None:
                dosage["dose"] = {"value": infusion.dose_mg, "unit": "mg", "system": UCUM, "code": "mg"}
            resources.append({
                "resourceType": "MedicationAdministration",
                "id": stable_id("infusion", patient_key, infusion.id),
                "status": "completed",
                "medicationCodeableConcept": {"coding": [KETAMINE], "text": "Ketamine"},
                "subject": subject,
                "effectiveDateTime": infusion.day.isoformat(),
                "dosage": dosage,
            })
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource} for resource in resources],
    }
