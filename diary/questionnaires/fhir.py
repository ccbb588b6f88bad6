"""Each PHQ-9 and GAD-7 as FHIR R4 Observations: a panel (LOINC 44249-1 or 69737-5) whose
members are one Observation per answered item (LOINC item code, LOINC answer code) and the total
(44261-6 or 70274-6). Pure: the export (diary.sharing.fhir) adds them to its Bundle.

An incomplete questionnaire has no total: its total Observation says why (dataAbsentReason),
never a sum that counts a missing answer as 0.
"""

from typing import Callable

from diary.questionnaires.items import (
    ANSWER_WORDS, DIFFICULTY_QUESTION, DIFFICULTY_WORDS, LOINC, LOINC_ANSWERS, LOINC_DIFFICULTIES,
    QUESTIONNAIRES,
)
from diary.questionnaires.scoring import Answered

LOINC_SYSTEM = "http://loinc.org"
SURVEY = {"system": "http://terminology.hl7.org/CodeSystem/observation-category",
          "code": "survey", "display": "Survey"}
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
TOTAL_NAMES = {"phq9": "PHQ-9 total score", "gad7": "GAD-7 total score"}


def loinc(code: str, display: str) -> dict:
    return {"coding": [{"system": LOINC_SYSTEM, "code": code, "display": display}], "text": display}


def observation(resource_id: str, code: dict, subject: dict, answered: Answered, **value) -> dict:
    return {"resourceType": "Observation", "id": resource_id, "status": "final",
            "category": [{"coding": [SURVEY]}], "code": code, "subject": subject,
            "effectiveDateTime": answered.day.isoformat(), **value}


def coded_answer(code: str, words: str, points: int) -> dict:
    return {"valueCodeableConcept": {"coding": [{"system": LOINC_SYSTEM, "code": code, "display": words}],
                                     "text": f"{words} ({points})"}}


def questionnaire_resources(answered: Answered, subject: dict, make_id: Callable[..., str]) -> list[dict]:
    """The panel first, then its members: items in order, the closing question, the total."""
    questionnaire, codes = QUESTIONNAIRES[answered.kind], LOINC[answered.kind]
    members = []
    for number, (text, code, points) in enumerate(
            zip(questionnaire.items, codes["items"], answered.answers), start=1):
        if points is None:
            continue  # not answered: no Observation claims an answer
        members.append(observation(make_id("questionnaire-item", answered.id, number), loinc(code, text),
                                   subject, answered,
                                   **coded_answer(LOINC_ANSWERS[points], ANSWER_WORDS[points], points)))
    difficulty = answered.difficulty
    if difficulty is not None and codes["difficulty"]:
        members.append(observation(
            make_id("questionnaire-difficulty", answered.id), loinc(codes["difficulty"], DIFFICULTY_QUESTION),
            subject, answered, **coded_answer(LOINC_DIFFICULTIES[difficulty], DIFFICULTY_WORDS[difficulty],
                                              difficulty)))
    if answered.complete:
        total = {"valueInteger": answered.total,
                 "interpretation": [{"text": f"{answered.band} ({questionnaire.name} band)"}]}
    else:
        total = {"dataAbsentReason": {"coding": [{"system": DATA_ABSENT, "code": "not-performed",
                                                  "display": "Not Performed"}],
                                      "text": "incomplete: not every item was answered, so no total"}}
    total_resource = observation(make_id("questionnaire-total", answered.id),
                                 loinc(codes["total"], TOTAL_NAMES[answered.kind]), subject, answered,
                                 derivedFrom=[{"reference": f"urn:uuid:{member['id']}"} for member in members],
                                 **total)
    members.append(total_resource)
    panel = observation(make_id("questionnaire", answered.id),
                        loinc(codes["panel"], f"{questionnaire.name} ({questionnaire.title.lower()})"),
                        subject, answered,
                        hasMember=[{"reference": f"urn:uuid:{member['id']}"} for member in members])
    if answered.safety_flag:
        panel["note"] = [{"text": f"Question 9 answered \"{ANSWER_WORDS[answered.answers[8]]}\": thoughts "
                                  "that they would be better off dead or of hurting themselves."}]
    return [panel, *members]
