"""Treatment forms carry the session's CSRF token; a one-tap button without it changes nothing."""

import pytest
from sqlmodel import select

from diary.models import InfusionSeries, MedicationDay
from tests.conftest import PASSWORD, make_patient
from tests.html import parse


@pytest.fixture
def app(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    yield app
    app.extensions["diary_engine"].dispose()


@pytest.fixture
def logged_in(app, client):
    make_patient(app, "alice@example.com", "Alice")
    token = parse(client.get("/login")).find("input", {"name": "csrf_token"})["value"]
    client.post("/login", data={"email": "alice@example.com", "password": PASSWORD, "csrf_token": token})
    # Logging in starts a new session, with a token of its own: the one a page now shows.
    return parse(client.get("/treatments/medications/")).find("input", {"name": "csrf_token"})["value"]


def test_one_tap_buttons_without_the_token_are_refused(client, logged_in, db):
    assert client.post("/treatments/medications/none-today").status_code == 400
    assert client.post("/treatments/series", data={"name": "S", "condition": "crps", "route": "iv"}).status_code == 400
    assert db.exec(select(MedicationDay)).all() == [] and db.exec(select(InfusionSeries)).all() == []


@pytest.mark.parametrize("path", ["/treatments/series/new", "/treatments/medications/",
                                  "/treatments/medications/new", "/treatments/medications/day",
                                  "/treatments/therapies/"])
def test_every_post_form_carries_the_token(client, logged_in, path):
    forms = parse(client.get(path)).select("main form[method=post]")
    assert forms and all(form.find("input", {"name": "csrf_token"}) for form in forms)


def test_with_the_token_the_one_tap_button_works(client, logged_in, db):
    response = client.post("/treatments/medications/none-today", data={"csrf_token": logged_in})
    assert response.status_code == 302
    assert len(db.exec(select(MedicationDay)).all()) == 1
