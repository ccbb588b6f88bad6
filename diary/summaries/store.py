"""Each patient's stored summary (diary.models.PatientSummary): computed, kept fresh, read.

Only a patient connected to a clinician has one: it is computed when they connect and deleted when
their last connection ends. A summary is health data derived from the diary, kept for the clinic's
dashboard alone; without a clinician nobody reads it, and computing it would only slow down every
save (about 2 ms each on the benchmark's three-year diary).

Fresh with every write: ``bump_data_version`` (diary.versions), which every change to a diary
already calls, marks the patient's summary as due; just before that transaction commits, the
summary of a connected patient is computed from what it wrote and stored in the same transaction,
under the new data version. So no reader ever sees a diary change without its summary, and every
worker and server reads the same one. Computing it reads the patient's pain days, series and infusions, recent
medicines and latest PHQ-9 (eight indexed queries); the benchmark (tests/benchmark/dashboard_bench.py)
reports what it adds to a write.

A summary whose data version or rules are not the current ones (a write that failed to compute
it, a database from before summaries, rules changed since) is recomputed when read, a few per
request (``refresh_stale``), and by ``flask admin refresh-summaries`` (diary.admin) for all at once.
"""

import logging
from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import bindparam, delete, event, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from diary.days import patient_today
from diary.models import (
    ClinicianConnection, Entry, Infusion, InfusionSeries, InfusionSideEffect, Medication, MedicationDay, MedicationDose,
    Patient, PatientSummary, QuestionnaireAnswer, utcnow,
)
from diary.questionnaires.scoring import Answered
from diary.summaries.facts import RECENT_DAYS, RULES, Facts, latest_series, summarise, to_json
from diary.treatments.mme import Dose, day_mme
from diary.trends.history import DayEntry, History, InfusionRecord, SeriesRecord, SideEffectRecord

log = logging.getLogger(__name__)
DUE = "diary_summaries_due"  # in Session.info: the patients whose summary this transaction changes
SUMMARY = PatientSummary.__table__


# Built once, as diary.versions does: building a statement anew cost more than running it.
PATIENT = bindparam("patient_id")
READ_PATIENT = select(Patient.data_version, Patient.time_zone, Patient.trends_before_days,
                      Patient.trends_after_days).where(Patient.id == PATIENT)
READ_SIDE_EFFECTS = (
    select(InfusionSideEffect.infusion_id, InfusionSideEffect.phase, InfusionSideEffect.symptom,
           InfusionSideEffect.severity)
    .join(Infusion).join(InfusionSeries).where(InfusionSeries.patient_id == PATIENT)
    .order_by(InfusionSideEffect.phase.desc(), InfusionSideEffect.symptom))
READ_INFUSIONS = (
    select(Infusion.id, Infusion.series_id, Infusion.day, Infusion.start_time)
    .join(InfusionSeries).where(InfusionSeries.patient_id == PATIENT)
    .order_by(Infusion.day, Infusion.start_time, Infusion.id))
READ_SERIES = select(InfusionSeries.id, InfusionSeries.name, InfusionSeries.pgic).where(
    InfusionSeries.patient_id == PATIENT)
READ_LAST_DAY = select(func.max(Entry.day)).where(Entry.patient_id == PATIENT)
READ_PAIN = select(Entry.day, Entry.pain_avg).where(Entry.patient_id == PATIENT,
                                                    Entry.day >= bindparam("since"))
READ_PHQ9 = (
    select(QuestionnaireAnswer.id, QuestionnaireAnswer.day,
           *(getattr(QuestionnaireAnswer, f"item_{n}") for n in range(1, 10)))
    .where(QuestionnaireAnswer.patient_id == PATIENT, QuestionnaireAnswer.kind == "phq9")
    .order_by(QuestionnaireAnswer.day.desc(), QuestionnaireAnswer.id.desc()).limit(1))
CONNECTED_AMONG = select(ClinicianConnection.patient_id).distinct().where(
    ClinicianConnection.patient_id.in_(bindparam("patient_ids", expanding=True)),
    ClinicianConnection.disconnected_at.is_(None))
