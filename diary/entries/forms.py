"""The daily entry form: which fields it has and how a submission is read."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from diary.fields import Choice, Day, Moment, Scale, Text, When
from diary.forms import FormReader
from diary.models import NOTES_MAX
from diary.side_effects import (
    DETAIL, SEVERITY_LEVELS, SEVERITY_NAMES, SIDE_EFFECT_COLUMNS, SIDE_EFFECTS, detail_problem,
)

# (field, label, word at 0, word at 10); average pain is the one required answer.
SCALES = (
    ("pain_avg", "Average pain in the last 24 hours", "no pain", "worst pain imaginable"),
    ("pain_worst", "Worst pain in the last 24 hours", "no pain", "worst pain imaginable"),
    ("interference_enjoyment", "How much pain got in the way of enjoying life",
     "not at all", "completely"),
    ("interference_activity", "How much pain got in the way of your general activity",
     "not at all", "completely"),
    ("mood", "Mood", "very low", "very good"),
    ("sleep_quality", "Sleep quality last night", "very poor", "very good"),
)

DAY = Day("Date", True)
SCORES = {name: Scale(label, name == "pain_avg") for name, label, _, _ in SCALES}
NOTES = Text("Notes", max_length=NOTES_MAX)
SEVERITY_CHOICE = tuple(SEVERITY_LEVELS)
# Every column of the entry tables and the field that checks it, for the import.
COLUMNS = {
    "entry": {"day": DAY, **SCORES, "notes": NOTES, "created_at": Moment("Created at", True),
              "updated_at": Moment("Updated at", True)},
    "entry_side_effect": SIDE_EFFECT_COLUMNS,
}

# Where the error summary's link for a field lands: the first button of a group.
ERROR_LINK_IDS = {name: f"{name}-0" for name, *_ in SCALES} | {
    f"se_{symptom}": f"se_{symptom}-none" for symptom, *_ in SIDE_EFFECTS}


@dataclass
class EntryInput:
    """A valid submission, ready to store."""

    day: date
    scores: dict[str, int | None]
    side_effects: dict[str, int] = field(default_factory=dict)  # symptom -> severity 1..3
    other_side_effect: str | None = None
    notes: str | None = None


def read_entry(reader: FormReader, *, today: date) -> EntryInput | None:
    """Read and check the entry form; None when ``reader.errors`` says what to fix."""
    day = reader.read("day", DAY, When(datetime.combine(today, time())))
    scores = {name: reader.read(name, field) for name, field in SCORES.items()}
    side_effects = {}
    for symptom, name, _ in SIDE_EFFECTS:
        severity = reader.read(f"se_{symptom}", Choice(f"How bad {name.lower()} was",
                                                       choices=SEVERITY_CHOICE))
        if severity and SEVERITY_LEVELS[severity]:
            side_effects[symptom] = SEVERITY_LEVELS[severity]
    other = reader.read("se_other_text", DETAIL)
    if "other" in side_effects and (problem := detail_problem("other", other)):
        reader.fail("se_other_text", problem)
    notes = reader.read("notes", NOTES)
    if not reader.ok:
        return None
    return EntryInput(day=day, scores=scores, side_effects=side_effects,
                      other_side_effect=other if "other" in side_effects else None, notes=notes)


def entry_values(entry, side_effects) -> dict[str, str]:
    """An existing entry as form values, to prefill the edit form."""
    values = {"day": entry.day.isoformat(), "notes": entry.notes or ""}
    for name, *_ in SCALES:
        score = getattr(entry, name)
        values[name] = "" if score is None else str(score)
    for effect in side_effects:
        values[f"se_{effect.symptom}"] = SEVERITY_NAMES[effect.severity]
        if effect.detail:
            values["se_other_text"] = effect.detail
    return values
