"""The side effects a patient can report, shared by the daily diary and each infusion.

Ketamine's common short-lived effects (dissociation, dizziness, nausea) and, with repeated use,
bladder symptoms, plus the usual companions of chronic pain and its medicines.
"""

from diary.fields import Choice, Text, WholeNumber

# (key, patient's name, hint)
SIDE_EFFECTS = (
    ("dissociation", "Dissociation", "feeling detached or unreal"),
    ("dizziness", "Dizziness", ""),
    ("nausea", "Nausea or vomiting", ""),
    ("headache", "Headache", ""),
    ("drowsiness", "Drowsiness or fatigue", ""),
    ("vision", "Blurred or double vision", ""),
    ("anxiety", "Anxiety", ""),
    ("dreams", "Vivid dreams or hallucinations", ""),
    ("confusion", "Confusion or poor concentration", ""),
    ("racing_heart", "Racing heart", ""),
    ("bladder", "Bladder pain or urgency", ""),
    ("other", "Other", "describe it below"),
)
SIDE_EFFECT_NAMES = {key: name for key, name, _ in SIDE_EFFECTS}

# Severity as stored; "none" is never stored, it is the absence of a row.
SEVERITIES = (("none", 0), ("mild", 1), ("moderate", 2), ("severe", 3))
SEVERITY_NAMES = {level: name for name, level in SEVERITIES}
SEVERITY_LEVELS = {name: level for name, level in SEVERITIES}
MODERATE = SEVERITY_LEVELS["moderate"]

OTHER_TEXT_MAX = 200

# A side effect's row, as the diary and infusion forms create it (checked again by the import).
SYMPTOM = Choice("Side effect", True, tuple(key for key, _, _ in SIDE_EFFECTS))
SEVERITY = WholeNumber("Severity", True, min(SEVERITY_NAMES) + 1, max(SEVERITY_NAMES))
DETAIL = Text("Other side effect", max_length=OTHER_TEXT_MAX)
SIDE_EFFECT_COLUMNS = {"symptom": SYMPTOM, "severity": SEVERITY, "detail": DETAIL}


def detail_problem(symptom: str | None, detail: str | None) -> str | None:
    """Only "other" is described, and it must be."""
    if symptom == "other" and not detail:
        return "Describe the other side effect"
    if symptom != "other" and detail:
        return "Only the other side effect has a description"
    return None
