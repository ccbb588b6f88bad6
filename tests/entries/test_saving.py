"""Saving an entry again writes only what differs, and still marks the patient's data as changed."""

from datetime import datetime

from sqlmodel import select

from diary.models import Entry, EntrySideEffect, Patient


def log(client, day: str, pain: int, **more):
    return client.post("/entries", data={"day": day, "pain_avg": str(pain), **more})


def stored_side_effects(db) -> dict[str, tuple[int, int, str | None]]:
    """Symptom -> (row id, severity, detail)."""
    db.expire_all()
    return {effect.symptom: (effect.id, effect.severity, effect.detail)
            for effect in db.exec(select(EntrySideEffect))}


def data_version(db, email: str) -> int:
    db.expire_all()
    return db.exec(select(Patient.data_version).where(Patient.email == email)).one()


def test_changing_side_effects_keeps_the_unchanged_rows_and_changes_the_rest(as_alice, db, clock):
    clock.set("2026-03-10T09:00")
    log(as_alice, "2026-03-01", 6, se_nausea="mild", se_dizziness="severe", se_other="moderate",
        se_other_text="tingling")
    entry = db.exec(select(Entry)).one()
    before = stored_side_effects(db)
    response = as_alice.post(f"/entries/{entry.id}", data={
        "day": "2026-03-01", "pain_avg": "6", "se_nausea": "mild", "se_other": "severe",
        "se_other_text": "pins and needles", "se_headache": "mild"})
    assert response.status_code == 302
    after = stored_side_effects(db)
    assert after["nausea"] == before["nausea"]  # the same row, untouched
    assert after["other"] == (before["other"][0], 3, "pins and needles")  # changed in place
    assert "dizziness" not in after
    assert after["headache"][1:] == (1, None)
    assert sorted(after) == ["headache", "nausea", "other"]


def test_saving_the_same_answers_again_changes_the_time_and_the_data_version(as_alice, db, clock):
    clock.set("2026-03-10T09:00")
    log(as_alice, "2026-03-01", 6, se_nausea="mild", notes="rain")
    entry = db.exec(select(Entry)).one()
    side_effects, version = stored_side_effects(db), data_version(db, "alice@example.com")
    clock.set("2026-03-10T10:00")
    response = as_alice.post(f"/entries/{entry.id}", data={
        "day": "2026-03-01", "pain_avg": "6", "se_nausea": "mild", "notes": "rain"})
    assert response.status_code == 302
    db.expire_all()
    saved = db.get(Entry, entry.id)
    assert (saved.pain_avg, saved.notes) == (6, "rain")
    assert saved.updated_at.replace(tzinfo=None) == datetime(2026, 3, 10, 10, 0)
    assert stored_side_effects(db) == side_effects
    assert data_version(db, "alice@example.com") == version + 1  # once, for the one save


def test_a_refused_move_onto_a_logged_day_changes_nothing_at_all(as_alice, db, clock):
    clock.set("2026-03-10T09:00")
    log(as_alice, "2026-03-01", 6)
    log(as_alice, "2026-03-02", 4, se_nausea="mild")
    second = db.exec(select(Entry).where(Entry.pain_avg == 4)).one()
    side_effects, version = stored_side_effects(db), data_version(db, "alice@example.com")
    response = as_alice.post(f"/entries/{second.id}", data={
        "day": "2026-03-01", "pain_avg": "9", "se_headache": "severe"})
    assert response.status_code == 409
    db.expire_all()
    assert db.get(Entry, second.id).pain_avg == 4
    assert stored_side_effects(db) == side_effects
    assert data_version(db, "alice@example.com") == version


def test_the_flash_names_the_pain_and_day_saved(as_alice, clock):
    clock.set("2026-03-10T09:00")
    log(as_alice, "2026-03-10", 3)
    page = as_alice.get("/today").get_data(as_text=True)
    assert "Saved: pain 3 on Tuesday 10 March." in page
