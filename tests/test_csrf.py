"""Every state-changing request needs the session's CSRF token, as a form field or an htmx header."""

import pytest
from sqlmodel import select

from diary.models import Entry
from tests.conftest import PASSWORD, make_patient
from tests.html import parse


@pytest.fixture
def app(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    yield app
    app.extensions["diary_engine"].dispose()


def token_from(client, path: str) -> str:
    return parse(client.get(path)).find("input", {"name": "csrf_token"})["value"]


def logged_in(app, client):
    make_patient(app, "alice@example.com", "Alice")
    token = token_from(client, "/login")
    client.post("/login", data={"email": "alice@example.com", "password": PASSWORD, "csrf_token": token})


def test_login_without_a_token_is_refused(client, app):
    make_patient(app, "alice@example.com", "Alice")
    response = client.post("/login", data={"email": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 400
    assert "This form has expired" in parse(response).find("h1").get_text()
    assert client.get("/today").status_code == 302


def test_an_entry_without_a_token_is_refused_and_not_stored(client, app, db):
    logged_in(app, client)
    response = client.post("/entries", data={"day": "2026-01-01", "pain_avg": "4"})
    assert response.status_code == 400
    response = client.post("/entries", data={"day": "2026-01-01", "pain_avg": "4", "csrf_token": "forged"})
    assert response.status_code == 400
    assert db.exec(select(Entry)).all() == []


def test_the_form_token_saves_an_entry(client, app, db):
    logged_in(app, client)
    token = token_from(client, "/today")
    response = client.post("/entries", data={"day": "2026-01-01", "pain_avg": "4", "csrf_token": token})
    assert response.status_code == 302
    assert [entry.pain_avg for entry in db.exec(select(Entry))] == [4]


def test_htmx_requests_send_the_token_in_a_header(client, app, db):
    logged_in(app, client)
    page = parse(client.get("/today"))
    header_token = __import__("json").loads(page.body["hx-headers"])["X-CSRFToken"]
    response = client.post("/entries", data={"day": "2026-01-01", "pain_avg": "6"},
                           headers={"X-CSRFToken": header_token, "HX-Request": "true"})
    assert response.status_code == 302
    assert [entry.pain_avg for entry in db.exec(select(Entry))] == [6]
