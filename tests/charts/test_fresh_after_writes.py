"""The charts reuse an unchanged history, and show every write at once: never a stale chart.

Each test reads the timeline first (so the history is cached), writes through the app's own
forms, and reads it again.
"""

import json
from datetime import date

import pytest
from sqlalchemy import event
from sqlmodel import select

from diary.models import Entry, Medication
from tests.conftest import Auth
from tests.html import parse
from tests.treatments.conftest import add_infusion, add_medication, add_series

TIMELINE = "/trends/figures/timeline.json?range=all"


@pytest.fixture(autouse=True)
def fixed_now(clock):
    clock.set("2026-03-10T12:00", "Europe/London")


def trace(client, name: str) -> dict:
    figure = json.loads(client.get(TIMELINE).get_data(as_text=True))
    return {point_x: point_y for item in figure["data"] if item["name"] == name
            for point_x, point_y in zip(item["x"], item.get("y", [])) if point_y is not None}


def pain(client) -> dict:
    return trace(client, "Pain each day")


def log(client, day: str, pain_avg: int):
    response = client.post("/entries", data={"day": day, "pain_avg": str(pain_avg)})
    assert response.status_code == 302, response.get_data(as_text=True)


def test_a_logged_edited_and_deleted_entry_shows_at_once(as_alice, db):
    log(as_alice, "2026-03-08", 6)
    assert pain(as_alice) == {"2026-03-08": 6}
    log(as_alice, "2026-03-09", 3)
    assert pain(as_alice) == {"2026-03-08": 6, "2026-03-09": 3}
    entry = db.exec(select(Entry).where(Entry.day == date(2026, 3, 9))).one()
    response = as_alice.post(f"/entries/{entry.id}", data={"day": "2026-03-09", "pain_avg": "8"})
    assert response.status_code == 302
    assert pain(as_alice) == {"2026-03-08": 6, "2026-03-09": 8}
    assert as_alice.post(f"/entries/{entry.id}/delete").status_code == 302
    assert db.exec(select(Entry).where(Entry.id == entry.id)).first() is None
    assert pain(as_alice) == {"2026-03-08": 6}


def test_a_medication_day_and_an_edited_medication_show_at_once(as_alice, db):
    add_medication(as_alice, "Pain pills", "oxycodone")
    assert trace(as_alice, "Opioids (MME/day)") == {}
    medication = db.exec(select(Medication)).one()
    response = as_alice.post("/treatments/medications/day",
                             data={"day": "2026-03-09", f"amount_{medication.id}": "20"})
    assert response.status_code == 302
    assert trace(as_alice, "Opioids (MME/day)") == {"2026-03-09": 30}  # oxycodone: factor 1.5
    response = as_alice.post(f"/treatments/medications/{medication.id}/edit", data={
        "name": "Pain pills", "drug": "morphine", "unit": "mg", "form": "tablet", "usual_dose": ""})
    assert response.status_code == 302
    db.refresh(medication)
    assert medication.drug == "morphine"
    assert trace(as_alice, "Opioids (MME/day)") == {"2026-03-09": 20}  # morphine: factor 1


def test_an_added_infusion_shows_at_once(as_alice):
    series_id = add_series(as_alice)
    assert trace(as_alice, "Infusion") == {}
    add_infusion(as_alice, series_id, "2026-03-05")
    assert list(trace(as_alice, "Infusion")) == ["2026-03-05"]


def test_an_unchanged_history_is_read_with_no_query_but_the_login(app, as_alice):
    log(as_alice, "2026-03-09", 7)
    as_alice.get(TIMELINE)
    statements = []
    event.listen(app.extensions["diary_engine"], "before_cursor_execute",
                 lambda *args, **kwargs: statements.append(args[2]))
    as_alice.get(TIMELINE)
    assert [statement for statement in statements if "FROM entry" in statement] == []
    assert len(statements) == 1, statements  # the logged-in patient, with their data version
    assert "patient.data_version" in statements[0]


def series_cards(client) -> list[str]:
    page = parse(client.get("/trends/"))
    return [card.h2.get_text(" ", strip=True) for card in page.select("section.series-result")]


def test_the_before_after_page_shows_a_new_series_at_once_and_only_to_its_patient(app, as_alice, charlie):
    as_charlie = app.test_client()
    Auth(as_charlie).login(charlie.email)
    assert series_cards(as_alice) == series_cards(as_charlie) == []
    add_infusion(as_alice, add_series(as_alice, name="First series"), "2026-03-05")
    assert series_cards(as_alice) == ["First series"]
    add_infusion(as_alice, add_series(as_alice, name="Second series"), "2026-03-08")
    assert series_cards(as_alice) == ["First series", "Second series"]
    assert series_cards(as_charlie) == []
