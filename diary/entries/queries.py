"""Reading and writing diary entries with their side effects, always in one transaction.

The pages read plain rows (SQLAlchemy Core, statements built once) rather than ORM objects: a
row has the same attribute names, and for pages this small the ORM's bookkeeping cost more than
the queries themselves.
"""

from contextlib import contextmanager
from datetime import date, datetime

from sqlalchemy import Row, bindparam, delete, func, insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from diary.db import get_session
from diary.entries.forms import EntryInput
from diary.models import Entry, EntrySideEffect, Infusion, InfusionSeries, Patient, utcnow
from diary.versions import bump_data_version

HISTORY_PAGE = 20

entry_table, side_effect_table = Entry.__table__, EntrySideEffect.__table__
ENTRY, SIDE_EFFECT = entry_table.c, side_effect_table.c
ENTRY_COLUMNS = (ENTRY.id, ENTRY.day, ENTRY.pain_avg, ENTRY.pain_worst, ENTRY.interference_enjoyment,
                 ENTRY.interference_activity, ENTRY.mood, ENTRY.sleep_quality, ENTRY.notes)
SIDE_EFFECT_COLUMNS = (SIDE_EFFECT.symptom, SIDE_EFFECT.severity, SIDE_EFFECT.detail)
WORST_FIRST = (SIDE_EFFECT.severity.desc(), SIDE_EFFECT.symptom)

# The statements of a save, built once: building one costs more than running it. An UPDATE
# sets the columns given as parameters.
CHANGE_ENTRY = update(entry_table).where(ENTRY.id == bindparam("entry_id"),
                                         ENTRY.patient_id == bindparam("owner"))
READ_SIDE_EFFECTS = select(*SIDE_EFFECT_COLUMNS).where(SIDE_EFFECT.entry_id == bindparam("entry_id"))
DELETE_SIDE_EFFECTS = delete(side_effect_table).where(
    SIDE_EFFECT.entry_id == bindparam("entry_id"),
    SIDE_EFFECT.symptom.in_(bindparam("symptoms", expanding=True)))
CHANGE_SIDE_EFFECT = update(side_effect_table).where(
    SIDE_EFFECT.entry_id == bindparam("of_entry"), SIDE_EFFECT.symptom == bindparam("of_symptom"))
ADD_SIDE_EFFECTS = insert(side_effect_table)

# The pages' reads, built once too.
DAY_WITH_SIDE_EFFECTS = (
    select(*ENTRY_COLUMNS, *SIDE_EFFECT_COLUMNS)
    .outerjoin(side_effect_table, SIDE_EFFECT.entry_id == ENTRY.id)
    .where(ENTRY.patient_id == bindparam("patient_id"), ENTRY.day == bindparam("day"))
    .order_by(*WORST_FIRST))
SIDE_EFFECTS_OF = (select(SIDE_EFFECT.entry_id, *SIDE_EFFECT_COLUMNS)
                   .where(SIDE_EFFECT.entry_id.in_(bindparam("entry_ids", expanding=True)))
                   .order_by(*WORST_FIRST))
NEWEST_FIRST = (select(*ENTRY_COLUMNS).where(ENTRY.patient_id == bindparam("patient_id"))
                .order_by(ENTRY.day.desc()).limit(HISTORY_PAGE))
NEWEST_BEFORE = NEWEST_FIRST.where(ENTRY.day < bindparam("before"))


class DayAlreadyLogged(Exception):
    """The patient already has an entry for that day (a stale form, or a second tab)."""

    def __init__(self, day: date, entry_id: int | None):
        super().__init__(day)
        self.day = day
        self.entry_id = entry_id


def entry_on(patient_id: int, day: date) -> Entry | None:
    return get_session().exec(
        select(Entry).where(Entry.patient_id == patient_id, Entry.day == day)).first()


def rows(statement, **params) -> list[Row]:
    return get_session().connection().execute(statement, params).all()


def day_with_side_effects(patient_id: int, day: date) -> tuple[Row | None, list[Row]]:
    """The patient's entry for ``day`` (None if not logged) and its side effects, in one query.

    Each row carries the entry's columns and one side effect's (none when there is none).
    """
    found = rows(DAY_WITH_SIDE_EFFECTS, patient_id=patient_id, day=day)
    if not found:
        return None, []
    return found[0], [row for row in found if row.symptom is not None]


def side_effects_of(entry_ids: list[int]) -> dict[int, list[Row]]:
    """Side effects for many entries in one query, the worst first."""
    by_entry: dict[int, list[Row]] = {entry_id: [] for entry_id in entry_ids}
    if entry_ids:
        for row in rows(SIDE_EFFECTS_OF, entry_ids=entry_ids):
            by_entry[row.entry_id].append(row)
    return by_entry


