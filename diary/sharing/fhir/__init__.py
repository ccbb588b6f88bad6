"""The diary as a FHIR R4 Bundle (type collection) that a clinic's record system can import.

What a receiver gets (README, "FHIR export", says the same for people):
- Patient: the display name, and an identifier (system: the diary's public address; value: the
  account's id, never reused) to match on.
- CodeSystem: the diary's own measures under one URL built from its public address, each with its
  meaning and recall, so every code in the Bundle can be read.
- The daily diary (diary_days), the ketamine series and infusions (infusions), the medicines
  (medicines), other therapies as Procedures, and the PHQ-9 and GAD-7 panels
  (diary.questionnaires.fhir).
Every resource has a short narrative. Built from the plain History; validated in the tests with
fhir.resources (R4B) and FHIR.js (R4).
"""

from collections.abc import Sequence

from diary import days
from diary.questionnaires.fhir import questionnaire_resources
from diary.questionnaires.scoring import Answered
from diary.sharing.fhir.diary_days import add_diary_days
from diary.sharing.fhir.infusions import add_series
from diary.sharing.fhir.medicines import add_medicines
from diary.sharing.fhir.resources import Export, narrative
from diary.sharing.fhir.terminology import (
    CODE_SYSTEM_PATH, MEASURES, SNOMED, SNOMED_THERAPIES, coding,
)
from diary.treatments.choices import choice_name
from diary.trends.history import History

CODE_SYSTEM_SUMMARY = (f"The pain diary's own measures ({len(MEASURES)} codes), each with its meaning "
                       "and recall.")


def fhir_bundle(patient_key: int, display_name: str, history: History, *, base_url: str,
                time_zone: str, export_id: str, questionnaires: Sequence[Answered] = ()) -> dict:
    """``base_url`` is the diary's public address; ``export_id`` names this one export."""
    export = Export(patient_key, base_url.rstrip("/"), time_zone)
    export.add("Patient", export.id(), f"{display_name}, from the pain diary at {export.base_url}.",
               identifier=[{"system": export.base_url, "value": str(patient_key)}],
               name=[{"text": display_name}])
    add_code_system(export)
    add_diary_days(export, history)
    add_series(export, history)
    add_medicines(export, history)
    add_therapies(export, history)
    add_questionnaires(export, questionnaires)
    return {
        "resourceType": "Bundle",
        "identifier": {"system": f"{export.base_url}/fhir/exports", "value": export_id},
        "type": "collection",
        "timestamp": days.utc_now().isoformat(timespec="seconds").replace("+00:00", "Z"),
        "entry": [{"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}
                  for resource in export.resources],
    }


def add_code_system(export: Export) -> None:
    export.add("CodeSystem", export.id("code-system"), CODE_SYSTEM_SUMMARY,
               **code_system_elements(export.code_system_url))


def code_system(base_url: str) -> dict:
    """The CodeSystem alone, as the diary serves it at its URL (no patient data in it)."""
    return {"resourceType": "CodeSystem", "id": "pain-diary", "text": narrative(CODE_SYSTEM_SUMMARY),
            **code_system_elements(base_url.rstrip("/") + CODE_SYSTEM_PATH)}


def code_system_elements(url: str) -> dict:
    return dict(
        url=url, name="PainDiaryMeasures", title="Pain diary measures",
        status="active", content="complete", caseSensitive=True,
        description="Questions and answers of the pain diary that no standard code matches exactly.",
        property=[{"code": "recall", "description": "The period or moment the answer is about",
                   "type": "string"}],
        concept=[{"code": measure.code, "display": measure.display, "definition": measure.definition,
                  "property": [{"code": "recall", "valueString": measure.recall}]}
                 for measure in MEASURES.values()])


def add_therapies(export: Export, history: History) -> None:
    for therapy in history.therapies:
        name = choice_name("therapy", therapy.kind, therapy.kind_other)
        code = {"text": name}
        if therapy.kind in SNOMED_THERAPIES:
            code["coding"] = [coding(SNOMED, SNOMED_THERAPIES[therapy.kind])]
        note = [{"text": therapy.note}] if therapy.note else []
        export.add(
            "Procedure", export.id("therapy", therapy.id, therapy.day),
            f"{name} on {therapy.day.isoformat()}{': ' + therapy.note if therapy.note else ''}.",
            status="completed", code=code, subject=export.subject,
            performedDateTime=therapy.day.isoformat(), note=note)


def add_questionnaires(export: Export, questionnaires: Sequence[Answered]) -> None:
    for answered in questionnaires:
        for resource in questionnaire_resources(answered, export.subject, export.id):
            resource_type, resource_id = resource.pop("resourceType"), resource.pop("id")
            export.add(resource_type, resource_id, questionnaire_summary(resource), **resource)


def questionnaire_summary(observation: dict) -> str:
    if "hasMember" in observation:
        answer = f"{len(observation['hasMember'])} answers and the total"
    elif "valueInteger" in observation:
        answer = str(observation["valueInteger"])
    elif "valueCodeableConcept" in observation:
        answer = observation["valueCodeableConcept"]["text"]
    else:
        answer = observation["dataAbsentReason"]["text"]
    return f"{observation['code']['text']} on {observation['effectiveDateTime']}: {answer}."
