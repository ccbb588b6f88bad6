"""The daily entry form: which fields it has and how a submission is read."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from diary.fields import Day, Moment, Scale, Text, When
from diary.forms import FormReader
from diary.models import NOTES_MAX
from diary.side_effects import SIDE_EFFECT_COLUMNS, SIDE_EFFECTS, read_side_effects, side_effect_values

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
    # symptom -> (severity 1..3, the patient's words for "other")
    side_effects: dict[str, tuple[int, str | None]] = field(default_factory=dict)
    notes: str | None = None


def read_entry(reader: FormReader, *, today: date) -> EntryInput | None:
    """Read and check the entry form; None when ``reader.errors`` says what to fix."""
    day = reader.read("day", DAY, When(datetime.combine(today, time())))
    scores = {name: reader.read(name, field) for name, field in SCORES.items()}
    side_effects = read_side_effects(reader, "se_")
    notes = reader.read("notes", NOTES)
    if not reader.ok:
        return None
    return EntryInput(day=day, scores=scores, side_effects=side_effects, notes=notes)


def entry_values(entry, side_effects) -> dict[str, str]:
    """An existing entry as form values, to prefill the edit form."""
    values = {"day": entry.day.isoformat(), "notes": entry.notes or ""}
    for name, *_ in SCALES:
        score = getattr(entry, name)
        values[name] = "" if score is None else str(score)
    return values | side_effect_values(side_effects, "se_")
