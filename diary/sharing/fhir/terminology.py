"""The codes the FHIR export speaks, in one place.

Standard codes (LOINC, SNOMED CT, RxNorm, UCUM) only where one means exactly what the diary asked
or recorded; everything else is the diary's own measure, under one code system whose URL is built
from the diary's public address and whose concepts (meaning and recall) go into the Bundle as a
CodeSystem resource. The loaded history carries each choice's key, which the tables below map
to a standard code; the words a patient reads go beside it as text.
"""

from dataclasses import dataclass

from diary.entries.forms import SCALES
from diary.side_effects import SIDE_EFFECTS
from diary.treatments.forms import INFUSION_PAINS, PGIC

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CODE_SYSTEM_PATH = "/fhir/CodeSystem/pain-diary"  # after the diary's public address

# Source: LOINC (loinc.org/72514-3, loinc.org/29463-7).
LOINC_CODES = {
    "pain_severity": ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"),
    "body_weight": ("29463-7", "Body weight"),
}

# Source: RxNorm (NLM RxNav), ingredient concepts (term type IN); ketamine, and the drug keys of
# diary.treatments.mme (a non-opioid's drug is unknown to the diary: its name goes as text).
RXNORM_INGREDIENTS = {
    "ketamine": ("6130", "ketamine"),
    "morphine": ("7052", "morphine"),
    "codeine": ("2670", "codeine"),
    "hydrocodone": ("5489", "hydrocodone"),
    "hydromorphone": ("3423", "hydromorphone"),
    "oxycodone": ("7804", "oxycodone"),
    "oxymorphone": ("7814", "oxymorphone"),
    "tapentadol": ("787390", "tapentadol"),
    "tramadol": ("10689", "tramadol"),
    "methadone": ("6813", "methadone"),
    "fentanyl_patch": ("4337", "fentanyl"),
    "fentanyl_other": ("4337", "fentanyl"),
    "buprenorphine": ("1819", "buprenorphine"),
}

# Source: SNOMED CT International Edition, route of administration (qualifier values).
SNOMED_ROUTES = {
    "intravenous": ("47625008", "Intravenous route"),
    "nasal": ("46713006", "Nasal route"),
    "sublingual": ("37839007", "Sublingual route"),
    "intramuscular": ("78421000", "Intramuscular route"),
    "oral": ("26643006", "Oral route"),
    "transdermal": ("45890007", "Transdermal route"),
}
# A series' route (key) -> its SNOMED route. The lozenge is held under the tongue.
SERIES_ROUTES = {"iv": "intravenous", "intranasal": "nasal", "oral": "sublingual",
                 "im": "intramuscular"}
# A medicine's form (key) -> its route, where the form decides it; a spray or an injection may
# go several ways, so those carry their form's text only.
FORM_ROUTES = {"tablet": "oral", "liquid": "oral", "patch": "transdermal"}

# Source: SNOMED CT International Edition, clinical findings; only symptoms the diary names
# exactly ("Nausea or vomiting" is neither 422587007 Nausea nor 16932000 Nausea and vomiting).
SNOMED_SYMPTOMS = {
    "dizziness": ("404640003", "Dizziness"),
    "headache": ("25064002", "Headache"),
    "anxiety": ("48694002", "Anxiety"),
    "racing_heart": ("80313002", "Palpitations"),
}
# Source: SNOMED CT International Edition, severity qualifier values; the diary's 1..3.
SNOMED_SEVERITIES = {
    1: ("255604002", "Mild"),
    2: ("6736007", "Moderate"),
    3: ("24484000", "Severe"),
}
# Source: SNOMED CT International Edition, procedures; other therapies carry their text.
SNOMED_THERAPIES = {
    "physical_therapy": ("91251008", "Physical therapy procedure"),
    "cbt": ("304891004", "Cognitive behavioral therapy"),
}