CONNECTED_NOW = select(ClinicianConnection.patient_id).where(ClinicianConnection.disconnected_at.is_(None))
READ_DOSES = (
    select(MedicationDay.day, Medication.drug, MedicationDose.amount, Medication.unit)
    .select_from(MedicationDay)
    .outerjoin(MedicationDose, MedicationDose.medication_day_id == MedicationDay.id)
    .outerjoin(Medication, Medication.id == MedicationDose.medication_id)
    .where(MedicationDay.patient_id == PATIENT, MedicationDay.day >= bindparam("since")))


def summary_history(session: Session, patient_id: int) -> tuple[History, int] | None:
    """The part of the patient's history a summary needs, and the data version it was read at
    (read first: a write committed meanwhile leaves the summary marked older, never newer).

    Diary days only from the first the summary looks at: the latest series' before window, the
    last 14 days, and the latest entry, whichever comes first; three years of days would cost
    more to read than everything else together.
    """
    connection = session.connection()  # Core rows: no ORM bookkeeping for thousands of days
    mine = {"patient_id": patient_id}
    patient = connection.execute(READ_PATIENT, mine).first()
    if patient is None:
        return None  # deleted in this transaction
    today = patient_today(patient)
    effects = defaultdict(list)
    for row in connection.execute(READ_SIDE_EFFECTS, mine):
        effects[row.infusion_id].append(SideEffectRecord(row.phase, row.symptom, row.severity))
    infusions = defaultdict(list)
    for row in connection.execute(READ_INFUSIONS, mine):
        infusions[row.series_id].append(InfusionRecord(
            id=row.id, day=row.day, start_time=row.start_time, side_effects=tuple(effects[row.id])))
    series = tuple(SeriesRecord(id=row.id, name=row.name, infusions=tuple(infusions[row.id]), pgic=row.pgic)
                   for row in connection.execute(READ_SERIES, mine))
    recent = days_before(today, RECENT_DAYS - 1)
    first_needed = recent
    latest = latest_series(series)
    if latest is not None:
        first_needed = min(first_needed, days_before(latest.first_day, patient.trends_before_days))
    last_day = connection.execute(READ_LAST_DAY, mine).scalar()
    if last_day is not None:
        first_needed = min(first_needed, last_day)
    entries = {day: DayEntry(day=day, pain_avg=pain)
               for day, pain in connection.execute(READ_PAIN, {**mine, "since": first_needed})}
    phq9 = connection.execute(READ_PHQ9, mine).first()
    questionnaires = () if phq9 is None else (Answered(phq9.id, "phq9", phq9.day, tuple(phq9[2:])),)
    doses: dict[date, list[Dose]] = defaultdict(list)
    for day, drug, amount, unit in connection.execute(READ_DOSES, {**mine, "since": recent}):
        doses[day].extend([] if drug is None else [Dose(drug=drug, amount=amount, unit=unit)])
    # MME/day by the rules of diary.treatments.mme: a record without doses is 0; None where no
    # total exists.
    mme = {day: day_mme(day_doses).total for day, day_doses in doses.items()}
    history = History(today=today, entries=entries, series=series, mme=mme,
                      questionnaires=questionnaires, before_days=patient.trends_before_days,
                      after_days=patient.trends_after_days)
    return history, patient.data_version


def days_before(day: date, count: int) -> date:
    return day - timedelta(days=count)


SUMMARY_COLUMNS = ("patient_id", "data_version", "rules", "facts", "computed_at")
UPSERTS = {}  # dialect name -> the statement, built once


def upsert(dialect: str):
    """Insert or replace a summary, unless the stored one is of a later data version."""
    if dialect not in UPSERTS:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(SUMMARY).values({name: bindparam(name) for name in SUMMARY_COLUMNS})
        UPSERTS[dialect] = statement.on_conflict_do_update(
            index_elements=[SUMMARY.c.patient_id],
            set_={name: statement.excluded[name] for name in SUMMARY_COLUMNS if name != "patient_id"},
            where=SUMMARY.c.data_version <= statement.excluded.data_version)
    return UPSERTS[dialect]


