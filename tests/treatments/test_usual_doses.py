""""Took my usual doses" on "Log today": one tap records each active medication's usual dose."""

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import Session, select

from diary.models import Medication, MedicationDay, MedicationDose
from tests.html import parse
from tests.routes import data_versions
from tests.treatments.conftest import add_medication

TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def fixed_now(clock):
    clock.set("2026-03-10T12:00", "Europe/London")


@pytest.fixture
def listed(as_alice):
    add_medication(as_alice, "OxyContin", "oxycodone", usual_dose="10")
    add_medication(as_alice, "Pregabalin", "non_opioid", usual_dose="150")
    add_medication(as_alice, "Oramorph", "morphine")  # taken when needed: no usual dose
    return as_alice


def recorded(app) -> dict[str, dict[str, Decimal]]:
    """Every medication day as {day: {medicine: amount}}, read afresh from the database."""
    with Session(app.extensions["diary_engine"]) as session:
        days = {row.id: row.day.isoformat() for row in session.exec(select(MedicationDay))}
        result = {day: {} for day in days.values()}
        for dose, medication in session.exec(select(MedicationDose, Medication).join(Medication)):
            result[days[dose.medication_day_id]][medication.name] = dose.amount
        return result


def tap(client):
    return client.post("/treatments/medications/usual-today")


def test_one_tap_records_each_active_medications_usual_dose_for_today(app, listed, alice):
    before = data_versions(app.extensions["diary_engine"])[alice.id]
    response = tap(listed)
    assert response.status_code == 302 and response.location == "/today#medications-today"
    assert recorded(app) == {"2026-03-10": {"OxyContin": Decimal("10"), "Pregabalin": Decimal("150")}}
    assert data_versions(app.extensions["diary_engine"])[alice.id] == before + 1


def test_tapping_twice_does_not_double_and_bumps_nothing_the_second_time(app, listed, alice):
    tap(listed)
    once, version = recorded(app), data_versions(app.extensions["diary_engine"])[alice.id]
    response = tap(listed)
    assert response.status_code == 302
    assert recorded(app) == once
    assert data_versions(app.extensions["diary_engine"])[alice.id] == version
    page = parse(listed.get("/today"))
    assert "already recorded" in page.select(".flash-success")[-1].get_text()


def test_log_today_shows_what_was_recorded_and_a_way_to_change_it(listed):
    page = parse(listed.get("/today"))
    section = page.find(id="medications-today")
    assert section.find("button").get_text(strip=True) == "Took my usual doses"
    assert section.select_one(".hint").get_text(strip=True) == "OxyContin 10 mg, Pregabalin 150 mg"
    tap(listed)
    section = parse(listed.get("/today")).find(id="medications-today")
    assert section.find("button") is None  # nothing left for the tap to do
    assert (section.select_one(".medications-recorded").get_text(" ", strip=True)
            == "Recorded: OxyContin 10 mg, Pregabalin 150 mg.")
    change = section.find("a", string="Change what I took today")
    assert change["href"] == "/treatments/medications/day?day=2026-03-10"
    assert "Oramorph has no usual dose" in section.get_text(" ", strip=True)


def test_changing_a_dose_to_0_shows_not_taken_and_offers_the_usual_doses_again(app, listed, db):
    tap(listed)
    ids = {m.name: m.id for m in db.exec(select(Medication))}
    response = listed.post("/treatments/medications/day", data={
        "day": "2026-03-10", f"amount_{ids['OxyContin']}": "0", f"amount_{ids['Pregabalin']}": "150"})
    assert response.status_code == 302
    assert recorded(app)["2026-03-10"]["OxyContin"] == 0
    section = parse(listed.get("/today")).find(id="medications-today")
    assert "OxyContin 0 mg (not taken)" in section.select_one(".medications-recorded").get_text(" ", strip=True)
    assert section.find("button").get_text(strip=True) == "Took my usual doses"


def test_amounts_already_logged_today_are_kept_and_stopped_medicines_left_out(app, listed, db):
    ids = {m.name: m.id for m in db.exec(select(Medication))}
    listed.post("/treatments/medications/day", data={"day": "2026-03-10", f"amount_{ids['Oramorph']}": "5"})
    assert listed.post(f"/treatments/medications/{ids['Pregabalin']}/stop").status_code == 302
    tap(listed)
    assert recorded(app) == {"2026-03-10": {"OxyContin": Decimal("10"), "Oramorph": Decimal("5")}}


def test_with_no_usual_dose_anywhere_nothing_is_recorded_and_the_page_says_why(app, as_alice, alice):
    add_medication(as_alice, "Oramorph", "morphine")
    version = data_versions(app.extensions["diary_engine"])[alice.id]
    response = tap(as_alice)
    assert response.location == "/treatments/medications/"
    assert recorded(app) == {}
    assert data_versions(app.extensions["diary_engine"])[alice.id] == version
    assert "None of your medications has a usual dose" in parse(as_alice.get(response.location)).get_text()


def test_another_patients_usual_doses_are_never_recorded_for_me(app, listed, client, auth, charlie):
    auth.logout()
    auth.login(charlie.email)
    tap(client)
    assert recorded(app) == {}
