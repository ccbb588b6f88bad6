"""Which reminders are due for one patient now. Pure: plain data in, plain results out.

A reminder is named by its kind and a reference that makes it unique for the patient (the day and
time of a daily one, the infusion of a follow-up, the series of an impression of change), so the
database can refuse the same reminder twice (diary.reminders.delivery).
"""

from dataclasses import dataclass, field
from functools import cache
from datetime import date, datetime, time, timedelta

DAILY, AFTER_2H, AFTER_24H, PGIC = "daily", "2h", "24h", "pgic"
KINDS = (DAILY, AFTER_2H, AFTER_24H, PGIC)

# How long after its moment a follow-up may still go (the server was down, quiet hours ended).
FOLLOW_UP_WINDOW = {AFTER_2H: timedelta(hours=6), AFTER_24H: timedelta(hours=12)}
FOLLOW_UP_DELAY = {AFTER_2H: timedelta(hours=2), AFTER_24H: timedelta(hours=24)}


@dataclass(frozen=True)
class InfusionStart:
    """An infusion whose later pain is not written down yet (which is what a follow-up asks for)."""

    infusion_id: int
    series_id: int
    start: datetime  # local wall-clock date and time, as the patient entered it
    pain_2h_missing: bool
    pain_24h_missing: bool


@dataclass(frozen=True)
class PatientReminders:
    """What decides a patient's reminders at one moment."""

    patient_id: int
    local_now: datetime  # the patient's wall clock, no zone
    times: tuple[time, ...]
    logged_today: bool
    after_infusion: bool = True
    quiet_from: time | None = None
    quiet_until: time | None = None
    snoozed_day: date | None = None
    infusions: tuple[InfusionStart, ...] = ()
    pgic_due_series: tuple[int, ...] = ()  # series whose impression of change is due today
    links: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Reminder:
    patient_id: int
    kind: str
    reference: str
    path: str  # where the link goes, e.g. /today


@cache  # a pass reads the same few settings thousands of times
def parse_times(text: str) -> tuple[time, ...]:
    """"08:00,20:00" as sorted times; the stored form of the patient's choice."""
    return tuple(sorted(time.fromisoformat(part) for part in text.split(",") if part.strip()))


def format_times(times) -> str:
    return ",".join(moment.strftime("%H:%M") for moment in sorted(set(times)))


def is_quiet(moment: time, quiet_from: time | None, quiet_until: time | None) -> bool:
    """Inside quiet hours; "22:00 to 07:00" crosses midnight."""
    if quiet_from is None or quiet_until is None or quiet_from == quiet_until:
        return False
    if quiet_from < quiet_until:
        return quiet_from <= moment < quiet_until
    return moment >= quiet_from or moment < quiet_until


def due_reminders(patient: PatientReminders) -> list[Reminder]:
    """The reminders that should go now: at most one daily one (the latest time passed today)."""
    now = patient.local_now
    today = now.date()
    if patient.snoozed_day == today or is_quiet(now.time(), patient.quiet_from, patient.quiet_until):
        return []
    due = []
    passed = [moment for moment in patient.times if moment <= now.time()]
    if passed and not patient.logged_today:
        reference = f"{today.isoformat()} {passed[-1].strftime('%H:%M')}"
        due.append(Reminder(patient.patient_id, DAILY, reference, "/today"))
    if patient.after_infusion:
        for infusion in patient.infusions:
            for kind, missing in ((AFTER_2H, infusion.pain_2h_missing), (AFTER_24H, infusion.pain_24h_missing)):
                moment = infusion.start + FOLLOW_UP_DELAY[kind]
                if missing and moment <= now < moment + FOLLOW_UP_WINDOW[kind]:
                    due.append(Reminder(patient.patient_id, kind, str(infusion.infusion_id),
                                        f"/treatments/series/{infusion.series_id}"))
        for series_id in patient.pgic_due_series:
            due.append(Reminder(patient.patient_id, PGIC, str(series_id), f"/treatments/series/{series_id}"))
    return due
