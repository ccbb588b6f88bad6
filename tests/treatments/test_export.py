"""Treatments leave and return whole through the diary's CSV export and import."""

import pytest
from sqlmodel import select

from diary.models import Infusion, InfusionSeries, InfusionSideEffect, MedicationDose, TherapyEvent
from tests.conftest import PASSWORD, make_patient
from tests.html import field_error
from tests.sharing.archives import files_of, upload, zip_of
from tests.treatments.conftest import add_infusion, add_medication, add_series


@pytest.fixture
def dana(app):
    make_patient(app, "dana@example.com", "Dana")
    other = app.test_client()
    other.post("/login", data={"email": "dana@example.com", "password": PASSWORD})
    return other


def test_export_import_export_of_treatments_gives_identical_files(as_alice, dana, db, clock):
    clock.set("2026-03-10T12:00", "Europe/London")
    series_id = add_series(as_alice, clinic="Riverside")
    add_infusion(as_alice, series_id, "2026-03-09", "23:30", dose_mg="52.5", weight_kg="70.5",
                 pain_before="7", pain_after="3", se_during_dissociation="severe")
    as_alice.post(f"/treatments/series/{series_id}/pgic", data={"pgic": "much_improved"})
    add_medication(as_alice, "Durogesic", "fentanyl_patch", unit="mcg/hr", form="patch")
    as_alice.post("/treatments/medications/day", data={"day": "2026-03-09", "amount_1": "12"})
    as_alice.post("/treatments/medications/none-today")
    as_alice.post("/treatments/therapies/", data={"day": "2026-03-08", "kind": "cbt", "note": "Week 3"})
    first = files_of(as_alice.get("/export/diary.zip").data)
    assert {"infusion_series.csv", "infusion.csv", "infusion_side_effect.csv", "medication.csv",
            "medication_day.csv", "medication_dose.csv", "therapy_event.csv"} <= set(first)

    response = upload(dana, as_alice.get("/export/diary.zip").data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert files_of(dana.get("/export/diary.zip").data) == first
    assert len(db.exec(select(InfusionSeries)).all()) == 2
    assert sorted(f"{i.start_time:%H:%M}" for i in db.exec(select(Infusion))) == ["23:30", "23:30"]
    assert len(db.exec(select(InfusionSideEffect)).all()) == 2
    assert len(db.exec(select(MedicationDose)).all()) == 2
    assert len(db.exec(select(TherapyEvent)).all()) == 2


def test_an_infusion_with_a_bad_start_time_is_named_and_nothing_is_imported(as_alice, dana, db, clock):
    clock.set("2026-03-10T12:00", "Europe/London")
    add_infusion(as_alice, add_series(as_alice), "2026-03-09", "09:30")
    files = files_of(as_alice.get("/export/diary.zip").data)
    files["infusion.csv"] = files["infusion.csv"].replace("09:30:00", "9h30")
    response = upload(dana, zip_of(files))
    assert response.status_code == 422
    assert field_error(response, "file").startswith(
        "Nothing was imported. infusion.csv, row 2, column start_time: Start time must be a time of day, like 09:30.")
    assert len(db.exec(select(InfusionSeries)).all()) == 1 and len(db.exec(select(Infusion)).all()) == 1
