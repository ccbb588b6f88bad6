"""Answering the PHQ-9 and GAD-7: the published wording, saving, "incomplete", bad input,
at most once a day, due on "Log today", how often, and another patient's answers."""

from datetime import date

from sqlmodel import select

from diary.models import Patient, QuestionnaireAnswer
from diary.questionnaires.items import ANSWERS, QUESTIONNAIRES
from tests.conftest import make_patient
from tests.html import field_error, parse, title


def answers(kind: str, points: str = "1", **overrides) -> dict:
    count = len(QUESTIONNAIRES[kind].items)
    return {**{f"item_{n}": points for n in range(1, count + 1)}, **overrides}


def stored(db) -> list[QuestionnaireAnswer]:
    db.expire_all()
    return db.exec(select(QuestionnaireAnswer).order_by(QuestionnaireAnswer.id)).all()


def due_links(client) -> list[str]:
    page = parse(client.get("/today"))
    return [link["href"] for link in page.select(".questionnaire-due a")]


def test_the_phq9_page_shows_every_published_item_with_the_four_answers(as_alice):
    page = parse(as_alice.get("/questionnaires/phq9/new"))
    assert "Over the last 2 weeks" in page.select_one(".lead").get_text()
    groups = page.select("fieldset.answer-group")
    assert [group.legend.get_text(" ", strip=True) for group in groups[:9]] == [
        f"{n}. {text}" for n, text in enumerate(QUESTIONNAIRES["phq9"].items, start=1)]
    for group in groups[:9]:
        assert [(radio["value"], radio.find_next_sibling("span").get_text()) for radio in
                group.select("input[type=radio]")] == [(str(points), words) for points, words in ANSWERS]
    assert [words for _, words in ANSWERS] == ["Not at all", "Several days", "More than half the days",
                                               "Nearly every day"]


def test_the_gad7_page_has_seven_items(as_alice):
    page = parse(as_alice.get("/questionnaires/gad7/new"))
    items = [group for group in page.select("fieldset.answer-group") if group["id"].startswith("item_")]
    assert len(items) == 7


def test_saving_a_complete_phq9_stores_each_answer_on_todays_local_day(app, client, auth, db, clock):
    make_patient(app, "lee@example.com", "Lee", time_zone="America/Los_Angeles")
    auth.login("lee@example.com")
    clock.set("2026-03-01T21:30", "America/Los_Angeles")  # already 2 March in UTC
    response = client.post("/questionnaires/phq9", data=answers("phq9", "2", item_9="0", difficulty="1"))
    assert response.status_code == 302
    [row] = stored(db)
    assert (row.kind, row.day, row.difficulty) == ("phq9", date(2026, 3, 1), 1)
    assert [getattr(row, f"item_{n}") for n in range(1, 10)] == [2] * 8 + [0]
    shown = parse(client.get(f"/questionnaires/{row.id}"))
    assert "Total 16 of 27: moderately severe." in shown.select_one(".lead").get_text(" ", strip=True)


def test_a_question_left_out_is_stored_as_unanswered_and_shown_as_incomplete(as_alice, db):
    data = answers("gad7", "3")
    del data["item_4"]
    assert as_alice.post("/questionnaires/gad7", data=data).status_code == 302
    [row] = stored(db)
    assert row.item_4 is None and row.item_3 == 3
    page = parse(as_alice.get(f"/questionnaires/{row.id}"))
    assert "Incomplete" in page.select_one(".lead").get_text() and "Total" not in page.select_one(".lead").get_text()
    listing = parse(as_alice.get("/questionnaires/")).select_one("tbody").get_text(" ", strip=True)
    assert "incomplete" in listing and "18" not in listing


def test_an_answer_outside_0_to_3_is_refused_with_a_message_and_nothing_stored(as_alice, db):
    response = as_alice.post("/questionnaires/gad7", data=answers("gad7", item_2="4"))
    assert response.status_code == 422
    assert field_error(response, "item_2") == "Choose an answer to question 2 from the list"
    assert parse(response).select_one("#item_1-1").has_attr("checked")  # what was chosen stays
    assert stored(db) == []


def test_an_unknown_questionnaire_answers_404(as_alice, db):
    assert as_alice.get("/questionnaires/bdi/new").status_code == 404
    assert as_alice.post("/questionnaires/bdi", data={"item_1": "1"}).status_code == 404
    assert stored(db) == []


