"""The side effects a patient can report, shared by the daily diary and each infusion.

Ketamine's common short-lived effects (dissociation, dizziness, nausea) and, with repeated use,
bladder symptoms, plus the usual companions of chronic pain and its medicines. A form's group of
them (a severity for each, words for "other") is read here, for the diary and the infusion forms.
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


SEVERITY_CHOICES = {symptom: Choice(f"How bad {name.lower()} was", choices=tuple(SEVERITY_LEVELS))
                    for symptom, name, _ in SIDE_EFFECTS}


def read_side_effects(reader, prefix: str) -> dict[str, tuple[int, str | None]]:
    """A form's side-effect group: ``{prefix}{symptom}`` (none, mild, moderate or severe) for each
    symptom and ``{prefix}other_text``. Symptom -> (severity 1..3, the patient's words for
    "other"); "none" is left out. Problems go to ``reader`` (a diary.forms.FormReader)."""
    side_effects: dict[str, tuple[int, str | None]] = {}
    for symptom, choice in SEVERITY_CHOICES.items():
        severity = reader.read(f"{prefix}{symptom}", choice)
        if severity and SEVERITY_LEVELS[severity]:
            side_effects[symptom] = (SEVERITY_LEVELS[severity], None)
    other = reader.read(f"{prefix}other_text", DETAIL)
    if "other" in side_effects:
        if problem := detail_problem("other", other):
            reader.fail(f"{prefix}other_text", problem)
        side_effects["other"] = (side_effects["other"][0], other)
    return side_effects


def side_effect_values(side_effects, prefix: str) -> dict[str, str]:
    """Stored side effects (rows with ``symptom``, ``severity`` and ``detail``) as the form values
    of the group that ``read_side_effects`` reads, to prefill an edit form."""
    values = {}
    for effect in side_effects:
        values[f"{prefix}{effect.symptom}"] = SEVERITY_NAMES[effect.severity]
        if effect.detail:
            values[f"{prefix}other_text"] = effect.detail
    return values
