"""Seed a clinic for the dashboard benchmark: many patients, each with three years of diary.

Every patient logs most days for three years (some stopped a few days ago), has four ketamine
series of six infusions with relief that fades, an opioid logged for the last four months (rising
for some), and a PHQ-9 every four weeks. Enough of them carry each dashboard flag for the list
to look like a real clinic's. Rows go in with bulk inserts through the app's own tables. Once a
clinician is connected to them all (``connect_all``), their summaries are computed at once
(diary.summaries.store.refresh_all), as the server's start does for a database without them.
"""

import random
from datetime import date, time, timedelta
from decimal import Decimal

from sqlalchemy import insert, select
from sqlmodel import Session

from diary.models import (
    ClinicianConnection, ClinicianSecondFactor, Entry, Infusion, InfusionSeries, InfusionSideEffect, Medication, MedicationDay, MedicationDose,
    QuestionnaireAnswer, Patient, utcnow,
)
from diary.summaries.store import refresh_all

ZONES = ("Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata")
PGIC_ANSWERS = ("very_much_improved", "much_improved", "minimally_improved", "no_change",
                "minimally_worse", "much_worse")
DAYS = 3 * 365


def patient_rows(session: Session, rng: random.Random, patient_id: int, today: date) -> dict:
    """One patient's diary as rows by model (medication doses follow once days have ids)."""
    first = today - timedelta(days=DAYS - 1)
    stopped = rng.random() < 0.1  # not logging for 3-10 days
    last = today - timedelta(days=rng.randint(3, 10)) if stopped else today
    baseline = rng.randint(5, 8)
    relief: dict[date, int] = {}
    series, infusions, effects = [], [], []
    now = utcnow()
    for number in range(4):
        start = first + timedelta(days=60 + number * 270 + rng.randint(0, 30))
        if start > today - timedelta(days=14):
            break
        series_row = InfusionSeries(patient_id=patient_id, name=f"Series {number + 1}", condition="crps",
                                    route="iv", pgic=rng.choice(PGIC_ANSWERS) if rng.random() < 0.7 else None)
        session.add(series_row)
        series.append(series_row)
        lasting = rng.randint(10, 70)
        for after in range(1, 12 + lasting):
            relief[start + timedelta(days=after)] = 3 if after < 12 + lasting * 2 // 3 else 1
        for offset in range(0, 12, 2):
            infusions.append((series_row, start + timedelta(days=offset)))
    session.flush()
    entries = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        chance = rng.random()  # one draw a day: which days are skipped, and the day's pain
        if chance < 0.12:
            continue
        pain = max(0, min(10, baseline + int(chance * 3) - 1 - relief.get(day, 0)))
        entries.append(dict(patient_id=patient_id, day=day, pain_avg=pain, pain_worst=min(10, pain + 2),
                            mood=3 + pain % 5, sleep_quality=8 - pain % 4, notes=None,
                            created_at=now, updated_at=now))
    infusion_rows = [dict(series_id=series_row.id, day=day, start_time=time(9, 30), duration_min=45,
                          dose_mg=Decimal("50"), weight_kg=Decimal("70.0"), pain_before=baseline,
                          pain_after=max(0, baseline - 4), created_at=now, updated_at=now)
                     for series_row, day in infusions]
    severe_last = rng.random() < 0.06
    return {"entries": entries, "infusions": infusion_rows, "severe_last": severe_last,
            "rising": rng.random() < 0.1, "self_harm": rng.random() < 0.04, "first": first}


