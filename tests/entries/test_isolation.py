"""One patient never sees or changes another's diary: their ids answer 404."""

import pytest
from sqlmodel import select

from diary.models import Entry, Patient
from tests.conftest import PASSWORD


@pytest.fixture
def alices_entry(app, alice, db):
    client = app.test_client()
    client.post("/login", data={"email": alice.email, "password": PASSWORD})
    client.post("/entries", data={"day": "2026-01-05", "pain_avg": "7", "notes": "private"})
    return db.exec(select(Entry)).one()


@pytest.mark.parametrize("method, path", [
    ("get", "/entries/{id}"),
    ("get", "/entries/{id}/edit"),
    ("post", "/entries/{id}"),
    ("get", "/entries/{id}/delete"),
    ("post", "/entries/{id}/delete"),
])
def test_another_patients_entry_is_not_found(client, auth, charlie, alices_entry, db, method, path):
    auth.login(charlie.email)
    versions = {user.id: user.data_version for user in db.exec(select(Patient))}
    url = path.format(id=alices_entry.id)
    response = getattr(client, method)(url, data={"day": "2026-01-05", "pain_avg": "0"})
    assert response.status_code == 404
    assert "private" not in response.get_data(as_text=True)
    db.expire_all()
    entry = db.get(Entry, alices_entry.id)
    assert (entry.pain_avg, entry.notes) == (7, "private")
    assert {user.id: user.data_version for user in db.exec(select(Patient))} == versions


def test_history_shows_only_your_own_days(client, auth, charlie, alices_entry):
    auth.login(charlie.email)
    assert "private" not in client.get("/entries").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/today", "/entries", "/entries/new", "/account"])
def test_pages_need_a_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response.location.startswith("/login")
