"""The treatment choices: the key the diary stores for each answer and the name a patient reads.

Pure (no Flask, no database): the history carries keys, and whatever renders it (pages, charts,
the clinician report, the FHIR export) chooses the words here.
"""

from diary.treatments.mme import MME_FACTORS, NON_OPIOID, OPIOIDS_WITHOUT_FACTOR

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

CHOICE_NAMES = {group: dict(choices) for group, choices in (
    ("condition", CONDITIONS), ("route", ROUTES), ("pgic", PGIC), ("therapy", THERAPY_KINDS),
    ("drug", DRUGS), ("form", MEDICATION_FORMS))}


def choice_name(group: str, key: str, other: str | None = "") -> str:
    """What the patient reads for a choice of ``group``: their own words for an "Other" (the
    ``*_other`` column), else the choice's name; "" for no choice. Records and rows carry the key;
    only what renders them calls this."""
    return other or CHOICE_NAMES[group].get(key, "")
