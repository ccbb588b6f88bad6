"""The patient's data leaves and returns whole: CSV export, import, FHIR R4."""

import csv
import io
import json
import zipfile

import pytest
from fhir.resources.R4B.bundle import Bundle
from sqlmodel import select

from diary.models import Entry, EntrySideEffect
from tests.conftest import PASSWORD, make_patient
from tests.html import field_error


def log_days(client):
    client.post("/entries", data={"day": "2026-01-05", "pain_avg": "6", "pain_worst": "8", "mood": "4",
                                  "se_nausea": "moderate", "se_other": "mild", "se_other_text": "taste, \"metallic\"",
                                  "notes": "line one\nline two, with a comma"})
    client.post("/entries", data={"day": "2026-01-06", "pain_avg": "3", "se_dizziness": "severe"})


def files_of(zip_bytes: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def zip_of(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def upload(client, data: bytes):
    return client.post("/import", data={"file": (io.BytesIO(data), "export.zip")},
                       content_type="multipart/form-data")


@pytest.fixture
def dana(app, client):
    make_patient(app, "dana@example.com", "Dana")
    other = app.test_client()
    other.post("/login", data={"email": "dana@example.com", "password": PASSWORD})
    return other


def test_the_csv_export_has_one_file_per_table_with_numbered_rows(as_alice):
    log_days(as_alice)
    response = as_alice.get("/export/diary.zip")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="pain-diary-')
    files = files_of(response.data)
    assert {"entry.csv", "entry_side_effect.csv"} <= set(files)
    entries = rows_of(files["entry.csv"])
    assert [(row["id"], row["day"], row["pain_avg"], row["pain_worst"], row["mood"]) for row in entries] == [
        ("1", "2026-01-05", "6", "8", "4"), ("2", "2026-01-06", "3", "", "")]
    assert entries[0]["notes"] == "line one\nline two, with a comma"
    assert "patient_id" not in entries[0]
    effects = {(row["entry_id"], row["symptom"], row["severity"], row["detail"])
               for row in rows_of(files["entry_side_effect.csv"])}
    assert effects == {("1", "nausea", "2", ""), ("1", "other", "1", 'taste, "metallic"'), ("2", "dizziness", "3", "")}


def test_the_export_page_documents_every_file_and_column(as_alice):
    log_days(as_alice)
    page = as_alice.get("/export").get_data(as_text=True)
    for name, text in files_of(as_alice.get("/export/diary.zip").data).items():
        header = text.splitlines()[0]
        assert f"<code>{name}</code>" in page and header.replace(",", ", ") in page


def test_export_import_export_gives_identical_files(as_alice, dana, db):
    log_days(as_alice)
    first = files_of(as_alice.get("/export/diary.zip").data)
    response = upload(dana, as_alice.get("/export/diary.zip").data)
    assert response.status_code == 302
    second = files_of(dana.get("/export/diary.zip").data)
    assert second == first
    assert len(db.exec(select(Entry)).all()) == 4  # Alice's two days and Dana's two


def test_import_only_into_an_empty_account(as_alice, db):
    log_days(as_alice)
    response = upload(as_alice, as_alice.get("/export/diary.zip").data)
    assert response.status_code == 409
    assert "already has data" in field_error(response, "file")
    assert len(db.exec(select(Entry)).all()) == 2


@pytest.mark.parametrize("change, message", [
    (lambda files: {"x.csv": "a"}, "Nothing was imported. The file x.csv is not part of a diary export."),
    (lambda files: {k: v for k, v in files.items() if k != "entry.csv"}, "Nothing was imported. The export is missing entry.csv."),
    (lambda files: {**files, "entry.csv": files["entry.csv"].replace("pain_avg", "pain")},
     "Nothing was imported. entry.csv: the first row must name the columns"),
    (lambda files: {**files, "entry.csv": files["entry.csv"].replace("2026-01-06,3", "2026-01-06,three")},
     "Nothing was imported. entry.csv, row 3, column pain_avg: the value must be a whole number, not 'three'."),
    (lambda files: {**files, "entry.csv": files["entry.csv"].replace("2026-01-06,3", "2026-01-06,11")},
     "Nothing was imported. entry.csv, row 3: a value breaks the rule pain_avg BETWEEN 0 AND 10."),
    (lambda files: {**files, "entry.csv": files["entry.csv"].replace("2026-01-06,3", "2026-13-06,3")},
     "Nothing was imported. entry.csv, row 3, column day: the value must be a date like 2026-01-31, not '2026-13-06'."),
    (lambda files: {**files, "entry.csv": files["entry.csv"].replace("2026-01-06,3", "2026-01-05,3")},
     "Nothing was imported. entry.csv, row 3: it repeats a row that must be unique"),
    (lambda files: {**files, "entry_side_effect.csv": files["entry_side_effect.csv"] + "9,7,nausea,1,\n"},
     "Nothing was imported. entry_side_effect.csv, row 5, column entry_id: there is no row 7 in entry.csv."),
])
def test_a_bad_import_file_names_the_problem_and_imports_nothing(as_alice, dana, db, change, message):
    log_days(as_alice)
    files = files_of(as_alice.get("/export/diary.zip").data)
    # Rows are CSV records (row 1 names the columns), not lines: the first note spans two lines.
    response = upload(dana, zip_of(change(files)))
    assert response.status_code == 422
    assert field_error(response, "file").startswith(message)
    assert len(db.exec(select(Entry)).all()) == 2 and len(db.exec(select(EntrySideEffect)).all()) == 3


def test_a_file_that_is_not_a_zip_is_refused(dana):
    response = upload(dana, b"name,pain\nme,5\n")
    assert response.status_code == 422
    assert "not a diary export" in field_error(response, "file")


def test_the_fhir_export_is_a_valid_r4_bundle_with_loinc_pain_scores(as_alice):
    log_days(as_alice)
    response = as_alice.get("/export/fhir.json")
    assert response.headers["Content-Type"] == "application/fhir+json"
    data = json.loads(response.data)
    Bundle.model_validate(data)  # raises on any structural error
    resources = [entry["resource"] for entry in data["entry"]]
    assert resources[0]["resourceType"] == "Patient" and resources[0]["name"] == [{"text": "Alice"}]
    observations = [r for r in resources if r["resourceType"] == "Observation"]
    pain = [(o["effectiveDateTime"], o["valueInteger"]) for o in observations
            if o["code"]["coding"][0] == {"system": "http://loinc.org", "code": "72514-3",
                                          "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported"}]
    assert pain == [("2026-01-05", 6), ("2026-01-06", 3)]
    assert len(observations) == 7  # two pain scores, one worst pain, one mood, three side effects
    assert {o["status"] for o in observations} == {"final"}
    assert all(o["subject"]["reference"] == data["entry"][0]["fullUrl"] for o in observations)
    assert "alice@example.com" not in response.get_data(as_text=True)


def test_each_infusion_is_a_medication_administration_of_ketamine(as_alice):
    from tests.treatments.conftest import add_infusion, add_series
    nasal = add_series(as_alice, name="Spray", route="intranasal")
    add_infusion(as_alice, add_series(as_alice, name="Spring"), "2026-01-10", dose_mg="52.5")
    add_infusion(as_alice, nasal, "2026-02-01")
    data = json.loads(as_alice.get("/export/fhir.json").data)
    Bundle.model_validate(data)
    given = [entry["resource"] for entry in data["entry"]
             if entry["resource"]["resourceType"] == "MedicationAdministration"]
    assert [(r["effectivePeriod"]["start"], r["status"]) for r in given] == [
        ("2026-01-10T09:00:00+00:00", "completed"), ("2026-02-01T09:00:00+00:00", "completed")]
    assert {tuple(c.items()) for r in given for c in r["medicationCodeableConcept"]["coding"]} == {
        (("system", "http://www.nlm.nih.gov/research/umls/rxnorm"), ("code", "6130"), ("display", "ketamine"))}
    assert given[0]["dosage"]["dose"] == {"value": 52.5, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"}
    assert given[0]["dosage"]["route"]["coding"][0]["code"] == "47625008"  # intravenous
    assert given[1]["dosage"]["route"]["coding"][0]["code"] == "46713006"  # nasal
    assert "dose" not in given[1]["dosage"]