def history_page(patient_id: int, before: date | None = None) -> list[Row]:
    """One page of entries, newest first, older than ``before`` when given."""
    if before is None:
        return rows(NEWEST_FIRST, patient_id=patient_id)
    return rows(NEWEST_BEFORE, patient_id=patient_id, before=before)


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
        add_side_effects(entry.id, entry_input.side_effects)
        bump_data_version(session, patient_id)
    return entry


def change_entry(patient_id: int, entry_id: int, entry_input: EntryInput) -> bool:
    """Replace the answers of the patient's entry ``entry_id`` and its side effects.

    False when the patient has no such entry (another patient's id included), and then nothing
    changes, the data version neither. Raises DayAlreadyLogged. One UPDATE: its WHERE is the
    ownership check.
    """
    with one_entry_a_day(patient_id, entry_input.day) as session:
        found = session.execute(CHANGE_ENTRY, {
            "entry_id": entry_id, "owner": patient_id, **answers(entry_input),
            "updated_at": utcnow()}).rowcount
        if found:
            keep_side_effects(entry_id, entry_input)
            bump_data_version(session, patient_id)
    return bool(found)


def add_side_effects(entry_id: int, wanted: dict[str, tuple[int, str | None]]) -> None:
    if wanted:
        get_session().execute(ADD_SIDE_EFFECTS, [
            {"entry_id": entry_id, "symptom": symptom, "severity": severity, "detail": detail}
            for symptom, (severity, detail) in wanted.items()])


def keep_side_effects(entry_id: int, entry_input: EntryInput) -> None:
    """Make the stored side effects match the form: delete, change and add only what differs."""
    session = get_session()
    wanted = entry_input.side_effects
    stored = {symptom: (severity, detail) for symptom, severity, detail
              in session.connection().execute(READ_SIDE_EFFECTS, {"entry_id": entry_id})}
    gone = [symptom for symptom in stored if symptom not in wanted]
    if gone:
        session.execute(DELETE_SIDE_EFFECTS, {"entry_id": entry_id, "symptoms": gone})
    changed = [{"of_entry": entry_id, "of_symptom": symptom, "severity": severity, "detail": detail}
               for symptom, (severity, detail) in wanted.items()
               if symptom in stored and stored[symptom] != (severity, detail)]
    if changed:
        session.execute(CHANGE_SIDE_EFFECT, changed)
    add_side_effects(entry_id, {symptom: answer for symptom, answer in wanted.items()
                                if symptom not in stored})


def delete_entry(entry: Entry) -> None:
    session = get_session()
    session.delete(entry)
    bump_data_version(session, entry.patient_id)
    session.commit()


# The month calendar (diary.entries.calendar)

PAIN_BETWEEN = (select(ENTRY.day, ENTRY.pain_avg)
                .where(ENTRY.patient_id == bindparam("patient_id"),
                       ENTRY.day.between(bindparam("first"), bindparam("last"))))
LOGGED_DAYS = select(ENTRY.day).where(ENTRY.patient_id == bindparam("patient_id"))


def pain_between(patient_id: int, first: date, last: date) -> dict[date, int]:
    return {row.day: row.pain_avg for row in rows(PAIN_BETWEEN, patient_id=patient_id,
                                                   first=first, last=last)}


def logged_days(patient_id: int) -> set[date]:
    """Every day the patient logged: a few thousand dates at most, for the next missing day."""
    return {row.day for row in rows(LOGGED_DAYS, patient_id=patient_id)}


def infusion_days(patient_id: int, first: date, last: date) -> set[date]:
    return set(get_session().exec(
        select(Infusion.day).join(InfusionSeries)
        .where(InfusionSeries.patient_id == patient_id, Infusion.day.between(first, last))))


def diary_beginnings(patient_id: int) -> tuple[datetime, date | None, date | None]:
    """When the account was made (UTC), the first logged day and the first infusion day: what
    the calendar's diary start is worked out from (diary.entries.calendar.diary_start)."""
    session = get_session()
    made_at = session.exec(select(Patient.created_at).where(Patient.id == patient_id)).one()
    first_logged = session.exec(select(func.min(Entry.day)).where(Entry.patient_id == patient_id)).one()
    first_infusion = session.exec(select(func.min(Infusion.day)).join(InfusionSeries)
                                  .where(InfusionSeries.patient_id == patient_id)).one()
    return made_at, first_logged, first_infusion



# Built once: "Log today" asks on every visit, and building the statement cost more than running it.
FIRST_INFUSION_OF_SERIES_SINCE = select(func.min(Infusion.day)).where(col(Infusion.series_id).in_(
    select(Infusion.series_id).join(InfusionSeries)
    .where(InfusionSeries.patient_id == bindparam("patient_id"), Infusion.day >= bindparam("day"))))


def first_infusion_of_series_since(patient_id: int, day: date) -> date | None:
    """The first infusion day of the series that have an infusion on ``day`` or later (None when
    none has): where the before windows of the series still open begin."""
    return get_session().connection().execute(
        FIRST_INFUSION_OF_SERIES_SINCE, {"patient_id": patient_id, "day": day}).scalar()
