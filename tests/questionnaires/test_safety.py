"""The safety path: any answer but "Not at all" to PHQ-9 item 9 shows crisis resources first,
from the admin's setting, and the answer leads back to them."""

import pytest
from sqlmodel import select

from diary.config import CRISIS_RESOURCES_DEFAULT, SettingError, load_settings
from diary.models import QuestionnaireAnswer
from tests.html import parse, title

ALL_ZERO = {f"item_{n}": "0" for n in range(1, 10)}


@pytest.mark.parametrize("item_9", ["1", "2", "3"])
def test_any_answer_but_not_at_all_to_item_9_goes_to_the_safety_page_first(as_alice, db, item_9):
    response = as_alice.post("/questionnaires/phq9", data={**ALL_ZERO, "item_9": item_9})
    assert response.status_code == 302 and response.location.endswith("/questionnaires/safety")
    assert db.exec(select(QuestionnaireAnswer.item_9)).all() == [int(item_9)]
    page = as_alice.get(response.location)
    assert title(page) == "Help if you are thinking about death or hurting yourself"
    assert not parse(page).select(".flash")  # nothing else comes before it, not even "Saved"


def test_not_at_all_to_item_9_goes_on_without_the_safety_page(as_alice):
    response = as_alice.post("/questionnaires/phq9", data=ALL_ZERO)
    assert not response.location.endswith("/questionnaires/safety")


def test_an_incomplete_phq9_with_item_9_answered_still_shows_the_safety_page(as_alice):
    response = as_alice.post("/questionnaires/phq9", data={"item_9": "1"})
    assert response.location.endswith("/questionnaires/safety")


def test_the_default_names_the_emergency_number_and_tells_the_admin_to_set_it(as_alice):
    text = parse(as_alice.get("/questionnaires/safety")).select_one(".crisis-resources").get_text(" ")
    assert "emergency number" in text and "112" in text and "911" in text
    assert "set DIARY_CRISIS_RESOURCES" in text


def test_the_admins_crisis_lines_are_shown_line_by_line(make_app, alice):
    app = make_app(CRISIS_RESOURCES=load_settings(
        {"DIARY_CRISIS_RESOURCES": "In an emergency call 999. | Samaritans: call 116 123."},
        "/tmp")["CRISIS_RESOURCES"])
    client = app.test_client()
    client.post("/login", data={"email": alice.email, "password": "correct horse battery"})
    lines = [p.get_text() for p in parse(client.get("/questionnaires/safety")).select(".crisis-resources p")]
    assert lines == ["In an emergency call 999.", "Samaritans: call 116 123."]


def test_an_empty_crisis_setting_stops_the_app_with_a_message():
    with pytest.raises(SettingError, match="DIARY_CRISIS_RESOURCES must not be empty"):
        load_settings({"DIARY_CRISIS_RESOURCES": " | "}, "/tmp")
    assert "DIARY_CRISIS_RESOURCES" in CRISIS_RESOURCES_DEFAULT


def test_the_crisis_lines_are_on_the_form_for_javascript_to_show_at_once(as_alice):
    page = parse(as_alice.get("/questionnaires/phq9/new"))
    notice = page.select_one("[data-safety-notice]")
    assert notice.has_attr("hidden") and "emergency number" in notice.get_text()
    assert page.select_one("[data-safety-item]")["id"] == "item_9"


def test_the_answer_is_flagged_in_words_and_leads_back_to_the_safety_page(as_alice, db):
    as_alice.post("/questionnaires/phq9", data={**ALL_ZERO, "item_9": "2"})
    answer_id = db.exec(select(QuestionnaireAnswer.id)).one()
    flag = parse(as_alice.get(f"/questionnaires/{answer_id}")).select_one(".safety-flag")
    assert "More than half the days" in flag.get_text() and "hurting yourself" in flag.get_text()
    assert flag.a["href"] == "/questionnaires/safety"
    listing = parse(as_alice.get("/questionnaires/")).select_one("tbody").get_text(" ", strip=True)
    assert "question 9 answered" in listing


def test_the_safety_page_offers_the_anxiety_questions_when_they_are_due(as_alice):
    as_alice.post("/questionnaires/phq9", data={**ALL_ZERO, "item_9": "1"})
    links = [a["href"] for a in parse(as_alice.get("/questionnaires/safety")).select(".actions a")]
    assert links == ["/questionnaires/gad7/new", "/today"]
