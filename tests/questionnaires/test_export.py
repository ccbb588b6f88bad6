"""The questionnaires leave and return with the rest of the diary: CSV export and import."""

from datetime import date

from sqlmodel import select

from diary.models import QuestionnaireAnswer
from tests.html import field_error
from tests.sharing.archives import files_of, rows_of, upload, zip_of
from tests.sharing.conftest import dana  # noqa: F401 (fixture)


def answer_both(client):
    client.post("/questionnaires/phq9", data={**{f"item_{n}": "2" for n in range(1, 10)}, "difficulty": "3"})
    client.post("/questionnaires/gad7", data={f"item_{n}": "1" for n in range(1, 7)})  # item 7 left out


def stored(db, patient_id: int) -> list[tuple]:
    db.expire_all()
    return [(row.kind, row.day, *(getattr(row, f"item_{n}") for n in range(1, 10)), row.difficulty)
            for row in db.exec(select(QuestionnaireAnswer).where(QuestionnaireAnswer.patient_id == patient_id)
                               .order_by(QuestionnaireAnswer.id))]


def test_the_csv_export_has_every_answer_and_blank_for_an_unanswered_item(as_alice, clock):
    clock.set("2026-03-01T10:00", "Europe/London")
    answer_both(as_alice)
    rows = rows_of(files_of(as_alice.get("/export/diary.zip").data)["questionnaire_answer.csv"])
    assert [(row["id"], row["kind"], row["day"], row["item_1"], row["item_7"], row["item_9"], row["difficulty"])
            for row in rows] == [("1", "phq9", "2026-03-01", "2", "2", "2", "3"),
                                 ("2", "gad7", "2026-03-01", "1", "", "", "")]
    assert "patient_id" not in rows[0]


def test_an_import_restores_the_answers_exactly(as_alice, alice, dana, db, clock):
    clock.set("2026-03-01T10:00", "Europe/London")
    answer_both(as_alice)
    assert upload(dana, as_alice.get("/export/diary.zip").data).status_code == 302
    dana_id = db.exec(select(QuestionnaireAnswer.patient_id).where(
        QuestionnaireAnswer.patient_id != alice.id)).first()
    assert stored(db, dana_id) == stored(db, alice.id) == [
        ("phq9", date(2026, 3, 1), 2, 2, 2, 2, 2, 2, 2, 2, 2, 3),
        ("gad7", date(2026, 3, 1), 1, 1, 1, 1, 1, 1, None, None, None, None)]


def test_an_answer_outside_0_to_3_in_an_import_is_refused_and_nothing_imported(as_alice, dana, db, clock):
    clock.set("2026-03-01T10:00", "Europe/London")
    answer_both(as_alice)
    files = files_of(as_alice.get("/export/diary.zip").data)
    files["questionnaire_answer.csv"] = files["questionnaire_answer.csv"].replace(
        "2,gad7,2026-03-01,1,", "2,gad7,2026-03-01,4,")
    response = upload(dana, zip_of(files))
    assert response.status_code == 422
    assert field_error(response, "file").startswith("Nothing was imported. questionnaire_answer.csv, row 3")
    assert len(db.exec(select(QuestionnaireAnswer)).all()) == 2  # Alice's only


def test_a_gad7_row_with_a_ninth_answer_is_refused_naming_the_column(as_alice, dana, db, clock):
    clock.set("2026-03-01T10:00", "Europe/London")
    answer_both(as_alice)
    files = files_of(as_alice.get("/export/diary.zip").data)
    header, phq9, gad7 = files["questionnaire_answer.csv"].splitlines()[:3]
    cells = gad7.split(",")
    cells[header.split(",").index("item_9")] = "1"
    files["questionnaire_answer.csv"] = "\n".join([header, phq9, ",".join(cells)]) + "\n"
    response = upload(dana, zip_of(files))
    assert response.status_code == 422
    assert field_error(response, "file") == ("Nothing was imported. questionnaire_answer.csv, row 3, "
                                             "column item_9: The GAD-7 has no questions 8 and 9.")
    assert len(db.exec(select(QuestionnaireAnswer)).all()) == 2
