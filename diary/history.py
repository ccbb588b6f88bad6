"""Load a patient's whole history from the database as the plain data of diary.trends.history.

One query per table, never one per day: the series page, the charts, the clinician report and the
exports all start from this, for histories of years.
"""

from collections import defaultdict
from datetime import date

from sqlmodel import select

from diary.days import today_in
from diary.db import get_session
from diary.models import (
    Entry, EntrySideEffect, Infusion, InfusionSeries, Medication, MedicationDay, MedicationDose,
    TherapyEvent, User,
)
from diary.treatments.forms import CHOICE_NAMES
from diary.treatments.mme import Dose, day_mme
from diary.trends.history import (
    DayEntry, History, InfusionRecord, SeriesRecord, TherapyRecord,
)

SCORES = ("pain_worst", "interference_enjoyment", "interference_activity", "mood", "sleep_quality")


def load_history(patient: User) -> History:
    session = get_session()
    side_effects: dict[int, dict[str, int]] = defaultdict(dict)
    for effect in session.exec(select(EntrySideEffect).join(Entry)
                               .where(Entry.patient_id == patient.id)):
        side_effects[effect.entry_id][effect.symptom] = effect.severity
    entries = {
        entry.day: DayEntry(day=entry.day, pain_avg=entry.pain_avg,
                            side_effects=side_effects.get(entry.id, {}),
                            **{name: getattr(entry, name) for name in SCORES})
        for entry in session.exec(select(Entry).where(Entry.patient_id == patient.id)
                                  .order_by(Entry.day))}

    infusions: dict[int, list[InfusionRecord]] = defaultdict(list)
    for infusion in session.exec(select(Infusion).join(InfusionSeries)
                                 .where(InfusionSeries.patient_id == patient.id)
                                 .order_by(Infusion.day, Infusion.start_time, Infusion.id)):
        infusions[infusion.series_id].append(InfusionRecord(
            id=infusion.id, day=infusion.day, dose_mg=infusion.dose_mg,
            pain_before=infusion.pain_before, pain_after=infusion.pain_after,
            pain_2h=infusion.pain_2h, pain_24h=infusion.pain_24h))
    series = [
        SeriesRecord(id=row.id, name=row.name, route=row.route_other or CHOICE_NAMES["route"][row.route],
                     condition=row.condition_other or CHOICE_NAMES["condition"][row.condition],
                     infusions=tuple(infusions[row.id]), pgic=row.pgic)
        for row in session.exec(select(InfusionSeries).where(InfusionSeries.patient_id == patient.id))]
    # Ordered by first infusion; a series without infusions comes last, in the order it was added.
    series.sort(key=lambda record: (record.first_day is None, record.first_day or date.min, record.id))

    return History(
        today=today_in(patient.time_zone), entries=entries, series=tuple(series),
        mme=load_mme(patient.id),
        therapies=tuple(
            TherapyRecord(day=row.day, kind=row.kind_other or CHOICE_NAMES["therapy"][row.kind],
                          note=row.note or "")
            for row in session.exec(select(TherapyEvent).where(TherapyEvent.patient_id == patient.id)
                                    .order_by(TherapyEvent.day, TherapyEvent.id))))


def load_mme(patient_id: int):
    """MME/day for every recorded day (two queries): Decimal, or None where no total exists."""
    session = get_session()
    doses: dict[date, list[Dose]] = {
        day: [] for day in session.exec(select(MedicationDay.day)
                                        .where(MedicationDay.patient_id == patient_id))}
    for dose, medication, day in session.exec(
            select(MedicationDose, Medication, MedicationDay.day).join(MedicationDay).join(Medication)
            .where(MedicationDay.patient_id == patient_id)):
        doses[day].append(Dose(drug=medication.drug, amount=dose.amount, unit=medication.unit,
                               name=medication.name))
    return {day: day_mme(day_doses).total for day, day_doses in sorted(doses.items())}