def seed_clinic(engine, today: date, patients: int = 500, password_hash: str = "x",
                seed_value: int = 17) -> list[int]:
    """Fill a migrated database with ``patients`` patients; returns their ids."""
    rng = random.Random(seed_value)
    ids = []
    with Session(engine) as session:
        plans = []
        for number in range(patients):
            patient = Patient(email=f"patient{number}@clinic.example", display_name=f"Patient {number:03d}",
                           time_zone=rng.choice(ZONES), password_hash=password_hash)
            session.add(patient)
            session.flush()
            ids.append(patient.id)
            plans.append((patient.id, patient_rows(session, rng, patient.id, today)))
        session.connection().execute(insert(Entry.__table__), [row for _, plan in plans for row in plan["entries"]])
        session.connection().execute(insert(Infusion.__table__), [row for _, plan in plans for row in plan["infusions"]])
        add_side_effects(session, [patient_id for patient_id, plan in plans if plan["severe_last"]])
        add_medications(session, rng, plans, today)
        add_questionnaires(session, rng, plans, today)
        session.commit()
    return ids


def add_side_effects(session: Session, patient_ids: list[int]) -> None:
    """A severe side effect at each of these patients' latest infusion."""
    rows = []
    for patient_id in patient_ids:
        latest = session.execute(
            select(Infusion.id).join(InfusionSeries).where(InfusionSeries.patient_id == patient_id)
            .order_by(Infusion.day.desc()).limit(1)).scalar()
        if latest is not None:
            rows.append(dict(infusion_id=latest, phase="during", symptom="dissociation", severity=3))
    if rows:
        session.connection().execute(insert(InfusionSideEffect.__table__), rows)


def add_medications(session: Session, rng: random.Random, plans, today: date) -> None:
    """Oxycodone on the last 120 days; rising over the last week for some patients."""
    medications = {}
    for patient_id, _ in plans:
        medication = Medication(patient_id=patient_id, name="Oxycodone", drug="oxycodone", form="tablet",
                                unit="mg", usual_dose=Decimal("20"))
        session.add(medication)
        medications[patient_id] = medication
    session.flush()
    now = utcnow()
    session.connection().execute(insert(MedicationDay.__table__), [
        dict(patient_id=patient_id, day=today - timedelta(days=back), updated_at=now)
        for patient_id, _ in plans for back in range(120)])
    day_ids = session.execute(select(MedicationDay.id, MedicationDay.patient_id, MedicationDay.day)).all()
    rising = {patient_id for patient_id, plan in plans if plan["rising"]}
    session.connection().execute(insert(MedicationDose.__table__), [
        dict(medication_day_id=day_id, medication_id=medications[patient_id].id,
             amount=Decimal(30 if patient_id in rising and (today - day).days < 7 else 20))
        for day_id, patient_id, day in day_ids])


def add_questionnaires(session: Session, rng: random.Random, plans, today: date) -> None:
    """A PHQ-9 every four weeks; item 9 above 0 in the latest for some patients."""
    now = utcnow()
    rows = []
    for patient_id, plan in plans:
        for back in range(0, DAYS, 28):
            latest = back == 0
            item_9 = rng.randint(1, 2) if latest and plan["self_harm"] else 0
            rows.append(dict(patient_id=patient_id, kind="phq9", day=today - timedelta(days=back + 1),
                             difficulty=1, created_at=now, item_9=item_9,
                             **{f"item_{n}": rng.randint(0, 3) for n in range(1, 9)}))
    session.connection().execute(insert(QuestionnaireAnswer.__table__), rows)


def connect_all(engine, patient_ids: list[int], email: str, password: str) -> str:
    """A clinician with two-step login set up, connected to every one of these patients, as if
    each had typed their code; returns the authenticator's key."""
    import pyotp

    from diary.clinic.accounts import create_clinician

    secret = pyotp.random_base32()
    with Session(engine) as session:
        clinician = create_clinician(session, email, "Dr Bench", password)
        session.flush()
        session.add(ClinicianSecondFactor(clinician_id=clinician.id, secret=secret, confirmed_at=utcnow()))
        session.connection().execute(insert(ClinicianConnection.__table__), [
            dict(patient_id=patient_id, clinician_id=clinician.id, include_notes=False,
                 connected_at=utcnow()) for patient_id in patient_ids])
        session.commit()
        refresh_all(session)  # only a connected patient has a summary
    return secret