def test_at_most_once_a_day_a_second_answer_is_not_stored(as_alice, db):
    assert as_alice.post("/questionnaires/gad7", data=answers("gad7", "1")).status_code == 302
    again = as_alice.post("/questionnaires/gad7", data=answers("gad7", "3"))
    assert again.status_code == 302 and again.location.endswith(f"/questionnaires/{stored(db)[0].id}")
    assert [row.item_1 for row in stored(db)] == [1]
    opened = as_alice.get("/questionnaires/gad7/new")
    assert opened.status_code == 302 and opened.location.endswith(f"/questionnaires/{stored(db)[0].id}")


def test_both_are_due_on_log_today_until_answered(as_alice):
    assert due_links(as_alice) == ["/questionnaires/phq9/new", "/questionnaires/gad7/new"]
    response = as_alice.post("/questionnaires/phq9", data=answers("phq9", "0"))
    assert response.location.endswith("/questionnaires/gad7/new")  # the other one follows
    assert due_links(as_alice) == ["/questionnaires/gad7/new"]
    assert as_alice.post("/questionnaires/gad7", data=answers("gad7", "0")).location.endswith("/today")
    assert due_links(as_alice) == []


def test_due_again_after_the_chosen_interval(app, client, auth, db, clock):
    make_patient(app, "lee@example.com", "Lee", time_zone="Europe/London")
    auth.login("lee@example.com")
    clock.set("2026-03-01T09:00", "Europe/London")
    assert client.post("/questionnaires/settings", data={"interval": "7"}).status_code == 302
    client.post("/questionnaires/phq9", data=answers("phq9", "0"))
    client.post("/questionnaires/gad7", data=answers("gad7", "0"))
    clock.set("2026-03-07T23:00", "Europe/London")
    assert due_links(client) == []
    clock.set("2026-03-08T07:00", "Europe/London")
    assert due_links(client) == ["/questionnaires/phq9/new", "/questionnaires/gad7/new"]


def test_turning_them_off_stores_no_interval_and_nothing_is_due(as_alice, alice, db):
    assert as_alice.post("/questionnaires/settings", data={"interval": "off"}).status_code == 302
    db.expire_all()
    assert db.get(Patient, alice.id).questionnaire_interval_days is None
    assert due_links(as_alice) == []


def test_an_interval_outside_7_to_28_is_refused_and_the_stored_one_kept(as_alice, alice, db):
    for interval in ("6", "29", "fortnight"):
        response = as_alice.post("/questionnaires/settings", data={"interval": interval})
        assert response.status_code == 422
        assert field_error(response, "interval") == "Choose how often to answer them from the list"
    db.expire_all()
    assert db.get(Patient, alice.id).questionnaire_interval_days == 14


def test_the_tap_targets_are_radio_inputs_styled_as_large_buttons(as_alice):
    page = parse(as_alice.get("/questionnaires/phq9/new"))
    option = page.select_one("label.answer-option")
    assert option.input["type"] == "radio" and option.span.get_text() == "Not at all"
    assert page.form["method"] == "post" and page.form["action"] == "/questionnaires/phq9"  # no JavaScript needed


def test_another_patients_answer_answers_404(app, as_alice, db):
    make_patient(app, "charlie@example.com", "Charlie")
    other = app.test_client()
    other.post("/login", data={"email": "charlie@example.com", "password": "correct horse battery"})
    other.post("/questionnaires/phq9", data=answers("phq9", "3"))
    [charlies] = stored(db)
    assert as_alice.get(f"/questionnaires/{charlies.id}").status_code == 404
    assert "Charlie" not in as_alice.get("/questionnaires/").get_data(as_text=True)
    assert title(as_alice.get("/questionnaires/")) == "Mood and anxiety questionnaires"
    assert parse(as_alice.get("/questionnaires/")).select_one("tbody") is None


def test_how_these_numbers_are_computed_explains_scoring_windows_and_the_safety_path(client):
    section = parse(client.get("/trends/how")).find(id="questionnaires").find_next("ul").get_text(" ")
    assert "0–4 minimal, 5–9 mild, 10–14 moderate, 15–19 moderately severe, 20–27 severe" in section
    assert "0–4 minimal, 5–9 mild, 10–14 moderate, 15–21 severe" in section
    assert "first − 28 to first − 1" in section and "last + 1 to last + 28" in section
    assert "never counted as 0" in section and "2 × fall ≥ before" in section
    assert "question 9" in section and "crisis lines" in section
