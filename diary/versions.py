"""The patient's data version: one number, bumped whenever a row the patient owns changes.

A loaded history and its analysis can be reused for as long as the version is the same
(diary.history). So the version is bumped in one place, for every session, in the same
transaction as the change: ORM writes as each flush begins; Core statements run through
a session (the CSV import's inserts, the bulk deletes of side effects and doses) are seen before
they execute, while the rows they touch can still be found. The patient-owned tables are found
from the metadata as the export finds them, so a table added later is covered without anyone
remembering. SQL written by hand around the session (none in the app) would have to bump it too.

One bump per patient per transaction is enough (readers only compare versions between commits),
so the session remembers whom it has bumped until its transaction ends, and a save that flushes
an entry and then writes its side effects pays for one UPDATE of the patient, not one per step.
"""

from functools import cache, lru_cache

from sqlalchemy import Table, bindparam, event, inspect, select, update
from sqlalchemy.orm import Session

@cache
def owned_tables() -> dict[str, Table]:
    from diary.sharing.export import patient_tables  # late: export needs diary.db, which needs us

    return {table.name: table for table in patient_tables()}


@cache
def parent_key(table: Table):
    """The foreign key leading from a child table towards its owning patient."""
    owned = owned_tables()
    return next(fk for fk in sorted(table.foreign_keys, key=lambda fk: fk.parent.name)
                if fk.column.table.name in owned)


def owner_select(table: Table):
    """SELECT the owning patient's id of rows of ``table``, joined up through its parents."""
    joined, current = table, table
    while "patient_id" not in current.c:
        fk = parent_key(current)
        joined = joined.join(fk.column.table, fk.parent == fk.column)
        current = fk.column.table
    return select(current.c.patient_id).select_from(joined)


def owners_of_values(connection, table: Table, rows: list[dict]) -> set[int]:
    """Owners of rows given as column values (being inserted, or as they were or are now)."""
    if "patient_id" in table.c:
        return {row["patient_id"] for row in rows if row.get("patient_id") is not None}
    fk = parent_key(table)
    parent_ids = {row[fk.parent.name] for row in rows if row.get(fk.parent.name) is not None}
    if not parent_ids:
        return set()
    return set(connection.scalars(owners_by_id(fk.column.table), {"ids": sorted(parent_ids)}))


@cache
def owners_by_id(table: Table):
    """SELECT the owners of rows of ``table`` by id, built once per table."""
    return owner_select(table).where(table.c.id.in_(bindparam("ids", expanding=True)))


BUMPED = "diary.versions.bumped"  # session.info key: patients bumped in the open transaction


def bump(session: Session, patient_ids: set[int]) -> None:
    """Bump each patient not yet bumped in this transaction."""
    bumped = session.info.setdefault(BUMPED, set())
    pending = patient_ids - bumped
    if pending:
        # In id order, so two transactions bumping the same patients lock them in the same order.
        rows = [{"patient_id": patient_id} for patient_id in sorted(pending)]
        session.connection().execute(bump_statement(), rows if len(rows) > 1 else rows[0])
        bumped |= pending


@cache
def patient_table() -> Table:
    from sqlmodel import SQLModel

    return SQLModel.metadata.tables["patient"]


@cache
def bump_statement():
    """Built once: building the UPDATE anew for every write cost more than running it."""
    patients = patient_table()
    return (update(patients).where(patients.c.id == bindparam("patient_id"))
            .values(data_version=patients.c.data_version + 1))


@event.listens_for(Session, "after_transaction_end")
def forget_bumps(session: Session, transaction) -> None:
    # At the end of the transaction, or of a savepoint (a rolled-back one took its bump with it;
    # forgetting after a released one only costs a second UPDATE). Not after each flush, which
    # runs in a subtransaction of its own that undoes nothing.
    if transaction.parent is None or transaction.nested:
        session.info.pop(BUMPED, None)


def flushing_rows(session: Session) -> dict[Table, list[dict]]:
    """Each owned row about to be flushed, as its owner column (or parent key), old values too."""
    rows: dict[Table, list[dict]] = {}
    owned = owned_tables()
    changed = [*session.new, *session.deleted,
               *(item for item in session.dirty if session.is_modified(item, include_collections=False))]
    for item in changed:
        state = inspect(item)
        table = state.mapper.local_table
        if table.name not in owned:
            continue
        key = owner_key(table)
        history = state.attrs[key].load_history()  # loads an expired value, so none is missed
        rows.setdefault(table, []).extend(
            {key: value} for value in (*history.added, *history.unchanged, *history.deleted))
    return rows


@cache
def owner_key(table: Table) -> str:
    """The column of ``table`` naming its owner: the patient, or the parent row."""
    return "patient_id" if "patient_id" in table.c else parent_key(table).parent.name


@lru_cache(maxsize=64)
def owners_matched(table: Table, statement):
    """SELECT the owners of the rows an UPDATE or DELETE matches, built once per statement object.

    Only the prebuilt statements (diary.entries.queries) come back as the same object; one built
    per call misses and is held until 64 newer ones push it out, which bounds the memo."""
    query = owner_select(table)
    return query if statement.whereclause is None else query.where(statement.whereclause)


@lru_cache(maxsize=64)
def owner_value_written(table: Table, statement) -> dict:
    """The owner column's value written into an UPDATE itself, if any. Compiling costs more than
    running a small UPDATE and a statement never changes, so one built once is compiled once."""
    key, params = owner_key(table), statement.compile().params
    return {key: params[key]} if key in params else {}


@event.listens_for(Session, "before_flush")
def bump_before_flush(session: Session, flush_context, instances) -> None:
    # Before the flush, rows being deleted can still be traced to their owner. Child rows carry
    # their parent's id (no relationship() sets it later), so new rows can be traced too.
    connection = session.connection()
    owners: set[int] = set()
    for table, rows in flushing_rows(session).items():
        owners |= owners_of_values(connection, table, rows)
    bump(session, owners)


@event.listens_for(Session, "do_orm_execute")
def bump_before_statement(state) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = state.statement.table
    if getattr(table, "name", None) not in owned_tables():
        return
    table = owned_tables()[table.name]
    connection = state.session.connection()
    if state.is_insert:
        given = state.parameters  # a bulk insert's rows, or else the statement's own values
        rows = (given if isinstance(given, list) else [given]) if given else [
            dict(state.statement.compile().params)]
        owners = owners_of_values(connection, table, rows)
    else:
        query = owners_matched(table, state.statement)
        given = state.parameters or {}  # values for the statement's bound parameters
        owners = set()
        for params in given if isinstance(given, list) else [given]:
            owners |= set(connection.scalars(query, params))
            if state.is_update:  # values moving rows to another owner (never done; cheap to cover)
                written = {**owner_value_written(table, state.statement), **params}
                owners |= owners_of_values(connection, table, [written])
    bump(state.session, owners)
