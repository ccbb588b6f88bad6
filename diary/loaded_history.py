"""Load a patient's whole history from the database as the plain data of diary.trends.history,
and keep the recent ones (and what was built from them) in this process.

One query per table, never one per day: the series page, the charts, the clinician report and the
exports all start from this, for histories of years. Building a three-year history and analysing it
costs tens of milliseconds, so each process keeps the last few, keyed by the patient's account
secret and data version (diary.versions, bumped with every change to their rows), today, time
zone and window settings: reading an unchanged history again costs one indexed query.
"""

import threading
import time
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from flask import current_app, request
from sqlmodel import select

from diary.days import patient_today
from diary.db import get_session
from diary.questionnaires.queries import all_answered
from diary.summaries.store import summary_due
from diary.models import (
    Entry, EntrySideEffect, Infusion, InfusionSeries, InfusionSideEffect, Medication, Patient,
    TherapyEvent,
)
from diary.treatments.mme import day_mme
from diary.treatments.queries import doses_by_day
from diary.trends.analysis import Trends, analyse
from diary.trends.history import (
    DayEntry, History, InfusionRecord, MedicationRecord, SeriesRecord, SideEffectRecord,
    TherapyRecord,
)

SCORES = ("pain_worst", "interference_enjoyment", "interference_activity", "mood", "sleep_quality")


def load_history(patient: Patient, since: date | None = None) -> History:
    """The patient's history; with ``since``, only the diary days and medication days from that
    day on (every series and infusion still): enough for the windows that lie after it."""
    # Columns, not ORM objects: a three-year history is thousands of rows, read on every chart.
    session = get_session()
    from_since = (Entry.day >= since,) if since else ()
    side_effects: dict[int, dict[str, int]] = defaultdict(dict)
    details: dict[int, dict[str, str]] = defaultdict(dict)
    for entry_id, symptom, severity, detail in session.execute(
            select(EntrySideEffect.entry_id, EntrySideEffect.symptom, EntrySideEffect.severity,
                   EntrySideEffect.detail)
            .join(Entry).where(Entry.patient_id == patient.id, *from_since)):
        side_effects[entry_id][symptom] = severity
        if detail:
            details[entry_id][symptom] = detail
    entries = {
        row.day: DayEntry(day=row.day, pain_avg=row.pain_avg, side_effects=side_effects.get(row.id, {}),
                          side_effect_details=details.get(row.id, {}), notes=row.notes or "",
                          **{name: getattr(row, name) for name in SCORES})
        for row in session.execute(
            select(Entry.id, Entry.day, Entry.pain_avg, Entry.notes,
                   *(getattr(Entry, name) for name in SCORES))
            .where(Entry.patient_id == patient.id, *from_since).order_by(Entry.day))}

    infusion_effects: dict[int, list[SideEffectRecord]] = defaultdict(list)
    for row in session.execute(
            select(InfusionSideEffect.infusion_id, InfusionSideEffect.phase, InfusionSideEffect.symptom,
                   InfusionSideEffect.severity, InfusionSideEffect.detail)
            .join(Infusion).join(InfusionSeries).where(InfusionSeries.patient_id == patient.id)
            .order_by(InfusionSideEffect.infusion_id, InfusionSideEffect.phase.desc(),
                      InfusionSideEffect.symptom)):
        infusion_effects[row.infusion_id].append(SideEffectRecord(
            phase=row.phase, symptom=row.symptom, severity=row.severity, detail=row.detail or ""))
    infusions: dict[int, list[InfusionRecord]] = defaultdict(list)
    for row in session.execute(
            select(Infusion.id, Infusion.series_id, Infusion.day, Infusion.dose_mg, Infusion.pain_before,
                   Infusion.pain_after, Infusion.pain_2h, Infusion.pain_24h, Infusion.start_time,
                   Infusion.duration_min, Infusion.weight_kg, Infusion.notes)
            .join(InfusionSeries).where(InfusionSeries.patient_id == patient.id)
            .order_by(Infusion.day, Infusion.start_time, Infusion.id)):
        infusions[row.series_id].append(InfusionRecord(
            id=row.id, day=row.day, dose_mg=row.dose_mg, pain_before=row.pain_before,
            pain_after=row.pain_after, pain_2h=row.pain_2h, pain_24h=row.pain_24h,
            start_time=row.start_time, duration_min=row.duration_min, weight_kg=row.weight_kg,
            side_effects=tuple(infusion_effects[row.id]), notes=row.notes or ""))
    series = [
        SeriesRecord(id=row.id, name=row.name, route=row.route, route_other=row.route_other or "",
                     condition=row.condition, condition_other=row.condition_other or "",
                     infusions=tuple(infusions[row.id]), pgic=row.pgic, notes=row.notes or "")
        for row in session.exec(select(InfusionSeries).where(InfusionSeries.patient_id == patient.id))]
    # Ordered by first infusion; a series without infusions comes last, in the order it was added.
    series.sort(key=lambda record: (record.first_day is None, record.first_day or date.min, record.id))

    mme, medications = load_medications(patient.id, since, patient_today(patient))
    return History(
        today=patient_today(patient), entries=entries, series=tuple(series),
        before_days=patient.trends_before_days, after_days=patient.trends_after_days,
        mme=mme, medications=medications, questionnaires=tuple(all_answered(patient.id)),
        therapies=tuple(
            TherapyRecord(day=row.day, kind=row.kind, kind_other=row.kind_other or "",
                          note=row.note or "", id=row.id)
            for row in session.exec(select(TherapyEvent).where(TherapyEvent.patient_id == patient.id)
                                    .order_by(TherapyEvent.day, TherapyEvent.id))))


