"""Reading and writing diary entries with their side effects, always in one transaction."""

from datetime import date
from functools import cache

from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from diary.db import get_session
from diary.entries.forms import EntryInput
from diary.models import Entry, EntrySideEffect, utcnow

HISTORY_PAGE = 20


class DayAlreadyLogged(Exception):
    """The patient already has an entry for that day (a stale form, or a second tab)."""

    def __init__(self, day: date, entry_id: int | None):
        super().__init__(day)
        self.day = day
        self.entry_id = entry_id


def entry_on(patient_id: int, day: date) -> Entry | None:
    return get_session().exec(
        select(Entry).where(Entry.patient_id == patient_id, Entry.day == day)).first()


def side_effects_of(entry_ids: list[int]) -> dict[int, list[EntrySideEffect]]:
    """Side effects for many entries in one query."""
    by_entry: dict[int, list[EntrySideEffect]] = {entry_id: [] for entry_id in entry_ids}
    if entry_ids:
        rows = get_session().exec(select(EntrySideEffect)
                                  .where(EntrySideEffect.entry_id.in_(entry_ids))
                                  .order_by(EntrySideEffect.severity.desc(), EntrySideEffect.symptom))
        for row in rows:
            by_entry[row.entry_id].append(row)
    return by_entry


def history_page(patient_id: int, before: date | None = None) -> list[Entry]:
    """One page of entries, newest first, older than ``before`` when given."""
    query = select(Entry).where(Entry.patient_id == patient_id)
    if before is not None:
        query = query.where(Entry.day < before)
    return list(get_session().exec(query.order_by(Entry.day.desc()).limit(HISTORY_PAGE)))


def save_entry(patient_id: int, entry_input: EntryInput, entry: Entry | None = None) -> Entry:
    """Create (``entry`` None) or change an entry and its side effects, all or nothing.

    Only what differs from the stored entry is written. Raises DayAlreadyLogged when another
    entry already holds that day: the unique (patient, day) index is the one check, so a second
    tab or a simultaneous request is caught the same way as a stale form.
    """
    session = get_session()
    if entry is None:
        entry = Entry(patient_id=patient_id, day=entry_input.day, pain_avg=0)
    entry.day = entry_input.day
    for name, score in entry_input.scores.items():
        setattr(entry, name, score)  # the ORM leaves unchanged columns out of the UPDATE
    entry.notes = entry_input.notes
    entry.updated_at = utcnow()
    session.add(entry)
    try:
        if entry.id is None:
            session.flush()  # the new entry's id, for its side effects
        with session.no_autoflush:  # reading the side effects must not write the entry yet
            keep_side_effects(entry.id, entry_input)
        session.commit()
    except IntegrityError:
        session.rollback()
        clash = entry_on(patient_id, entry_input.day)
        raise DayAlreadyLogged(entry_input.day, clash.id if clash else None) from None
    return entry


@cache
def side_effect_values():
    table = EntrySideEffect.__table__
    return (select(table.c.symptom, table.c.severity, table.c.detail)
            .where(table.c.entry_id == bindparam("entry_id")))


def keep_side_effects(entry_id: int, entry_input: EntryInput) -> None:
    """Make the stored side effects match the form, changing only those that differ.

    Usually nothing differs, and one plain read of three columns settles that.
    """
    session = get_session()
    wanted = {symptom: (severity, entry_input.other_side_effect if symptom == "other" else None)
              for symptom, severity in entry_input.side_effects.items()}
    stored = session.connection().execute(side_effect_values(), {"entry_id": entry_id})
    if {symptom: (severity, detail) for symptom, severity, detail in stored} == wanted:
        return
    for effect in side_effects_of([entry_id])[entry_id]:
        if effect.symptom not in wanted:
            session.delete(effect)
        else:
            effect.severity, effect.detail = wanted.pop(effect.symptom)
    for symptom, (severity, detail) in wanted.items():
        session.add(EntrySideEffect(entry_id=entry_id, symptom=symptom, severity=severity,
                                    detail=detail))


def delete_entry(entry: Entry) -> None:
    session = get_session()
    session.delete(entry)
    session.commit()
