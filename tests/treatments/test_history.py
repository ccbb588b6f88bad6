"""load_history: a patient's whole history as plain data, in a bounded number of queries."""

from datetime import date, time, timedelta
from decimal import Decimal

from sqlalchemy import event
from sqlmodel import Session

from diary.loaded_history import load_history
from diary.models import (
    Entry, EntrySideEffect, Infusion, InfusionSeries, InfusionSideEffect, Medication, MedicationDay,
    MedicationDose, TherapyEvent,
)
from diary.trends.history import DayEntry, InfusionRecord, SideEffectRecord
from tests.conftest import make_patient

START = date(2024, 1, 1)


def build_history(engine, patient_id: int, days: int) -> None:
    """``days`` of diary, medication days with opioids, series of infusions and therapies."""
    with Session(engine) as session:
        oxy = Medication(patient_id=patient_id, name="Oxy", drug="oxycodone", form="tablet", unit="mg")
        bup = Medication(patient_id=patient_id, name="Bup", drug="buprenorphine", form="tablet", unit="mg")
        session.add_all([oxy, bup])
        session.flush()
        for offset in range(days):
            day = START + timedelta(days=offset)
            entry = Entry(patient_id=patient_id, day=day, pain_avg=offset % 11, mood=5)
            session.add(entry)
            record = MedicationDay(patient_id=patient_id, day=day)
            session.add(record)
            session.flush()
            session.add(EntrySideEffect(entry_id=entry.id, symptom="nausea", severity=1))
            session.add(MedicationDose(medication_day_id=record.id, medication_id=oxy.id,
                                       amount=Decimal("10")))
            if offset % 7 == 6:
                session.add(MedicationDose(medication_day_id=record.id, medication_id=bup.id,
                                           amount=Decimal("2")))
            if offset % 30 == 0:
                session.add(TherapyEvent(patient_id=patient_id, day=day, kind="cbt"))
        for number in range(max(1, days // 60)):
            series = InfusionSeries(patient_id=patient_id, name=f"Series {number}", condition="crps",
                                    route="iv")
            session.add(series)
            session.flush()
            for infusion in range(6):
                session.add(Infusion(series_id=series.id, day=START + timedelta(days=number * 60 + infusion),
                                     start_time=time(9), dose_mg=Decimal("50"), pain_before=7, pain_after=3))
        session.commit()


def count_queries(app, patient):
    statements = []
    engine = app.extensions["diary_engine"]

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        with app.test_request_context():
            history = load_history(patient)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return history, len(statements)


def test_a_long_history_loads_in_the_same_few_queries_as_a_short_one(app):
    engine = app.extensions["diary_engine"]
    short = make_patient(app, "short@example.com", "Short")
    long = make_patient(app, "long@example.com", "Long")
    build_history(engine, short.id, 3)
    build_history(engine, long.id, 730)  # two years
    short_history, short_queries = count_queries(app, short)
    long_history, long_queries = count_queries(app, long)
    assert len(long_history.entries) == 730 and len(long_history.mme) == 730
    assert len(long_history.series) == 12 and len(long_history.therapies) == 25
    # entries and their side effects, infusions and theirs, series, 3 for medicines, therapies,
    # questionnaires
    assert long_queries == short_queries <= 10


def test_the_history_holds_entries_series_mme_therapies_and_today(app, clock):
    clock.set("2024-01-10T23:30", "Pacific/Honolulu")
    patient = make_patient(app, "kai@example.com", "Kai", time_zone="Pacific/Honolulu")
    build_history(app.extensions["diary_engine"], patient.id, 7)
    with Session(app.extensions["diary_engine"]) as session:  # a series still without infusions
        session.add(InfusionSeries(patient_id=patient.id, name="Planned", condition="migraine",
                                   route="oral", pgic=None))
        session.commit()
    with app.test_request_context():
        history = load_history(patient)
    assert history.today == date(2024, 1, 10)
    assert history.entries[START] == DayEntry(day=START, pain_avg=0, mood=5, side_effects={"nausea": 1})
    assert [s.name for s in history.series] == ["Series 0", "Planned"]
    first = history.series[0]
    assert (first.route, first.condition, first.first_day, first.last_day) == (
        "iv", "crps", START, START + timedelta(days=5))
    assert first.infusions[0] == InfusionRecord(id=first.infusions[0].id, day=START, dose_mg=Decimal("50"),
                                                pain_before=7, pain_after=3, start_time=time(9))
    assert history.series[1].infusions == () and history.series[1].first_day is None
    # 10 mg oxycodone x 1.5 = 15 each day; the 7th day also has buprenorphine: no total.
    assert history.mme == {START + timedelta(days=n): Decimal("15") for n in range(6)} | {
        START + timedelta(days=6): None}
    assert START + timedelta(days=7) not in history.mme  # no record: unknown
    # Each medicine with its amount on each day it was taken, buprenorphine like any other.
    assert [(m.name, m.drug, m.form, m.unit, m.first_day, m.last_day, m.doses[0][1])
            for m in history.medications] == [
        ("Bup", "buprenorphine", "tablet", "mg", START + timedelta(days=6), START + timedelta(days=6), 2),
        ("Oxy", "oxycodone", "tablet", "mg", START, START + timedelta(days=6), 10)]
    assert len(history.medications[1].doses) == 7


def test_an_infusion_carries_its_time_duration_weight_and_side_effects(app):
    patient = make_patient(app, "ann@example.com", "Ann")
    with Session(app.extensions["diary_engine"]) as session:
        series = InfusionSeries(patient_id=patient.id, name="IV", condition="crps", route="iv")
        session.add(series)
        session.flush()
        infusion = Infusion(series_id=series.id, day=START, start_time=time(9, 30), duration_min=40,
                            weight_kg=Decimal("70.5"))
        session.add(infusion)
        session.flush()
        session.add_all([
            InfusionSideEffect(infusion_id=infusion.id, phase="after", symptom="nausea", severity=1),
            InfusionSideEffect(infusion_id=infusion.id, phase="during", symptom="other", severity=2,
                               detail="metallic taste")])
        session.commit()
    with app.test_request_context():
        [record] = load_history(patient).series[0].infusions
    assert (record.start_time, record.duration_min, record.weight_kg) == (time(9, 30), 40, Decimal("70.5"))
    assert record.side_effects == (SideEffectRecord("during", "other", 2, "metallic taste"),
                                   SideEffectRecord("after", "nausea", 1))


def test_series_are_ordered_by_their_first_infusion(app):
    patient = make_patient(app, "ann@example.com", "Ann")
    with Session(app.extensions["diary_engine"]) as session:
        later = InfusionSeries(patient_id=patient.id, name="Added first, given later", condition="crps", route="iv")
        earlier = InfusionSeries(patient_id=patient.id, name="Added later, given first", condition="crps", route="iv")
        session.add_all([later, earlier])
        session.flush()
        session.add(Infusion(series_id=later.id, day=date(2025, 6, 1), start_time=time(9)))
        session.add(Infusion(series_id=earlier.id, day=date(2025, 1, 1), start_time=time(9)))
        session.commit()
    with app.test_request_context():
        names = [series.name for series in load_history(patient).series]
    assert names == ["Added later, given first", "Added first, given later"]