def load_medications(patient_id: int, since: date | None = None, today: date | None = None,
                     ) -> tuple[dict, tuple[MedicationRecord, ...]]:
    """MME/day for every recorded day (Decimal, or None where no total exists) and each medicine
    with its amounts by day: the medications page's own query of the doses, and the medicines.
    With ``since``, only the days from it to ``today``."""
    days = None
    if since is not None:
        days = [date.fromordinal(n) for n in range(since.toordinal(), today.toordinal() + 1)]
    recorded = doses_by_day(patient_id, days)
    taken: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    for day, doses in recorded.items():
        for dose in doses:
            taken[dose.medication_id].append((day, dose.amount))
    records = tuple(
        MedicationRecord(id=row.id, name=row.name, drug=row.drug, form=row.form, unit=row.unit,
                         usual_dose=row.usual_dose, active=row.active,
                         doses=tuple(sorted(taken[row.id])))
        for row in sorted(get_session().execute(
            select(Medication.id, Medication.drug, Medication.unit, Medication.name, Medication.form,
                   Medication.usual_dose, Medication.active)
            .where(Medication.patient_id == patient_id)), key=lambda row: (row.name, row.id)))
    return {day: day_mme(doses).total for day, doses in sorted(recorded.items())}, records


def save_windows(patient: Patient, before_days: int, after_days: int) -> None:
    """The patient's before and after windows, in days. The history's key holds them, so a
    history analysed over the old windows is not reused; the diary itself is unchanged."""
    patient.trends_before_days, patient.trends_after_days = before_days, after_days
    session = get_session()
    session.add(patient)
    summary_due(session, patient.id)  # the dashboard's before/after result changes with them
    session.commit()


# Patients (or charts) kept per process. A three-year history, its analysis and a chart take
# about 1.5 MB (measured with tracemalloc), so 16 keep a worker far below its 120 MB budget.
CACHE_SIZE = 16


class Recent:
    """The latest value for each of a few slots (a patient, or a patient's chart), the least
    recently used dropped first; safe to share between a worker's threads. A slot holds one key
    only, so an older version of a patient's history is dropped as soon as a newer one is built."""

    def __init__(self, size: int):
        self.size = size
        self.items: OrderedDict = OrderedDict()  # slot -> (key, value)
        self.lock = threading.Lock()

    def get(self, key: tuple, build, slot=None):
        slot = key[0] if slot is None else slot
        with self.lock:
            kept = self.items.get(slot)
            if kept is not None and kept[0] == key:
                self.items.move_to_end(slot)
                return kept[1]
        value = build()  # outside the lock: two threads may build the same value, never a wrong one
        with self.lock:
            self.items[slot] = (key, value)
            self.items.move_to_end(slot)
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value

    def holds(self, key: tuple, slot=None) -> bool:
        """Whether ``key``'s value is kept (and so ``get`` would not build it)."""
        with self.lock:
            kept = self.items.get(key[0] if slot is None else slot)
            return kept is not None and kept[0] == key

    def keys(self) -> list:
        with self.lock:
            return [key for key, _ in self.items.values()]

    def forget(self, patient_id: int, session_secret: str | None = None) -> None:
        """Drop the patient's slots (their own, and those of what was built for them); with
        ``session_secret``, only those kept under it."""
        with self.lock:
            for slot in [slot for slot, (key, _) in self.items.items() if key[0] == patient_id
                         and (session_secret is None or key.session_secret == session_secret)]:
                del self.items[slot]


