"""Deleting an account: the password again, a confirmation page, and then nothing left, anywhere.

"Nothing left" is checked over every table the models declare: the database after Alice deletes
her account must be exactly the database from before she existed. A table added later that no
factory in tests/routes.py fills makes the test fail, so it cannot escape the check.
"""

from pathlib import Path

import pytest
from sqlmodel import SQLModel

from tests.conftest import PASSWORD, make_patient, sqlite_only
from tests.html import field_error, parse, title
from tests.routes import PARAMETER_FACTORIES, Diary, dump, turn_on_second_factor

# Tables that hold no patient's rows, each with the reason.
NOT_PATIENT_DATA: dict[str, str] = {
    "site_setting": "choices an admin makes for the whole server (registration open or not)",
    "invite": "invite codes belong to the clinic that hands them out, not to a patient",
    "rate_limit_count": "failed attempts per address or account, as hashes, gone with their window",
    "clinician": "a clinician's account: the clinic's, not the patient's",
    "clinician_second_factor": "a clinician's authenticator",
    "clinician_recovery_code": "a clinician's recovery codes",
    "connection_code": "a clinician's codes not used yet (a used one is deleted)",
}


def logged_in(app, email: str):
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def fill_diary(app, db, email: str, name: str):
    """A patient with one of everything the app can store, made through the app itself."""
    patient = make_patient(app, email, name)
    diary = Diary(logged_in(app, email), db, patient)
    for factory in PARAMETER_FACTORIES.values():
        factory(diary)
    return diary


def engine_of(app):
    return app.extensions["diary_engine"]


def test_the_confirmation_page_says_what_goes_and_asks_for_the_password(as_alice):
    response = as_alice.get("/account/delete")
    assert response.status_code == 200
    assert title(response) == "Delete your account?"
    page = parse(response)
    form = page.find("form", action="/account/delete")
    assert form["method"] == "post"
    assert form.find("input", {"name": "password", "type": "password"})
    assert "cannot be undone" in page.find("main").get_text()
    assert parse(as_alice.get("/account")).find("a", href="/account/delete")


def test_a_wrong_password_deletes_nothing(app, db):
    diary = fill_diary(app, db, "alice@example.com", "Alice")
    before = dump(engine_of(app))
    response = diary.client.post("/account/delete", data={"password": "not my password"})
    assert response.status_code == 422
    assert field_error(response, "password") == "Your password is not right"
    assert dump(engine_of(app)) == before
    assert diary.client.get("/today").status_code == 200


def test_after_deletion_nothing_of_the_patient_remains_in_any_table(app, db):
    turn_on_second_factor(fill_diary(app, db, "charlie@example.com", "Charlie").client)
    before_alice = dump(engine_of(app))
    alice = fill_diary(app, db, "alice@example.com", "Alice")
    turn_on_second_factor(alice.client)  # the authenticator and the recovery codes go too
    with_alice = dump(engine_of(app))
    for table in SQLModel.metadata.sorted_tables:
        if table.name not in NOT_PATIENT_DATA:
            assert len(with_alice[table.name]) > len(before_alice[table.name]), (
                f"no factory in tests/routes.py stores a row in {table.name!r}: add one, so this "
                "test can show that deleting an account empties that table of the patient's rows")

    response = alice.client.post("/account/delete", data={"password": PASSWORD})
    assert response.status_code == 302 and response.location == "/login"

    assert dump(engine_of(app)) == before_alice
    assert "alice@example.com" not in repr(dump(engine_of(app)))
    assert alice.client.get("/today").status_code == 302
    assert app.test_client().post("/login", data={"email": "alice@example.com",
                                                  "password": PASSWORD}).status_code == 401


def test_other_devices_are_logged_out_by_the_deletion(app, db):
    alice = fill_diary(app, db, "alice@example.com", "Alice")
    other_device = app.test_client()
    other_device.post("/login", data={"email": "alice@example.com", "password": PASSWORD,
                                      "remember": "yes"})
    remembered = other_device.get_cookie("remember_token").value
    alice.client.post("/account/delete", data={"password": PASSWORD})
    assert other_device.get("/today").status_code == 302
    stale = app.test_client()
    stale.set_cookie("remember_token", remembered)
    assert stale.get("/today").status_code == 302


@pytest.mark.parametrize("method", ["get", "post"])
def test_deleting_needs_a_login(client, method):
    response = getattr(client, method)("/account/delete", data={"password": PASSWORD})
    assert response.status_code == 302 and response.location.startswith("/login")


@sqlite_only
def test_after_deletion_neither_the_database_file_nor_its_wal_holds_the_diary(app, db, database_url):
    """SQLite keeps old page images in the write-ahead log and deleted cells in free space; the
    app turns secure_delete on itself and empties the log after a deletion."""
    marker = "marker-5e1d-told-nobody"
    diary = fill_diary(app, db, f"{marker}@example.com", f"Name {marker}")
    assert diary.client.post("/entries", data={"day": "2021-06-15", "pain_avg": "4",
                                               "notes": f"Notes {marker}"}).status_code == 302
    with engine_of(app).connect() as connection:
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1

    assert diary.client.post("/account/delete", data={"password": PASSWORD}).status_code == 302

    # Read while the app's connections are open: the last one to close would empty the log itself.
    database = Path(database_url.removeprefix("sqlite:///"))
    for path in (database, database.with_name(database.name + "-wal")):
        assert marker.encode() not in (path.read_bytes() if path.exists() else b""), path.name
