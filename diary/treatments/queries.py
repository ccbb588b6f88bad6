"""Reading and writing treatments: series with their infusions, medication days, therapies.

Every write that touches several rows happens in one transaction: all of it or nothing. Every
write bumps the patient's data version in that transaction (diary.versions).
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Row, bindparam
from sqlmodel import col, delete, func, select

from diary.db import get_session
from diary.models import (
    Infusion, InfusionSeries, InfusionSideEffect, Medication, MedicationDay, MedicationDose,
    TherapyEvent, utcnow,
)
from diary.treatments.forms import InfusionInput, MedicationInput, SeriesInput, TherapyInput
from diary.treatments.mme import DayMME, Dose, day_mme
from diary.versions import bump_data_version

# Series and infusions


class NoSuchInfusion(LookupError):
    """The patient has no infusion with that id (another patient's id included)."""


def infusion_of(patient_id: int, infusion_id: int) -> tuple[Infusion, InfusionSeries]:
    """The patient's infusion ``infusion_id`` and its series; raises NoSuchInfusion."""
    found = get_session().exec(
        select(Infusion, InfusionSeries).join(InfusionSeries)
        .where(Infusion.id == infusion_id, InfusionSeries.patient_id == patient_id)).first()
    if found is None:
        raise NoSuchInfusion(infusion_id)
    return found[0], found[1]


def infusions_by_series(series_ids: list[int]) -> dict[int, list[Infusion]]:
    """Infusions of many series in one query, each list in time order."""
    by_series: dict[int, list[Infusion]] = {series_id: [] for series_id in series_ids}
    if series_ids:
        rows = get_session().exec(select(Infusion).where(col(Infusion.series_id).in_(series_ids))
                                  .order_by(Infusion.day, Infusion.start_time, Infusion.id))
        for infusion in rows:
            by_series[infusion.series_id].append(infusion)
    return by_series


def series_with_infusions(patient_id: int) -> list[tuple[InfusionSeries, list[Infusion]]]:
    """The patient's series, most recent first (a series with no infusion yet counts as newest)."""
    series = list(get_session().exec(select(InfusionSeries)
                                     .where(InfusionSeries.patient_id == patient_id)))
    infusions = infusions_by_series([s.id for s in series])

    def recency(item: InfusionSeries):
        rows = infusions[item.id]
        return (not rows, rows[-1].day if rows else date.min, item.id)

    return [(item, infusions[item.id]) for item in sorted(series, key=recency, reverse=True)]


def side_effects_of(infusion_ids: list[int]) -> dict[int, list[InfusionSideEffect]]:
    by_infusion: dict[int, list[InfusionSideEffect]] = {i: [] for i in infusion_ids}
    if infusion_ids:
        rows = get_session().exec(select(InfusionSideEffect)
                                  .where(col(InfusionSideEffect.infusion_id).in_(infusion_ids))
                                  .order_by(InfusionSideEffect.phase.desc(),
                                            InfusionSideEffect.severity.desc(),
                                            InfusionSideEffect.symptom))
        for row in rows:
            by_infusion[row.infusion_id].append(row)
    return by_infusion


def last_infusion(patient_id: int, route: str) -> Infusion | None:
    """The patient's latest infusion given by ``route`` (an IV dose says nothing about a spray)."""
    return get_session().exec(
        select(Infusion).join(InfusionSeries)
        .where(InfusionSeries.patient_id == patient_id, InfusionSeries.route == route)
        .order_by(Infusion.day.desc(), Infusion.start_time.desc(), Infusion.id.desc())).first()


def save_series(patient_id: int, series_input: SeriesInput,
                series: InfusionSeries | None = None) -> InfusionSeries:
    series = series or InfusionSeries(patient_id=patient_id, name="", condition="", route="")
    for name, value in vars(series_input).items():
        setattr(series, name, value)
    series.updated_at = utcnow()
    session = get_session()
    session.add(series)
    bump_data_version(session, patient_id)
    session.commit()
    return series


def delete_series(series: InfusionSeries) -> None:
    """The series and, by cascade, its infusions and their side effects."""
    session = get_session()
    session.delete(series)
    bump_data_version(session, series.patient_id)
    session.commit()


def save_infusion(series: InfusionSeries, infusion_input: InfusionInput,
                  infusion: Infusion | None = None) -> Infusion:
    session = get_session()
    infusion = infusion or Infusion(series_id=series.id, day=infusion_input.day,
                                    start_time=infusion_input.start_time)
    infusion.series_id = series.id
    for name in ("day", "start_time", "duration_min", "dose_mg", "weight_kg", "notes"):
        setattr(infusion, name, getattr(infusion_input, name))
    for name, score in infusion_input.pains.items():
        setattr(infusion, name, score)
    infusion.updated_at = utcnow()
    session.add(infusion)
    try:
        session.flush()
        session.exec(delete(InfusionSideEffect).where(InfusionSideEffect.infusion_id == infusion.id))
        for (phase, symptom), (severity, detail) in infusion_input.side_effects.items():
            session.add(InfusionSideEffect(infusion_id=infusion.id, phase=phase, symptom=symptom,
                                           severity=severity, detail=detail))
        bump_data_version(session, series.patient_id)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return infusion


def save_later_pains(series: InfusionSeries, infusion: Infusion, pains: dict[str, int | None]) -> None:
    """Fill in the 2 h / 24 h pain; an answer left blank keeps what was there."""
    for name, score in pains.items():
        if score is not None:
            setattr(infusion, name, score)
    infusion.updated_at = utcnow()
    session = get_session()
    session.add(infusion)
    bump_data_version(session, series.patient_id)
    session.commit()


def delete_infusion(series: InfusionSeries, infusion: Infusion) -> None:
    session = get_session()
    session.delete(infusion)
    bump_data_version(session, series.patient_id)
    session.commit()


def set_pgic(series: InfusionSeries, pgic: str) -> None:
    series.pgic = pgic
    series.updated_at = utcnow()
    session = get_session()
    session.add(series)
    bump_data_version(session, series.patient_id)
    session.commit()


# Read on every visit of the quick-log page, so built once and read as plain rows (Core).
INFUSION, SERIES = Infusion.__table__.c, InfusionSeries.__table__.c
RECENT_WITHOUT_LATER_PAIN = (
    select(INFUSION.id, INFUSION.day, INFUSION.start_time, INFUSION.pain_2h, INFUSION.pain_24h,
           SERIES.route)
    .join_from(Infusion.__table__, InfusionSeries.__table__, INFUSION.series_id == SERIES.id)
    .where(SERIES.patient_id == bindparam("patient_id"), INFUSION.day >= bindparam("since"),
           INFUSION.pain_2h.is_(None) | INFUSION.pain_24h.is_(None))
    .order_by(INFUSION.day, INFUSION.start_time))


LATER_PAIN_ASKED_FOR = timedelta(hours=48)  # after the start; then only the series page asks


def infusions_awaiting_later_pain(patient_id: int, now: datetime) -> list[Row]:
    """Recent infusions whose 2 h or 24 h pain is due and missing, each with its series' route.

    ``now`` is the patient's local wall-clock time. The 2 h pain is asked from 2 hours after the
    start, the 24 h pain from 24 hours after; either only until 48 hours after the start.
    """
    rows = get_session().connection().execute(
        RECENT_WITHOUT_LATER_PAIN, {"patient_id": patient_id, "since": now.date() - timedelta(days=2)})
    due = []
    for infusion in rows:
        elapsed = now - datetime.combine(infusion.day, infusion.start_time)
        missing_2h = infusion.pain_2h is None and elapsed >= timedelta(hours=2)
        missing_24h = infusion.pain_24h is None and elapsed >= timedelta(hours=24)
        if (missing_2h or missing_24h) and elapsed <= LATER_PAIN_ASKED_FOR:
            due.append(infusion)
    return due


# Medications


MEDICATIONS = (select(Medication).where(Medication.patient_id == bindparam("patient_id"))
               .order_by(Medication.name, Medication.id))
ACTIVE_MEDICATIONS = MEDICATIONS.where(Medication.active == True)  # noqa: E712 (SQL, not Python)


def medications(patient_id: int, *, active_only: bool = True) -> list[Medication]:
    query = ACTIVE_MEDICATIONS if active_only else MEDICATIONS
    return list(get_session().exec(query, params={"patient_id": patient_id}))


def save_medication(patient_id: int, medication_input: MedicationInput,
                    medication: Medication | None = None) -> Medication:
    medication = medication or Medication(patient_id=patient_id, name="", drug="", form="", unit="")
    for name, value in vars(medication_input).items():
        setattr(medication, name, value)
    session = get_session()
    session.add(medication)
    bump_data_version(session, patient_id)
    session.commit()
    return medication


def stop_medication(medication: Medication) -> None:
    medication.active = False
    session = get_session()
    session.add(medication)
    bump_data_version(session, medication.patient_id)
    session.commit()


def medication_day(patient_id: int, day: date) -> MedicationDay | None:
    return get_session().exec(select(MedicationDay).where(MedicationDay.patient_id == patient_id,
                                                          MedicationDay.day == day)).first()


# Built once: "Log today" reads its day's doses on every visit, and a statement built per call
# costs more than the query. Each recorded day with its doses in one query, days in order and
# doses by medicine name; a day without doses ("No medications today") is one row with no medicine.
RECORDED = (select(MedicationDay.day, Medication.id, Medication.drug, Medication.unit,
                   Medication.name, MedicationDose.amount)
            .select_from(MedicationDay)
            .outerjoin(MedicationDose, MedicationDose.medication_day_id == MedicationDay.id)
            .outerjoin(Medication, Medication.id == MedicationDose.medication_id)
            .where(MedicationDay.patient_id == bindparam("patient_id"))
            .order_by(MedicationDay.day, Medication.name, Medication.id))
RECORDED_ON = RECORDED.where(col(MedicationDay.day).in_(bindparam("days", expanding=True)))


def doses_by_day(patient_id: int, days: list[date] | None = None) -> dict[date, list[Dose]]:
    """Every recorded day (or only ``days``) with its doses, by medicine name: one query, plain
    columns (three years of daily doses are read for every chart).

    A recorded day with no doses is a "No medications today" day and maps to an empty list.
    """
    query, values = RECORDED, {"patient_id": patient_id}
    if days is not None:
        query, values = RECORDED_ON, {**values, "days": list(days)}
    recorded: dict[date, list[Dose]] = {}
    for row in get_session().connection().execute(query, values):
        doses = recorded.setdefault(row.day, [])
        if row.id is not None:
            doses.append(Dose(drug=row.drug, amount=row.amount, unit=row.unit, name=row.name,
                              medication_id=row.id))
    return recorded


def mme_by_day(patient_id: int, days: list[date] | None = None) -> dict[date, DayMME]:
    """MME for every recorded day (or only ``days``), newest first; unrecorded days are simply
    absent (unknown)."""
    recorded = doses_by_day(patient_id, days)
    return {day: day_mme(recorded[day]) for day in sorted(recorded, reverse=True)}


def first_medication_day(patient_id: int) -> date | None:
    """The earliest day with a medication record, or None."""
    return get_session().exec(select(func.min(MedicationDay.day))
                              .where(MedicationDay.patient_id == patient_id)).one()


def save_day(patient_id: int, day: date, amounts: dict[int, Decimal]) -> MedicationDay:
    """Record a day's use, replacing what was logged; no amounts at all is "No medications today"."""
    session = get_session()
    record = medication_day(patient_id, day) or MedicationDay(patient_id=patient_id, day=day)
    record.updated_at = utcnow()
    session.add(record)
    try:
        session.flush()
        session.exec(delete(MedicationDose).where(MedicationDose.medication_day_id == record.id))
        for medication_id, amount in amounts.items():
            session.add(MedicationDose(medication_day_id=record.id, medication_id=medication_id,
                                       amount=amount))
        bump_data_version(session, patient_id)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return record


def amounts_on(patient_id: int, day: date) -> dict[int, Decimal] | None:
    """What was logged on ``day`` by medication id, or None when the day has no record."""
    doses = doses_by_day(patient_id, [day]).get(day)
    if doses is None:
        return None
    return {dose.medication_id: dose.amount for dose in doses}


# Other therapies


def therapies(patient_id: int) -> list[TherapyEvent]:
    return list(get_session().exec(select(TherapyEvent).where(TherapyEvent.patient_id == patient_id)
                                   .order_by(TherapyEvent.day.desc(), TherapyEvent.id.desc())))


def save_therapy(patient_id: int, therapy_input: TherapyInput,
                 therapy: TherapyEvent | None = None) -> TherapyEvent:
    therapy = therapy or TherapyEvent(patient_id=patient_id, day=therapy_input.day, kind="")
    for name, value in vars(therapy_input).items():
        setattr(therapy, name, value)
    session = get_session()
    session.add(therapy)
    bump_data_version(session, patient_id)
    session.commit()
    return therapy


def delete_therapy(therapy: TherapyEvent) -> None:
    session = get_session()
    session.delete(therapy)
    bump_data_version(session, therapy.patient_id)
    session.commit()