# Source: UCUM (unitsofmeasure.org); the diary's unit -> (UCUM code, unit shown).
UCUM_UNITS = {
    "mg": ("mg", "mg"),
    "mcg": ("ug", "mcg"),
    "mcg/hr": ("ug/h", "mcg/h"),
    "g": ("g", "g"),
    "ml": ("mL", "mL"),
    "units": ("{units}", "units"),  # the diary does not know which units: an annotation only
}
SCORE_UNIT = ("{score}", "score")


def coding(system: str, code_and_display: tuple[str, str]) -> dict:
    code, display = code_and_display
    return {"system": system, "code": code, "display": display}


def route_concept(route: str | None, text: str) -> dict:
    """A route as SNOMED CT where known, always with the diary's words."""
    if route in SNOMED_ROUTES:
        return {"coding": [coding(SNOMED, SNOMED_ROUTES[route])], "text": text}
    return {"text": text}


def quantity(value, unit: str) -> dict:
    """A value in one of the diary's units, as a UCUM quantity (a unit it does not know: as text)."""
    if unit not in UCUM_UNITS:
        return {"value": value, "unit": unit}
    code, shown = UCUM_UNITS[unit]
    return {"value": value, "unit": shown, "system": UCUM, "code": code}


# The diary's own measures: (code, display, definition, recall). Scales are 0-10.
@dataclass(frozen=True)
class Measure:
    code: str
    display: str
    definition: str
    recall: str


SCALE_FIELDS = {"pain_avg": "pain-average", "pain_worst": "pain-worst",
                "interference_enjoyment": "peg-enjoyment", "interference_activity": "peg-activity",
                "mood": "mood", "sleep_quality": "sleep-quality"}
SCALE_RECALL = {"pain_avg": "the last 24 hours", "pain_worst": "the last 24 hours",
                "interference_enjoyment": "the last 24 hours (the PEG itself asks about the past week)",
                "interference_activity": "the last 24 hours (the PEG itself asks about the past week)",
                "mood": "the diary day", "sleep_quality": "the night before the diary day"}
PAIN_TIMES = {"pain_before": ("before", "right before the infusion or dose starts"),
              "pain_after": ("after", "right after the infusion or dose"),
              "pain_2h": ("2h", "2 hours after the start"),
              "pain_24h": ("24h", "24 hours after the start")}


def side_effect_code(symptom: str) -> str:
    return f"side-effect-{symptom.replace('_', '-')}"


def pgic_code(answer: str) -> str:
    return f"pgic-{answer.replace('_', '-')}"


def diary_measures() -> tuple[Measure, ...]:
    measures = [
        Measure(SCALE_FIELDS[name], label,
                f"{label}, answered daily from 0 ({low}) to 10 ({high}).", SCALE_RECALL[name])
        for name, label, low, high in SCALES]
    measures.append(Measure(
        "peg-score", "PEG score",
        "Mean of the day's average pain, interference with enjoyment of life and interference "
        "with general activity (the three items of the PEG, Krebs et al. 2009), 0 to 10; "
        "given only for days with all three.", "the last 24 hours"))
    for name, label in INFUSION_PAINS:
        code, when = PAIN_TIMES[name]
        measures.append(Measure(
            f"infusion-pain-{code}", label,
            f"Pain from 0 (no pain) to 10 (worst pain imaginable), {when} of ketamine.",
            "at the time given"))
    measures += [
        Measure(side_effect_code(symptom), name,
                f"{name}{' (' + hint + ')' if hint and symptom != 'other' else ''} as a side "
                "effect, rated mild, moderate or severe.",
                "the diary day, or during or after an infusion")
        for symptom, name, hint in SIDE_EFFECTS]
    measures.append(Measure(
        "pgic", "Patient Global Impression of Change",
        "How the patient is since before a series of ketamine treatments, on the 7 answers of "
        "the PGIC, from very much improved to very much worse.", "since before the series began"))
    measures += [Measure(pgic_code(answer), label, f"PGIC answer: {label.lower()}.",
                         "since before the series began") for answer, label in PGIC]
    return tuple(measures)


MEASURES = {measure.code: measure for measure in diary_measures()}
