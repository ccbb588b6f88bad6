"""A clinician's typical case for the report and chart tests: six months of diary around two
ketamine series, written straight into the live server's database with the app's own models
(posting 180 days through the forms would take minutes). The patient registers through the real
form first; the data version is bumped, as every write of the app does.

Series 1 (6 infusions, about 5 months ago) gives a substantial improvement that fades; series 2
(6 infusions, about 7 weeks ago) gives a moderate one that still holds. Oxycodone falls after
each; physiotherapy every two weeks; a few unlogged stretches; side effects during infusions.
"""

import random
from datetime import date, time, timedelta
from decimal import Decimal

from sqlmodel import Session, select

from diary.models import (
    Entry, EntrySideEffect, Infusion, InfusionSeries, InfusionSideEffect, Medication, MedicationDay,
    MedicationDose, Patient, TherapyEvent,
)

DAYS = 182
SERIES = (("Spring series", 150, "35"), ("Autumn series", 50, "52.5"))  # name, days ago, dose mg
GAPS = set(range(100, 106)) | set(range(20, 23))  # days ago with nothing logged


def pain_on(days_ago: int) -> int:
    """7-8 before each series, 3 after the first fading back over 40 days, 4 after the second."""
    if days_ago > 150:
        return 8
    if days_ago > 50:
        return min(8, 3 + max(0, (140 - days_ago) // 8))
    return 4 if days_ago < 40 else 7


def add_six_months(engine, email: str, today: date) -> None:
    rng = random.Random(19)
    with Session(engine) as session:
        patient = session.exec(select(Patient).where(Patient.email == email)).one()
        first = today - timedelta(days=DAYS - 1)
        entries = []
        for days_ago in range(DAYS - 1, 0, -1):
            if days_ago in GAPS:
                continue
            pain = pain_on(days_ago)
            entries.append(Entry(
                patient_id=patient.id, day=today - timedelta(days=days_ago), pain_avg=pain,
                pain_worst=min(10, pain + 2), interference_enjoyment=pain, interference_activity=pain,
                mood=max(0, 8 - pain + rng.randint(-1, 1)), sleep_quality=max(0, 7 - pain // 2),
                notes="Bad night after the drive" if days_ago == 60 else None))
        session.add_all(entries)
        session.flush()
        for entry in entries[::9]:
            session.add(EntrySideEffect(entry_id=entry.id, symptom="nausea", severity=2))
        for entry in entries[::13]:
            session.add(EntrySideEffect(entry_id=entry.id, symptom="headache", severity=1))
        oxycodone = Medication(patient_id=patient.id, name="Oxycodone", drug="oxycodone",
                               form="tablet", unit="mg", usual_dose=Decimal("20"))
        gabapentin = Medication(patient_id=patient.id, name="Gabapentin", drug="non_opioid",
                                form="capsule", unit="mg", usual_dose=Decimal("900"))
        session.add_all([oxycodone, gabapentin])
        session.flush()
        for days_ago in range(DAYS - 1, 0, -1):
            day = MedicationDay(patient_id=patient.id, day=today - timedelta(days=days_ago))
            session.add(day)
            session.flush()
            amount = "40" if days_ago > 150 or 45 < days_ago <= 60 else "10"
            session.add(MedicationDose(medication_day_id=day.id, medication_id=oxycodone.id,
                                       amount=Decimal(amount)))
            session.add(MedicationDose(medication_day_id=day.id, medication_id=gabapentin.id,
                                       amount=Decimal("900")))
        for name, days_ago, dose in SERIES:
            series = InfusionSeries(patient_id=patient.id, name=name, condition="crps", route="iv",
                                    pgic="much_improved" if days_ago > 100 else None)
            session.add(series)
            session.flush()
            for number in range(6):
                infusion = Infusion(
                    series_id=series.id, day=today - timedelta(days=days_ago - 2 * number),
                    start_time=time(9, 30), duration_min=45, dose_mg=Decimal(dose),
                    weight_kg=Decimal("70"), pain_before=7, pain_after=3, pain_2h=3, pain_24h=4)
                session.add(infusion)
                session.flush()
                if number == 3:
                    session.add(InfusionSideEffect(infusion_id=infusion.id, phase="during",
                                                   symptom="dissociation", severity=3))
                if number == 2:
                    session.add(InfusionSideEffect(infusion_id=infusion.id, phase="during",
                                                   symptom="vision", severity=2))
        for days_ago in range(DAYS - 10, 0, -14):
            session.add(TherapyEvent(patient_id=patient.id, day=today - timedelta(days=days_ago),
                                     kind="physical_therapy"))
        patient.data_version += 1
        session.add(patient)
        session.commit()
        assert first < today
