"""The patient's data version goes up with every change to a row they own, and only theirs.

Walks every patient-owned table found from the metadata, so a table added later is covered (or
fails here until it has a sample row), through the ORM and through Core statements on a session.
"""

from datetime import date, datetime, time, timezone
from decimal import Decimal

import pytest
from sqlalchemy import bindparam, delete, insert, select, update
from sqlmodel import Session, SQLModel

from diary.models import User
from diary.sharing.export import patient_tables
from tests.conftest import make_patient

# The required values of one row of each patient-owned table, and one column to change.
SAMPLES = {
    "entry": ({"day": date(2026, 3, 1), "pain_avg": 4}, ("pain_avg", 5)),
    "entry_side_effect": ({"symptom": "nausea", "severity": 2}, ("severity", 3)),
    "infusion_series": ({"name": "Spring", "condition": "crps", "route": "iv"}, ("name", "Autumn")),
    "infusion": ({"day": date(2026, 3, 2), "start_time": time(9, 0)}, ("pain_before", 7)),
    "infusion_side_effect": ({"phase": "during", "symptom": "nausea", "severity": 1}, ("severity", 2)),
    "medication": ({"name": "Tramadol", "drug": "tramadol", "form": "tablet", "unit": "mg"},
                   ("drug", "morphine")),
    "medication_day": ({"day": date(2026, 3, 3)}, ("day", date(2026, 3, 4))),
    "medication_dose": ({"amount": Decimal("50")}, ("amount", Decimal("75"))),
    "therapy_event": ({"day": date(2026, 3, 5), "kind": "physio"}, ("note", "stretching")),
    "questionnaire_answer": ({"kind": "phq9", "day": date(2026, 3, 6), "item_1": 2}, ("item_9", 1)),
}
TABLES = [table.name for table in patient_tables()]
MODELS = {mapper.local_table.name: mapper.class_ for mapper in SQLModel._sa_registry.mappers}


def test_every_patient_owned_table_has_a_sample_here():
    assert sorted(SAMPLES) == sorted(TABLES)


def row_values(table, ids: dict[str, int]) -> dict:
    """The sample row of ``table``, its foreign keys pointing at the patient's own rows in ``ids``."""
    values, _ = SAMPLES[table.name]
    values = dict(values)
    for column in table.columns:
        references = [fk.column.table.name for fk in column.foreign_keys]
        if references:
            values[column.name] = ids[references[0]]
        elif column.name in ("created_at", "updated_at"):
            values[column.name] = datetime(2026, 3, 1, tzinfo=timezone.utc)
    return values


def build_everything(session, patient_id: int) -> dict[str, int]:
    ids = {"patient": patient_id}
    for table in patient_tables():
        row = MODELS[table.name](**row_values(table, ids))
        session.add(row)
        session.flush()
        ids[table.name] = row.id
    session.commit()
    return ids


def versions(session, *patients) -> list[int]:
    return [session.scalar(select(User.data_version).where(User.id == patient)) for patient in patients]


@pytest.mark.parametrize("name", TABLES)
@pytest.mark.parametrize("way", ["orm", "core"])
def test_an_insert_update_and_delete_bump_the_owner_and_nobody_else(app, name, way):
    alice = make_patient(app, "alice@example.com", "Alice").id
    charlie = make_patient(app, "charlie@example.com", "Charlie").id
    table = SQLModel.metadata.tables[name]
    column, new_value = SAMPLES[name][1]
    with Session(app.extensions["diary_engine"]) as session:
        ids = build_everything(session, alice)
        build_everything(session, charlie)

        def changes_only_alice(write):
            before = versions(session, alice, charlie)
            write()
            session.commit()
            after = versions(session, alice, charlie)
            assert after[0] > before[0] and after[1] == before[1], (name, way, before, after)

        row_id = ids[name]
        if way == "orm":
            model = MODELS[name]
            changes_only_alice(lambda: setattr(session.get(model, row_id), column, new_value))
            changes_only_alice(lambda: session.delete(session.get(model, row_id)))
            changes_only_alice(lambda: session.add(model(**row_values(table, ids))))
        else:
            changes_only_alice(lambda: session.execute(
                update(table).where(table.c.id == row_id).values({column: new_value})))
            changes_only_alice(lambda: session.execute(delete(table).where(table.c.id == row_id)))
            changes_only_alice(lambda: session.execute(insert(table).values(**row_values(table, ids))))


