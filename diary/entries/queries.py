"""Reading and writing diary entries with their side effects, always in one transaction."""

from contextlib import contextmanager
from datetime import date
from functools import cache

from sqlalchemy import bindparam, update
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


@contextmanager
def one_entry_a_day(patient_id: int, day: date):
    """Commit what the block writes, all or nothing.

    The unique (patient, day) index is the one check that a day is free, so a stale form, a
    second tab and a simultaneous request all end the same way: DayAlreadyLogged.
    """
    session = get_session()
    try:
        yield session
        session.commit()
    except IntegrityError:
        session.rollback()
        clash = entry_on(patient_id, day)
        raise DayAlreadyLogged(day, clash.id if clash else None) from None


def answers(entry_input: EntryInput) -> dict:
    """The entry's columns as the form gives them."""
    return {"day": entry_input.day, **entry_input.scores, "notes": entry_input.notes}


def add_entry(patient_id: int, entry_input: EntryInput) -> Entry:
    """Store a new entry with its side effects; raises DayAlreadyLogged."""
    entry = Entry(patient_id=patient_id, **answers(entry_input))
    with one_entry_a_day(patient_id, entry_input.day) as session:
        session.add(entry)
        session.flush()  # the new entry's id, for its side effects
        add_side_effects(entry.id, side_effect_answers(entry_input))
    return entry


@cache
def entry_update():
    """UPDATE the patient's entry; the SET columns are the parameters given. Built once."""
    table = Entry.__table__
    return update(table).where(table.c.id == bindparam("entry_id"),
                               table.c.patient_id == bindparam("owner"))


def change_entry(patient_id: int, entry_id: int, entry_input: EntryInput) -> bool:
    """Replace the answers of the patient's entry ``entry_id`` and its side effects.

    False when the patient has no such entry (another patient's id included). Raises
    DayAlreadyLogged. One UPDATE: its WHERE is the ownership check, and the data version's
    hook finds the owner with the same WHERE.
    """
    with one_entry_a_day(patient_id, entry_input.day) as session:
        found = session.execute(entry_update(), {
            "entry_id": entry_id, "owner": patient_id, **answers(entry_input),
            "updated_at": utcnow()}).rowcount
        if found:
            keep_side_effects(entry_id, entry_input)
    return bool(found)


@cache
def side_effect_values():
    table = EntrySideEffect.__table__
    return (select(table.c.symptom, table.c.severity, table.c.detail)
            .where(table.c.entry_id == bindparam("entry_id")))


def side_effect_answers(entry_input: EntryInput) -> dict[str, tuple[int, str | None]]:
    """Symptom -> (severity, the patient's words for "other"), as the form gives them."""
    return {symptom: (severity, entry_input.other_side_effect if symptom == "other" else None)
            for symptom, severity in entry_input.side_effects.items()}


def add_side_effects(entry_id: int, wanted: dict[str, tuple[int, str | None]]) -> None:
    session = get_session()
    for symptom, (severity, detail) in wanted.items():
        session.add(EntrySideEffect(entry_id=entry_id, symptom=symptom, severity=severity,
                                    detail=detail))


def keep_side_effects(entry_id: int, entry_input: EntryInput) -> None:
    """Make the stored side effects match the form, changing only those that differ.

    Usually nothing differs, and one plain read of three columns settles that.
    """
    session = get_session()
    wanted = side_effect_answers(entry_input)
    stored = session.connection().execute(side_effect_values(), {"entry_id": entry_id})
    if {symptom: (severity, detail) for symptom, severity, detail in stored} == wanted:
        return
    for effect in side_effects_of([entry_id])[entry_id]:
        if effect.symptom not in wanted:
            session.delete(effect)
        else:
            effect.severity, effect.detail = wanted.pop(effect.symptom)
    add_side_effects(entry_id, wanted)


def delete_entry(entry: Entry) -> None:
    session = get_session()
    session.delete(entry)
    session.commit()
