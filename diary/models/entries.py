"""The daily diary: one entry a day and the side effects reported on it."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from diary.models.base import NOTES_MAX, scale_check, utcnow


class Entry(SQLModel, table=True):
    """One day of the diary: one per patient per calendar day in the patient's time zone."""

    __table_args__ = (
        UniqueConstraint("patient_id", "day", name="uq_entry_patient_day"),
        scale_check("pain_avg"),
        scale_check("pain_worst"),
        scale_check("interference_enjoyment"),
        scale_check("interference_activity"),
        scale_check("mood"),
        scale_check("sleep_quality"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Indexed by the unique (patient_id, day) constraint, which every diary query uses.
    patient_id: int = Field(foreign_key="patient.id", ondelete="CASCADE")
    day: date
    pain_avg: int  # average pain over the last 24 h, the one required answer
    pain_worst: int | None = None
    interference_enjoyment: int | None = None  # PEG item 2
    interference_activity: int | None = None  # PEG item 3
    mood: int | None = None
    sleep_quality: int | None = None
    notes: str | None = Field(default=None, max_length=NOTES_MAX)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class EntrySideEffect(SQLModel, table=True):
    """A side effect reported on a diary day; severity none is the absence of a row."""

    __tablename__ = "entry_side_effect"
    __table_args__ = (
        UniqueConstraint("entry_id", "symptom", name="uq_entry_side_effect_symptom"),
        CheckConstraint("severity BETWEEN 1 AND 3", name="severity_1_to_3"),
    )

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="entry.id", ondelete="CASCADE", index=True)
    symptom: str = Field(max_length=32)
    severity: int
    detail: str | None = Field(default=None, max_length=200)  # the patient's words for "other"
