"""Reminders: settings about the diary, never part of its history."""

from datetime import date, datetime, time

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from diary.models.base import utcnow


class ReminderSetting(SQLModel, table=True):
    """When and how a patient is reminded to log; no row means no reminders."""

    __tablename__ = "reminder_setting"

    patient_id: int = Field(foreign_key="patient.id", ondelete="CASCADE", primary_key=True)
    times: str = Field(default="", max_length=64)  # local times of day, "08:00,20:00"
    by_email: bool = False
    by_push: bool = False
    after_infusion: bool = True  # 2 h and 24 h after an infusion's start, and when PGIC is due
    quiet_from: time | None = None  # no reminder from this local time...
    quiet_until: time | None = None  # ...until this one (may cross midnight)
    snoozed_day: date | None = None  # "not today": nothing more on this local date


class PushSubscription(SQLModel, table=True):
    """One device's Web Push subscription (the browser's endpoint and its keys)."""

    __tablename__ = "push_subscription"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", ondelete="CASCADE", index=True)
    endpoint: str = Field(max_length=1000, unique=True)
    p256dh: str = Field(max_length=200)  # the browser's public key, base64url
    auth: str = Field(max_length=100)  # the browser's auth secret, base64url
    device: str = Field(max_length=120)  # what the patient sees in the list ("Chrome on Android")
    created_at: datetime = Field(default_factory=utcnow)


class ReminderSent(SQLModel, table=True):
    """A reminder claimed for sending: inserted before it goes, so it can never go twice."""

    __tablename__ = "reminder_sent"
    __table_args__ = (UniqueConstraint("patient_id", "kind", "reference",
                                       name="uq_reminder_sent_patient_kind_reference"),)

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", ondelete="CASCADE")
    kind: str = Field(max_length=16)  # diary.reminders.due.KINDS
    reference: str = Field(max_length=32)  # which one: "2026-12-03 08:00", an infusion's id...
    sent_at: datetime = Field(default_factory=utcnow)