def test_a_write_that_changes_nothing_leaves_the_version(app):
    alice = make_patient(app, "alice@example.com", "Alice").id
    with Session(app.extensions["diary_engine"]) as session:
        ids = build_everything(session, alice)
        before = versions(session, alice)
        session.get(MODELS["entry"], ids["entry"])
        session.commit()
        assert versions(session, alice) == before


def test_a_rolled_back_write_leaves_the_version(app):
    alice = make_patient(app, "alice@example.com", "Alice").id
    with Session(app.extensions["diary_engine"]) as session:
        ids = build_everything(session, alice)
        before = versions(session, alice)
        session.get(MODELS["entry"], ids["entry"]).pain_avg = 9
        session.flush()
        session.rollback()
        assert versions(session, alice) == before


def test_an_orm_update_statement_and_an_edit_of_an_expired_row_bump_the_owner(app):
    alice = make_patient(app, "alice@example.com", "Alice").id
    entry_model = MODELS["entry"]
    with Session(app.extensions["diary_engine"]) as session:  # expires every row at each commit
        ids = build_everything(session, alice)
        entry = session.get(entry_model, ids["entry"])
        session.commit()
        before = versions(session, alice)
        entry.mood = 3  # patient_id was expired by the commit, not loaded again
        session.commit()
        after_edit = versions(session, alice)
        session.execute(update(entry_model).where(entry_model.id == ids["entry"]).values(pain_avg=1))
        session.commit()
        assert before[0] < after_edit[0] < versions(session, alice)[0]


def test_prebuilt_statements_with_bound_values_bump_the_owner_of_each_execution(app):
    # The hook builds its owner query once per statement; the values bound at each execution,
    # not those of the first one, decide whom it bumps.
    alice = make_patient(app, "alice@example.com", "Alice").id
    charlie = make_patient(app, "charlie@example.com", "Charlie").id
    entry = SQLModel.metadata.tables["entry"]
    change_pain = (update(entry).where(entry.c.id == bindparam("entry_id"))
                   .values(pain_avg=bindparam("pain")))
    with Session(app.extensions["diary_engine"]) as session:
        ids = {patient: build_everything(session, patient)["entry"] for patient in (alice, charlie)}
        for patient, other in ((alice, charlie), (charlie, alice)):
            before = versions(session, patient, other)
            session.execute(change_pain, {"entry_id": ids[patient], "pain": 7})
            session.commit()
            after = versions(session, patient, other)
            assert after[0] > before[0] and after[1] == before[1]


def test_two_deletes_on_one_table_each_bump_their_own_patient(app):
    alice = make_patient(app, "alice@example.com", "Alice").id
    charlie = make_patient(app, "charlie@example.com", "Charlie").id
    effects = SQLModel.metadata.tables["entry_side_effect"]
    with Session(app.extensions["diary_engine"]) as session:
        ids = {patient: build_everything(session, patient)["entry_side_effect"]
               for patient in (alice, charlie)}
        for patient, other in ((alice, charlie), (charlie, alice)):
            before = versions(session, patient, other)
            session.execute(delete(effects).where(effects.c.id == ids[patient]))
            session.commit()
            after = versions(session, patient, other)
            assert after[0] > before[0] and after[1] == before[1]


def test_one_transaction_bumps_a_patient_once_however_many_rows_it_writes(app):
    alice = make_patient(app, "alice@example.com", "Alice").id
    with Session(app.extensions["diary_engine"]) as session:
        ids = build_everything(session, alice)
        before = versions(session, alice)[0]
        session.get(MODELS["entry"], ids["entry"]).mood = 2
        session.flush()
        session.execute(delete(SQLModel.metadata.tables["entry_side_effect"]))
        session.get(MODELS["medication"], ids["medication"]).drug = "morphine"
        session.commit()
        assert versions(session, alice)[0] == before + 1
        session.get(MODELS["entry"], ids["entry"]).mood = 3
        session.commit()
        assert versions(session, alice)[0] == before + 2  # the next transaction bumps again


def test_a_savepoint_rolled_back_takes_its_bump_along_and_the_next_write_bumps_again(app):
    alice = make_patient(app, "alice@example.com", "Alice").id
    with Session(app.extensions["diary_engine"]) as session:
        ids = build_everything(session, alice)
        before = versions(session, alice)[0]
        savepoint = session.begin_nested()
        session.get(MODELS["entry"], ids["entry"]).mood = 2
        session.flush()
        savepoint.rollback()
        session.get(MODELS["medication"], ids["medication"]).drug = "morphine"
        session.commit()
        assert versions(session, alice)[0] == before + 1
