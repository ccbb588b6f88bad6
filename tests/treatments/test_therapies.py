"""Other therapies: dated events with a note, shown on the timeline, never computed."""

from datetime import date

import pytest
from sqlmodel import select

from diary.loaded_history import load_history
from diary.models import TherapyEvent
from diary.trends.history import TherapyRecord
from tests.html import field_error, parse, title


@pytest.fixture(autouse=True)
def fixed_now(clock):
    clock.set("2026-03-10T12:00", "Europe/London")


def test_a_therapy_is_added_shown_and_loaded_into_the_history(as_alice, db, app, alice):
    response = as_alice.post("/treatments/therapies/", data={
        "day": "2026-03-09", "kind": "physical_therapy", "note": "Knee exercises"})
    assert response.status_code == 302
    as_alice.post("/treatments/therapies/", data={"day": "2026-03-10", "kind": "other",
                                                  "kind_other": "Hydrotherapy"})
    therapy = db.exec(select(TherapyEvent).where(TherapyEvent.kind == "physical_therapy")).one()
    assert (therapy.patient_id, therapy.day, therapy.note) == (alice.id, date(2026, 3, 9), "Knee exercises")
    rows = parse(as_alice.get("/treatments/therapies/")).select(".entry-row")
    assert [row.select_one(".row-title").get_text(strip=True) for row in rows] == [
        "Hydrotherapy", "Physical therapy"]
    with app.test_request_context():
        history = load_history(alice)
    hydrotherapy = db.exec(select(TherapyEvent).where(TherapyEvent.kind == "other")).one()
    assert history.therapies == (
        TherapyRecord(day=date(2026, 3, 9), kind="physical_therapy", note="Knee exercises", id=therapy.id),
        TherapyRecord(day=date(2026, 3, 10), kind="other", kind_other="Hydrotherapy", note="",
                      id=hydrotherapy.id))


def test_a_therapy_can_be_changed_and_deleted_after_confirming(as_alice, db):
    as_alice.post("/treatments/therapies/", data={"day": "2026-03-09", "kind": "cbt"})
    therapy_id = db.exec(select(TherapyEvent)).one().id
    response = as_alice.post(f"/treatments/therapies/{therapy_id}/edit",
                             data={"day": "2026-03-08", "kind": "acupuncture", "note": "Better"})
    assert response.status_code == 302
    db.expire_all()
    assert (db.get(TherapyEvent, therapy_id).day, db.get(TherapyEvent, therapy_id).kind) == (
        date(2026, 3, 8), "acupuncture")
    confirm = as_alice.get(f"/treatments/therapies/{therapy_id}/delete")
    assert title(confirm) == "Delete Acupuncture on Sunday 8 March 2026?"
    assert db.get(TherapyEvent, therapy_id) is not None
    as_alice.post(f"/treatments/therapies/{therapy_id}/delete")
    assert db.exec(select(TherapyEvent)).all() == []


@pytest.mark.parametrize("form, field, message", [
    ({"day": "2026-03-11"}, "day", "Date cannot be in the future (today is 2026-03-10)"),
    ({"kind": ""}, "kind", "Choose the therapy"),
    ({"kind": "surgery"}, "kind", "Choose the therapy from the list"),
    ({"kind": "other"}, "kind_other", "Describe the other therapy"),
])
def test_a_bad_therapy_is_refused_and_nothing_is_stored(as_alice, db, form, field, message):
    response = as_alice.post("/treatments/therapies/", data={"day": "2026-03-10", "kind": "cbt", **form})
    assert response.status_code == 422
    assert field_error(response, field) == message
    assert db.exec(select(TherapyEvent)).all() == []
