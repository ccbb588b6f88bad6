"""Every change to a connected patient's diary leaves their stored summary current, in the same
transaction (diary.summaries.store, called from diary.versions); a patient with no clinician has
none. Runs on a real SQLite file, or on PostgreSQL with DIARY_TEST_DATABASE_URL set
(tests/databases.py)."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import delete, update
from sqlmodel import select

from diary.days import today_in
from diary.models import (
    ClinicianConnection, Entry, InfusionSeries, Medication, Patient, PatientSummary, utcnow,
)
from diary.summaries.facts import RULES, from_json
from diary.summaries.store import refresh_all
from tests.clinic.personas import connect, enrolled, new_code
from tests.conftest import signed_in


def summary_of(db, patient) -> PatientSummary | None:
    db.expire_all()
    return db.get(PatientSummary, patient.id)


def version_of(db, patient) -> int:
    db.expire_all()
    return db.get(Patient, patient.id).data_version


@pytest.fixture
def doctor(app):
    return enrolled(app)


@pytest.fixture(autouse=True)
def alice_connected(app, doctor, as_alice, alice):
    """Alice (logged in as ``as_alice``) has connected to Dr Grey: she keeps a summary."""
    assert connect(as_alice, new_code(doctor.client)).status_code == 302


def connected(app, doctor, patient):
    client = signed_in(app, patient)
    assert connect(client, new_code(doctor.client)).status_code == 302
    return client


def log_day(client, day, pain: int):
    response = client.post("/entries", data={"day": day.isoformat(), "pain_avg": str(pain)})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def test_connecting_computes_the_summary(alice, db):
    summary = summary_of(db, alice)
    assert summary.data_version == version_of(db, alice) == 0 and summary.rules == RULES
    assert from_json(summary.facts).last_day is None


def test_logging_a_day_stores_the_summary_at_the_new_data_version(as_alice, alice, db):
    today = today_in(alice.time_zone)
    log_day(as_alice, today, 6)
    summary = summary_of(db, alice)
    assert summary.data_version == version_of(db, alice) == 1
    assert summary.rules == RULES
    facts = from_json(summary.facts)
    assert facts.last_day == today and facts.recent_pain == {today: 6}


def test_changing_and_deleting_an_entry_keep_the_summary_current(as_alice, alice, db):
    today = today_in(alice.time_zone)
    log_day(as_alice, today - timedelta(days=1), 6)
    entry_id = db.exec(select(Entry.id).where(Entry.patient_id == alice.id)).one()
    assert as_alice.post(f"/entries/{entry_id}", data={
        "day": (today - timedelta(days=1)).isoformat(), "pain_avg": "3"}).status_code == 302
    assert from_json(summary_of(db, alice).facts).recent_pain == {today - timedelta(days=1): 3}
    assert as_alice.post(f"/entries/{entry_id}/delete").status_code == 302
    summary = summary_of(db, alice)
    assert summary.data_version == version_of(db, alice) == 3
    assert from_json(summary.facts).last_day is None


def test_a_refused_write_leaves_the_summary_as_it_was(as_alice, alice, db):
    today = today_in(alice.time_zone)
    log_day(as_alice, today, 6)
    before = summary_of(db, alice).facts
    response = as_alice.post("/entries", data={"day": (today - timedelta(days=1)).isoformat(),
                                               "pain_avg": "11"})
    assert response.status_code == 422
    assert summary_of(db, alice).facts == before and version_of(db, alice) == 1


def test_a_severe_side_effect_at_an_infusion_reaches_the_summary(as_alice, alice, db):
    today = today_in(alice.time_zone)
    as_alice.post("/treatments/series", data={"name": "Autumn", "condition": "crps", "route": "iv"})
    series_id = db.exec(select(InfusionSeries.id).where(InfusionSeries.patient_id == alice.id)).one()
    response = as_alice.post(f"/treatments/series/{series_id}/infusions", data={
        "day": today.isoformat(), "start_time": "09:00", "se_during_dissociation": "severe"})
    assert response.status_code == 302
    facts = from_json(summary_of(db, alice).facts)
    assert facts.latest_infusion_day == today
    assert facts.severe_side_effects == (("dissociation", "during"),)
    assert facts.series.name == "Autumn"
    assert summary_of(db, alice).data_version == version_of(db, alice)


def test_phq9_item_9_reaches_the_summary(as_alice, alice, db):
    response = as_alice.post("/questionnaires/phq9", data={
        **{f"item_{n}": "0" for n in range(1, 9)}, "item_9": "2", "difficulty": "1"})
    assert response.status_code in (200, 302)
    facts = from_json(summary_of(db, alice).facts)
    assert facts.phq9_item9 == 2 and facts.phq9_day == today_in(alice.time_zone)


def test_opioid_days_reach_the_summary_as_mme(as_alice, alice, db):
    today = today_in(alice.time_zone)
    as_alice.post("/treatments/medications/", data={"name": "Oxycodone", "drug": "oxycodone",
                                                    "unit": "mg", "form": "tablet"})
    medication_id = db.exec(select(Medication.id).where(Medication.patient_id == alice.id)).one()
    response = as_alice.post("/treatments/medications/day", data={
        "day": today.isoformat(), f"amount_{medication_id}": "20"})
    assert response.status_code == 302
    assert from_json(summary_of(db, alice).facts).recent_mme == {today: 30}  # 20 mg x 1.5


def test_one_patients_write_leaves_anothers_summary_alone(app, doctor, as_alice, alice, charlie, db):
    charlies = connected(app, doctor, charlie)
    log_day(charlies, today_in(charlie.time_zone), 4)
    before = summary_of(db, charlie)
    log_day(as_alice, today_in(alice.time_zone), 7)
    assert summary_of(db, charlie).facts == before.facts
    assert summary_of(db, charlie).computed_at == before.computed_at


def test_an_outdated_or_missing_summary_is_recomputed_by_the_admin_command(app, doctor, as_alice, alice, charlie, db):
    log_day(as_alice, today_in(alice.time_zone), 7)
    connected(app, doctor, charlie)
    engine = app.extensions["diary_engine"]
    with engine.begin() as connection:  # as if a write had failed to compute it
        connection.execute(update(PatientSummary).values(data_version=0, facts="{}"))
        connection.execute(delete(PatientSummary).where(PatientSummary.patient_id == charlie.id))
    result = app.test_cli_runner().invoke(args=["admin", "refresh-summaries"])
    assert result.exit_code == 0, result.output
    assert re.search(r"^2 summaries computed", result.output)  # Alice's outdated one, Charlie's missing one
    assert summary_of(db, alice).data_version == 1
    assert from_json(summary_of(db, alice).facts).recent_pain == {today_in(alice.time_zone): 7}
    assert from_json(summary_of(db, charlie).facts).last_day is None
    assert refresh_all(db) == 0  # nothing outdated any more


def test_changing_the_window_settings_recomputes_the_before_and_after_result(as_alice, alice, db):
    today = today_in(alice.time_zone)
    as_alice.post("/treatments/series", data={"name": "Autumn", "condition": "crps", "route": "iv"})
    series_id = db.exec(select(InfusionSeries.id).where(InfusionSeries.patient_id == alice.id)).one()
    as_alice.post(f"/treatments/series/{series_id}/infusions", data={
        "day": today.isoformat(), "start_time": "09:00"})
    for back in range(1, 7):  # 6 days logged before the infusion: not enough of 14, enough of 7
        log_day(as_alice, today - timedelta(days=back), 6)
    assert from_json(summary_of(db, alice).facts).series.before_status == "not enough data (6 of 14 days logged)"
    response = as_alice.post("/trends/settings", data={"before_days": "7", "after_days": "14"})
    assert response.status_code == 302
    assert from_json(summary_of(db, alice).facts).series.before_mean == 6


def test_changing_the_time_zone_recomputes_the_summary_on_the_new_local_day(as_alice, alice, db, clock):
    clock.set("2026-03-01T23:30", "Europe/London")  # already 2 March in Auckland
    log_day(as_alice, today_in(alice.time_zone), 5)
    assert from_json(summary_of(db, alice).facts).computed_on.isoformat() == "2026-03-01"
    response = as_alice.post("/account", data={"display_name": "Alice", "time_zone": "Pacific/Auckland"})
    assert response.status_code == 302
    assert from_json(summary_of(db, alice).facts).computed_on.isoformat() == "2026-03-02"


def test_a_patient_with_no_clinician_keeps_no_summary(app, charlie, db):
    log_day(signed_in(app, charlie), today_in(charlie.time_zone), 4)
    assert version_of(db, charlie) == 1
    assert summary_of(db, charlie) is None


def test_the_summary_is_deleted_with_the_last_connection_only(app, doctor, as_alice, alice, db):
    second = enrolled(app, "nurse@example.com", "Nurse Kim")
    assert connect(as_alice, new_code(second.client)).status_code == 302
    page = as_alice.get("/clinicians").get_data(as_text=True)
    forms = re.findall(r'action="(/clinicians/\d+/disconnect)"', page)
    assert len(forms) == 2
    assert as_alice.post(forms[0]).status_code == 302
    assert summary_of(db, alice) is not None  # still connected to the other
    log_day(as_alice, today_in(alice.time_zone), 5)
    assert summary_of(db, alice).data_version == version_of(db, alice)
    assert as_alice.post(forms[1]).status_code == 302
    assert summary_of(db, alice) is None
    log_day(as_alice, today_in(alice.time_zone) - timedelta(days=1), 5)
    assert summary_of(db, alice) is None


def test_the_admin_command_deletes_a_summary_left_without_a_connection(app, alice, db):
    engine = app.extensions["diary_engine"]
    with engine.begin() as connection:  # as when a clinician's account is deleted with its connections
        connection.execute(update(ClinicianConnection).values(disconnected_at=utcnow()))
    assert refresh_all(db) == 0
    assert summary_of(db, alice) is None
