"""Every change to a diary leaves the patient's stored summary current, in the same transaction
(diary.summaries.store, called from diary.versions). Runs on a real SQLite file, or on
PostgreSQL with DIARY_TEST_DATABASE_URL set (tests/databases.py)."""

import re
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import select

from diary.days import today_in
from diary.models import Entry, InfusionSeries, Medication, PatientSummary, Patient
from diary.summaries.facts import RULES, from_json
from diary.summaries.store import refresh_all


def summary_of(db, patient) -> PatientSummary | None:
    db.expire_all()
    return db.get(PatientSummary, patient.id)


def version_of(db, patient) -> int:
    db.expire_all()
    return db.get(Patient, patient.id).data_version


def log_day(client, day, pain: int):
    response = client.post("/entries", data={"day": day.isoformat(), "pain_avg": str(pain)})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


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


def test_one_patients_write_leaves_anothers_summary_alone(app, as_alice, alice, charlie, db):
    charlies = app.test_client()
    charlies.post("/login", data={"email": charlie.email, "password": "correct horse battery"})
    log_day(charlies, today_in(charlie.time_zone), 4)
    before = summary_of(db, charlie)
    log_day(as_alice, today_in(alice.time_zone), 7)
    assert summary_of(db, charlie).facts == before.facts
    assert summary_of(db, charlie).computed_at == before.computed_at


def test_an_outdated_or_missing_summary_is_recomputed_by_the_admin_command(app, as_alice, alice, charlie, db):
    log_day(as_alice, today_in(alice.time_zone), 7)
    engine = app.extensions["diary_engine"]
    with engine.begin() as connection:  # as if a write had failed to compute it
        connection.execute(update(PatientSummary).values(data_version=0, facts="{}"))
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
