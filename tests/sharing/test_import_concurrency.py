"""A large import does not stop another patient from saving (issue 22, item 4).

On a real SQLite file, Dana imports 20,000 rows in one thread while Alice saves diary days in
another, starting the moment the import begins to write. The import writes only after it has
checked everything, many rows per INSERT, so Alice's saves wait (SQLite's busy timeout) for a
short write and succeed; before, the import held the write lock for as long as it took to read,
check and insert row by row, and her saves failed with "database is locked".
"""

import threading
from datetime import date, timedelta

from sqlalchemy import event
from sqlmodel import select

from diary.models import Entry, Patient
from tests.benchmark.import_bench import diary_zip
from tests.conftest import sqlite_only
from tests.sharing.archives import upload

IMPORTED_ROWS = 20_000
ALICE_SAVES = 5


@sqlite_only
def test_another_patient_saves_while_a_large_import_is_written(app, as_alice, dana, db):
    data = diary_zip(IMPORTED_ROWS)
    writing = threading.Event()

    @event.listens_for(app.extensions["diary_engine"], "before_cursor_execute")
    def import_starts_writing(connection, cursor, statement, *args):
        if threading.current_thread() is importer and statement.startswith("INSERT INTO entry "):
            writing.set()

    statuses = {}
    importer = threading.Thread(target=lambda: statuses.setdefault("import", upload(dana, data).status_code))
    importer.start()
    assert writing.wait(timeout=600), "the import never wrote"
    saved = [as_alice.post("/entries", data={"day": (date.today() - timedelta(days=n)).isoformat(),
                                             "pain_avg": "4"}).status_code for n in range(ALICE_SAVES)]
    importer.join()
    assert saved == [302] * ALICE_SAVES
    assert statuses["import"] == 302
    alice_id = db.exec(select(Patient.id).where(Patient.email == "alice@example.com")).one()
    assert len(db.exec(select(Entry).where(Entry.patient_id == alice_id)).all()) == ALICE_SAVES
    assert len(db.exec(select(Entry).where(Entry.patient_id != alice_id)).all()) == (IMPORTED_ROWS - 2) // 5