@dataclass
class Caches:
    """What this app keeps per patient, each under the history's key. Per app, as ids and
    versions are per database."""

    histories: Recent = field(default_factory=lambda: Recent(CACHE_SIZE))  # loaded History
    analyses: Recent = field(default_factory=lambda: Recent(CACHE_SIZE))  # (History, Trends)
    # Built from a history alone: page bodies, chart JSON, reports.
    derived: Recent = field(default_factory=lambda: Recent(CACHE_SIZE))

    def __iter__(self):
        return iter((self.histories, self.analyses, self.derived))


def caches() -> Caches:
    return current_app.extensions.setdefault("diary_histories", Caches())


class HistoryKey(NamedTuple):
    """What a loaded history depends on. The id is only the slot: ids come back (an older backup
    restored) and a cached diary must never reach another account, so the key holds the account's
    session secret, which no other account ever has (diary.auth)."""

    patient_id: int
    session_secret: str
    data_version: int
    today: date
    time_zone: str
    before_days: int
    after_days: int


def history_key(patient) -> HistoryKey:
    """What a loaded history depends on: the account, its data, today, time zone and windows.

    ``patient`` is the account as read at the start of this request (current_user, or the row a
    share link names), before any of the history: a write committed since leaves newer data under
    the older key, never older data under the newer one, and the next request loads again. Views
    that write the diary redirect rather than read the history in the same request.
    """
    return HistoryKey(patient.id, patient.session_secret, patient.data_version,
                      patient_today(patient), patient.time_zone, patient.trends_before_days,
                      patient.trends_after_days)


def cached_load(patient: Patient, key: HistoryKey) -> History:
    # The key's today, in case midnight passed while loading.
    return caches().histories.get(key, lambda: replace(load_history(patient), today=key.today))


def patient_history(patient: Patient) -> History:
    """``load_history``, reused while nothing of the patient's changed. Shared: never modify it."""
    return cached_load(patient, history_key(patient))


def analysed_history(patient: Patient, key: HistoryKey | None = None) -> tuple[History, Trends]:
    """The patient's history and its analysis, reused like the history."""
    key = key or history_key(patient)

    def build():
        history = cached_load(patient, key)
        return history, analyse(history)

    return caches().analyses.get(key, build)


def derived(key: HistoryKey, what: tuple, build):
    """Something built from a history alone (a chart's JSON, the before/after page's body, a
    report), under the history's key, for ``what`` (e.g. the chart and its query).

    Its links depend on the path the app is mounted at, so that is part of the key too; while
    templates reload on change (development) nothing is kept, as a template may have changed.
    """
    if current_app.jinja_env.auto_reload:
        return build()
    return caches().derived.get(key, build, slot=(key[0], request.script_root, *what))


def forget_patient(patient_id: int) -> None:
    """Drop a deleted patient's histories from this process at once. Other processes never match
    them again (no account shares the key) and drop them within a minute (below)."""
    for cache in caches():
        cache.forget(patient_id)


SWEEP_SECONDS = 60  # how long another process may keep a deleted patient's diary in memory


def forget_departed_accounts() -> None:
    """Before a request, at most once a minute: drop what this process keeps of accounts that are
    gone or hold another secret now (deleted, logged out, restored in another process), with one
    small query. Their keys would never match again, but their diaries should not linger."""
    sweep = current_app.extensions.setdefault("diary_history_sweep", {"at": time.monotonic()})
    now = time.monotonic()
    if now - sweep["at"] < current_app.config.get("HISTORY_SWEEP_SECONDS", SWEEP_SECONDS):
        return
    sweep["at"] = now
    kept = {(key.patient_id, key.session_secret) for cache in caches() for key in cache.keys()}
    if not kept:
        return
    current = set(get_session().execute(
        select(Patient.id, Patient.session_secret)
        .where(Patient.id.in_({patient_id for patient_id, _ in kept}))))
    for patient_id, session_secret in kept - current:
        for cache in caches():
            cache.forget(patient_id, session_secret)


def init_app(app) -> None:
    app.before_request(forget_departed_accounts)
