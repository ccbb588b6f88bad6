"""Loading a patient's history from the database as plain data (diary.trends.history.History).

TEMPORARY minimal version (entries only) until the treatments branch lands its full loader.
"""

from sqlmodel import select

from diary.days import today_in
from diary.db import get_session
from diary.models import Entry, EntrySideEffect, User
from diary.trends.history import DayEntry, History


def load_history(patient: User) -> History:
    session = get_session()
    effects: dict[int, dict[str, int]] = {}
    rows = session.exec(select(EntrySideEffect).join(Entry, Entry.id == EntrySideEffect.entry_id)
                        .where(Entry.patient_id == patient.id))
    for effect in rows:
        effects.setdefault(effect.entry_id, {})[effect.symptom] = effect.severity
    entries = {}
    for entry in session.exec(select(Entry).where(Entry.patient_id == patient.id).order_by(Entry.day)):
        entries[entry.day] = DayEntry(
            day=entry.day, pain_avg=entry.pain_avg, pain_worst=entry.pain_worst,
            interference_enjoyment=entry.interference_enjoyment,
            interference_activity=entry.interference_activity, mood=entry.mood,
            sleep_quality=entry.sleep_quality, side_effects=effects.get(entry.id, {}))
    return History(today=today_in(patient.time_zone), entries=entries)
