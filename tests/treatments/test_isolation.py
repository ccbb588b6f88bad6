"""Another patient's series, infusions, medicines and therapies answer 404, and stay unchanged."""

import pytest
from sqlmodel import select

from diary.models import (
    Infusion, InfusionSeries, InfusionSideEffect, Medication, MedicationDay, MedicationDose,
    TherapyEvent,
)
from tests.conftest import PASSWORD
from tests.html import parse
from tests.treatments.conftest import add_infusion, add_medication, add_series


@pytest.fixture
def alices(app, alice, db, clock):
    """Alice's treatments, made through the app; returns the ids of each kind."""
    clock.set("2026-04-01T12:00", "Europe/London")
    client = app.test_client()
    client.post("/login", data={"email": alice.email, "password": PASSWORD})
    series_id = add_series(client, name="Alice private series")
    infusion_id = add_infusion(client, series_id, "2026-03-01", dose_mg="50", pain_before="7",
                               se_during_nausea="mild", notes="private")
    add_medication(client, "Alice private pills", "oxycodone")
    medication_id = db.exec(select(Medication)).one().id
    client.post("/treatments/medications/day", data={"day": "2026-03-01", f"amount_{medication_id}": "10"})
    client.post("/treatments/therapies/", data={"day": "2026-03-01", "kind": "cbt", "note": "private"})
    return {"series": series_id, "infusion": infusion_id, "medication": medication_id,
            "therapy": db.exec(select(TherapyEvent)).one().id}


def snapshot(db):
    db.expire_all()
    return [sorted(map(repr, db.exec(select(model)).all())) for model in (
        InfusionSeries, Infusion, InfusionSideEffect, Medication, MedicationDay, MedicationDose,
        TherapyEvent)]


ROUTES = [
    ("get", "/treatments/series/{series}"),
    ("get", "/treatments/series/{series}/edit"),
    ("post", "/treatments/series/{series}/edit"),
    ("get", "/treatments/series/{series}/delete"),
    ("post", "/treatments/series/{series}/delete"),
    ("post", "/treatments/series/{series}/pgic"),
    ("get", "/treatments/series/{series}/infusions/new"),
    ("post", "/treatments/series/{series}/infusions"),
    ("get", "/treatments/infusions/{infusion}/edit"),
    ("post", "/treatments/infusions/{infusion}/edit"),
    ("get", "/treatments/infusions/{infusion}/later"),
    ("post", "/treatments/infusions/{infusion}/later"),
    ("get", "/treatments/infusions/{infusion}/delete"),
    ("post", "/treatments/infusions/{infusion}/delete"),
    ("get", "/treatments/medications/{medication}/edit"),
    ("post", "/treatments/medications/{medication}/edit"),
    ("get", "/treatments/medications/{medication}/stop"),
    ("post", "/treatments/medications/{medication}/stop"),
    ("get", "/treatments/therapies/{therapy}/edit"),
    ("post", "/treatments/therapies/{therapy}/edit"),
    ("get", "/treatments/therapies/{therapy}/delete"),
    ("post", "/treatments/therapies/{therapy}/delete"),
]

# A valid form for every route, so only ownership can refuse it.
FORM = {"name": "Mine now", "condition": "crps", "route": "iv", "pgic": "no_change",
        "day": "2026-03-01", "start_time": "09:00", "pain_2h": "0", "pain_24h": "0",
        "drug": "morphine", "form": "tablet", "unit": "mg", "kind": "exercise"}


@pytest.mark.parametrize("method, path", ROUTES)
def test_another_patients_treatments_are_not_found(client, auth, charlie, alices, db, method, path):
    before = snapshot(db)
    auth.login(charlie.email)
    response = getattr(client, method)(path.format(**alices), data=FORM)
    assert response.status_code == 404
    assert "private" not in response.get_data(as_text=True)
    assert snapshot(db) == before


def test_every_id_route_is_in_the_isolation_list(app):
    routes = {rule.rule for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/treatments") and "<int:" in rule.rule}
    listed = {path.replace("{series}", "<int:series_id>").replace("{infusion}", "<int:infusion_id>")
              .replace("{medication}", "<int:medication_id>").replace("{therapy}", "<int:therapy_id>")
              for _, path in ROUTES}
    assert routes == listed


def test_lists_show_only_your_own(client, auth, charlie, alices):
    auth.login(charlie.email)
    for path in ("/treatments/", "/treatments/medications/", "/treatments/medications/day",
                 "/treatments/therapies/", "/today"):
        assert "private" not in client.get(path).get_data(as_text=True), path


def test_another_patients_medicine_cannot_be_logged_as_yours(client, auth, charlie, alices, db):
    auth.login(charlie.email)
    client.post("/treatments/medications/day",
                data={"day": "2026-03-01", f"amount_{alices['medication']}": "999"})
    assert [dose.amount for dose in db.exec(select(MedicationDose))] == [10]
    page = parse(client.get("/treatments/medications/?month=2026-03"))
    assert page.find(id="day-2026-03-01").select(".dose-list li") == []


def test_the_next_infusion_never_proposes_another_patients_series(client, auth, charlie, alices):
    auth.login(charlie.email)
    assert client.get("/treatments/infusions/new").location == "/treatments/series/new"


@pytest.mark.parametrize("path", ["/treatments/", "/treatments/medications/", "/treatments/therapies/",
                                  "/treatments/infusions/new", "/treatments/series/new"])
def test_treatment_pages_need_a_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response.location.startswith("/login")