def store(session: Session, patient_id: int, data_version: int, facts: Facts) -> None:
    connection = session.connection()
    connection.execute(upsert(connection.dialect.name), {
        "patient_id": patient_id, "data_version": data_version, "rules": RULES,
        "facts": to_json(facts), "computed_at": utcnow()})


def refresh(session: Session, patient_id: int) -> Facts | None:
    """Compute and store the patient's summary in the session's transaction (not committed)."""
    loaded = summary_history(session, patient_id)
    if loaded is None:
        return None
    history, data_version = loaded
    facts = summarise(history)
    store(session, patient_id, data_version, facts)
    return facts


# --- Fresh with every write ---------------------------------------------------------------------

def summary_due(session: Session, patient_id: int) -> None:
    """Called by bump_data_version: recompute the patient's summary before this transaction
    commits (once, however many changes it holds); nothing if it rolls back."""
    due = session.info.setdefault(DUE, set())
    if not event.contains(session, "before_commit", refresh_due):
        event.listen(session, "before_commit", refresh_due)
        event.listen(session, "after_soft_rollback", forget_due)
    due.add(patient_id)


def refresh_due(session: Session) -> None:
    due = sorted(session.info.pop(DUE, ()))
    if not due:
        return
    session.flush()  # before_commit comes before commit's own flush: read what was written
    for patient_id in connected_among(session, due):
        try:
            refresh(session, patient_id)
        except Exception:  # noqa: BLE001 - never lose the patient's diary over its summary
            # The summary keeps its older data version, so the dashboard recomputes it when read.
            log.exception("The summary of patient %s could not be computed", patient_id)


def forget_due(session: Session, previous_transaction) -> None:
    session.info.pop(DUE, None)


# --- Kept only while connected ------------------------------------------------------------------

def connected_among(session: Session, patient_ids: list[int]) -> list[int]:
    """Those of these patients connected to a clinician now: the ones who keep a summary."""
    rows = session.connection().execute(CONNECTED_AMONG, {"patient_ids": patient_ids})
    return sorted(row.patient_id for row in rows)


def keep_only_if_connected(session: Session, patient_id: int) -> None:
    """After a connection began or ended, in its transaction: compute the patient's summary if
    they are connected now, delete it if not."""
    if connected_among(session, [patient_id]):
        refresh(session, patient_id)
    else:
        session.connection().execute(delete(SUMMARY).where(SUMMARY.c.patient_id == patient_id))


# --- Read ---------------------------------------------------------------------------------------

REFRESH_ON_READ = 20  # stale summaries recomputed per dashboard request, at ~10 ms each


def is_current(summary_version: int | None, rules: int | None, data_version: int) -> bool:
    return summary_version == data_version and rules == RULES


def refresh_stale(session: Session, patient_ids: list[int], limit: int = REFRESH_ON_READ) -> dict[int, Facts]:
    """Recompute the first ``limit`` of these patients' summaries and commit; their facts."""
    fresh = {}
    for patient_id in patient_ids[:limit]:
        facts = refresh(session, patient_id)
        if facts is not None:
            fresh[patient_id] = facts
    session.commit()
    return fresh


def refresh_all(session: Session, only_stale: bool = True) -> int:
    """Recompute every connected patient's summary (the stale ones only, by default) and delete
    any other patient's (left by a clinician account deleted with its connections); how many
    were computed."""
    session.execute(delete(SUMMARY).where(SUMMARY.c.patient_id.not_in(CONNECTED_NOW)))
    session.commit()
    rows = session.execute(
        select(Patient.id, Patient.data_version, SUMMARY.c.data_version, SUMMARY.c.rules)
        .outerjoin(SUMMARY, SUMMARY.c.patient_id == Patient.id)
        .where(Patient.id.in_(CONNECTED_NOW))).all()
    due = [row[0] for row in rows if not (only_stale and is_current(row[2], row[3], row[1]))]
    for patient_id in due:
        refresh(session, patient_id)
        session.commit()  # one at a time: never hold the write lock for the whole clinic
    return len(due)

