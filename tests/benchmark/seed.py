"""Seed a benchmark database: one heavy patient and many lighter ones, in bulk.

The heavy patient has three years of daily entries with side effects, 12 ketamine series of 6
infusions, daily medications (an opioid and an adjuvant) and other therapies: the worst case a
real diary reaches. Rows are written with bulk inserts (the app's own tables and constraints), so
seeding takes seconds rather than minutes of form posts.
"""

import random
from datetime import date, time, timedelta
from decimal import Decimal

from sqlalchemy import insert, select
from sqlmodel import Session

from diary.models import (
    Entry, EntrySideEffect, Infusion, InfusionSeries, Medication, MedicationDay, MedicationDose,
    Patient, TherapyEvent, utcnow,
)
from diary.security import hash_password
from diary.side_effects import SIDE_EFFECTS

HEAVY_EMAIL = "heavy@bench.example"
PASSWORD = "benchmark password"
SYMPTOMS = [key for key, _, _ in SIDE_EFFECTS if key != "other"]


def add_patient(session: Session, email: str, name: str, password_hash: str) -> int:
    user = Patient(email=email, display_name=name, time_zone="Europe/London", password_hash=password_hash)
    session.add(user)
    session.flush()
    return user.id


def add_entries(session: Session, rng: random.Random, patient_id: int, first: date, days: int,
                pain_of) -> None:
    now = utcnow()
    rows = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        pain = pain_of(day)
        rows.append(dict(patient_id=patient_id, day=day, pain_avg=pain,
                         pain_worst=min(10, pain + rng.randint(0, 3)),
                         interference_enjoyment=rng.randint(max(0, pain - 2), 10),
                         interference_activity=rng.randint(max(0, pain - 2), 10),
                         mood=rng.randint(2, 9), sleep_quality=rng.randint(2, 9),
                         notes=None, created_at=now, updated_at=now))
    session.execute(insert(Entry), rows)
    ids = session.execute(select(Entry.id).where(Entry.patient_id == patient_id)).scalars().all()
    effects = []
    for entry_id in ids:
        for symptom in rng.sample(SYMPTOMS, rng.choice((0, 0, 1, 2))):
            effects.append(dict(entry_id=entry_id, symptom=symptom, severity=rng.randint(1, 3)))
    if effects:
        session.execute(insert(EntrySideEffect), effects)


def add_treatments(session: Session, rng: random.Random, patient_id: int, first: date) -> list[date]:
    """12 series of 6 infusions, about every 90 days; returns the infusion days."""
    infusion_days = []
    for number in range(12):
        series = InfusionSeries(patient_id=patient_id, name=f"Series {number + 1}", condition="crps",
                                route="iv", clinic="Riverside Pain Clinic")
        session.add(series)
        session.flush()
        start = first + timedelta(days=20 + number * 90)
        for infusion_number in range(6):
            day = start + timedelta(days=infusion_number * 2)
            infusion_days.append(day)
            session.add(Infusion(series_id=series.id, day=day, start_time=time(9, 30), duration_min=45,
                                 dose_mg=Decimal("52.5"), weight_kg=Decimal("70.0"),
                                 pain_before=rng.randint(6, 9), pain_after=rng.randint(2, 5)))
    return infusion_days


def add_medications(session: Session, patient_id: int, first: date, days: int) -> None:
    opioid = Medication(patient_id=patient_id, name="Oxycodone", drug="oxycodone", form="tablet",
                        unit="mg", usual_dose=Decimal("20"))
    adjuvant = Medication(patient_id=patient_id, name="Gabapentin", drug="non_opioid", form="capsule",
                          unit="mg", usual_dose=Decimal("900"))
    session.add_all([opioid, adjuvant])
    session.flush()
    session.execute(insert(MedicationDay), [
        dict(patient_id=patient_id, day=first + timedelta(days=offset), updated_at=utcnow())
        for offset in range(days)])
    day_ids = session.execute(select(MedicationDay.id).where(MedicationDay.patient_id == patient_id)).scalars()
    doses = []
    for day_id in day_ids:
        doses.append(dict(medication_day_id=day_id, medication_id=opioid.id, amount=Decimal("20")))
        doses.append(dict(medication_day_id=day_id, medication_id=adjuvant.id, amount=Decimal("900")))
    session.execute(insert(MedicationDose), doses)


def seed(engine, today: date, light_patients: int = 200, seed_value: int = 2026) -> int:
    """Fill an empty, migrated database; returns the heavy patient's id."""
    rng = random.Random(seed_value)
    password_hash = hash_password(PASSWORD)
    with Session(engine) as session:
        heavy = add_patient(session, HEAVY_EMAIL, "Heavy", password_hash)
        days = 3 * 365
        first = today - timedelta(days=days - 1)
        infusion_days = set(add_treatments(session, rng, heavy, first))
        relief_until: dict[date, int] = {}
        for day in sorted(infusion_days):
            for after in range(1, 40):
                relief_until.setdefault(day + timedelta(days=after), 3 if after < 25 else 1)
        add_entries(session, rng, heavy, first, days,
                    lambda day: max(0, rng.randint(6, 8) - relief_until.get(day, 0)))
        add_medications(session, heavy, first, days)
        session.execute(insert(TherapyEvent), [
            dict(patient_id=heavy, day=first + timedelta(days=offset), kind="physical_therapy",
                 note=None, created_at=utcnow()) for offset in range(0, days, 14)])
        for number in range(light_patients):
            patient = add_patient(session, f"light{number}@bench.example", f"Light {number}", password_hash)
            add_entries(session, rng, patient, today - timedelta(days=59), 60,
                        lambda day: rng.randint(3, 8))
        session.commit()
    return heavy
