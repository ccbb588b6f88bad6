"""The patient's data leaves and returns whole: CSV export, import, FHIR R4."""

import json

import pytest
from fhir.resources.R4B.bundle import Bundle
from sqlmodel import select

from diary.models import Entry, EntrySideEffect
from tests.html import field_error
from tests.sharing.archives import files_of, rows_of, upload, zip_of


def log_days(client):
    client.post("/entries", data={"day": "2026-01-05", "pain_avg": "6", "pain_worst": "8", "mood": "4",
                                  "se_nausea": "moderate", "se_other": "mild", "se_other_text": "taste, \"metallic\"",
                                  "notes": "line one\nline two, with a comma"})
    client.post("/entries", data={"day": "2026-01-06", "pain_avg": "3", "se_dizziness": "severe"})


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
     "Nothing was imported. entry.csv, row 3, column pain_avg: Average pain in the last 24 hours must be a whole number between 0 and 10."),
    (lambda files: {**files, "entry.csv": files["entry.csv"].replace("2026-01-06,3", "2026-01-06,11")},
     "Nothing was imported. entry.csv, row 3, column pain_avg: Average pain in the last 24 hours must be a whole number between 0 and 10."),
    (lambda files: {**files, "entry.csv": files["entry.csv"].replace("2026-01-06,3", "2026-13-06,3")},
     "Nothing was imported. entry.csv, row 3, column day: Date must be a real date, like"),
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


FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1 better than yesterday", "-2 after the walk",
            "@SUM(A1:A9)", "'quoted on purpose", "plain words"]


def test_cells_a_spreadsheet_would_run_are_quoted_and_come_back_as_typed(as_alice, dana, db):
    """OWASP's CSV injection advice: a leading quote; the import takes it off again."""
    from diary.models import Patient
    for day, note in enumerate(FORMULAS, start=1):
        as_alice.post("/entries", data={"day": f"2026-01-{day:02}", "pain_avg": "4", "notes": note})
    first = files_of(as_alice.get("/export/diary.zip").data)
    assert [row["notes"] for row in rows_of(first["entry.csv"])] == [
        "'=HYPERLINK(\"http://evil.example\",\"click\")", "'+1 better than yesterday", "'-2 after the walk",
        "'@SUM(A1:A9)", "''quoted on purpose", "plain words"]
    assert upload(dana, zip_of(first)).status_code == 302
    dana_id = db.exec(select(Patient).where(Patient.email == "dana@example.com")).one().id
    assert [entry.notes for entry in db.exec(select(Entry).where(Entry.patient_id == dana_id)
                                             .order_by(Entry.day))] == FORMULAS
    assert files_of(dana.get("/export/diary.zip").data) == first
