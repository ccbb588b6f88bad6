"""Treatments: ketamine series and their infusions, medications with daily use, other therapies."""

from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from diary.models.base import NOTES_MAX, scale_check, utcnow


class InfusionSeries(SQLModel, table=True):
    """A course of ketamine treatment. Its first and last days are derived from its infusions."""

    __tablename__ = "infusion_series"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=80)
    condition: str = Field(max_length=32)  # a key of diary.treatments.forms.CONDITIONS
    condition_other: str | None = Field(default=None, max_length=80)
    route: str = Field(max_length=32)  # a key of diary.treatments.forms.ROUTES
    route_other: str | None = Field(default=None, max_length=80)
    clinic: str | None = Field(default=None, max_length=120)
    notes: str | None = Field(default=None, max_length=NOTES_MAX)
    pgic: str | None = Field(default=None, max_length=32)  # a key of forms.PGIC, once answered
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Infusion(SQLModel, table=True):
    """One infusion (or dose, for other routes) of a series, at the patient's local date and time.

    Everything but the date and time may be left blank and completed later.
    """

    __table_args__ = (
        scale_check("pain_before"),
        scale_check("pain_after"),
        scale_check("pain_2h"),
        scale_check("pain_24h"),
        CheckConstraint("duration_min BETWEEN 1 AND 1440", name="duration_up_to_a_day"),
        CheckConstraint("dose_mg > 0", name="dose_positive"),
        CheckConstraint("weight_kg > 0", name="weight_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    series_id: int = Field(foreign_key="infusion_series.id", ondelete="CASCADE", index=True)
    day: date  # the local calendar date the patient entered, in their time zone
    start_time: time  # local wall-clock time
    duration_min: int | None = None
    dose_mg: Decimal | None = Field(default=None, max_digits=8, decimal_places=2)
    weight_kg: Decimal | None = Field(default=None, max_digits=5, decimal_places=1)
    pain_before: int | None = None
    pain_after: int | None = None
    pain_2h: int | None = None
    pain_24h: int | None = None
    notes: str | None = Field(default=None, max_length=NOTES_MAX)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class InfusionSideEffect(SQLModel, table=True):
    """A side effect during or after an infusion; same list and severities as the diary."""

    __tablename__ = "infusion_side_effect"
    __table_args__ = (
        UniqueConstraint("infusion_id", "phase", "symptom", name="uq_infusion_side_effect_symptom"),
        CheckConstraint("severity BETWEEN 1 AND 3", name="severity_1_to_3"),
        CheckConstraint("phase IN ('during', 'after')", name="phase_during_or_after"),
    )

    id: int | None = Field(default=None, primary_key=True)
    infusion_id: int = Field(foreign_key="infusion.id", ondelete="CASCADE", index=True)
    phase: str = Field(max_length=8)
    symptom: str = Field(max_length=32)
    severity: int
    detail: str | None = Field(default=None, max_length=200)


class Medication(SQLModel, table=True):
    """A medicine on the patient's list; ``drug`` decides its MME factor (diary.treatments.mme)."""

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=80)
    drug: str = Field(max_length=32)  # an opioid key of diary.treatments.mme, or "non_opioid"
    form: str = Field(max_length=32)
    unit: str = Field(max_length=16)  # "mcg/hr" for a fentanyl patch, "mg" for other opioids
    usual_dose: Decimal | None = Field(default=None, max_digits=8, decimal_places=2)
    active: bool = True  # stopped medicines leave the list but keep their logged days
    created_at: datetime = Field(default_factory=utcnow)


class MedicationDay(SQLModel, table=True):
    """A day with a medication record. No doses on it means "No medications today"."""

    __tablename__ = "medication_day"
    __table_args__ = (UniqueConstraint("patient_id", "day", name="uq_medication_day_patient_day"),)

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", ondelete="CASCADE")
    day: date
    updated_at: datetime = Field(default_factory=utcnow)


class MedicationDose(SQLModel, table=True):
    """How much of one medication was taken on a day (a patch: its rate, worn that day)."""

    __tablename__ = "medication_dose"
    __table_args__ = (
        UniqueConstraint("medication_day_id", "medication_id", name="uq_medication_dose_medication"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),  # 0: "not taken"
    )

    id: int | None = Field(default=None, primary_key=True)
    medication_day_id: int = Field(foreign_key="medication_day.id", ondelete="CASCADE", index=True)
    medication_id: int = Field(foreign_key="medication.id", ondelete="CASCADE", index=True)
    amount: Decimal = Field(max_digits=8, decimal_places=2)


class TherapyEvent(SQLModel, table=True):
    """Another therapy on the timeline (physiotherapy, CBT, a nerve block...): shown, never computed."""

    __tablename__ = "therapy_event"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", ondelete="CASCADE", index=True)
    day: date
    kind: str = Field(max_length=32)  # a key of diary.treatments.forms.THERAPY_KINDS
    kind_other: str | None = Field(default=None, max_length=80)
    note: str | None = Field(default=None, max_length=NOTES_MAX)
    created_at: datetime = Field(default_factory=utcnow)
