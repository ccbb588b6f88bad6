"""Answering the PHQ-9 and GAD-7 on a phone, in the real browser: due on "Log today", one tap
per question, and the safety path after item 9 (at once with JavaScript, after saving without)."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from diary.days import today_in
from diary.models import Patient, QuestionnaireAnswer
from tests.browser.pages import SCREENSHOTS, VIEWPORTS, check_page, csrf_token, tap

pytestmark = pytest.mark.browser


def answers_of(database, email: str) -> list[QuestionnaireAnswer]:
    with Session(database.engine) as session:
        return list(session.exec(select(QuestionnaireAnswer).join(Patient).where(Patient.email == email)
                                 .order_by(QuestionnaireAnswer.id)))


def test_from_log_today_through_the_phq9_with_item_9_to_the_safety_page_and_the_gad7(
        contexts, new_patient, database):
    patient, state = new_patient("Sam")
    page = contexts.open(VIEWPORTS["phone-360"], storage_state=state).new_page()
    page.goto("/today")
    with page.expect_navigation():
        tap(page, ".questionnaire-due a >> nth=0")
    assert page.url.endswith("/questionnaires/phq9/new")
    for number in range(1, 9):
        tap(page, f"label:has(#item_{number}-1)")
    notice = page.locator("[data-safety-notice]")
    expect(notice).to_be_hidden()
    tap(page, "label:has(#item_9-1)")  # "Several days": the crisis lines show at once
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("emergency number")
    assert check_page(page, "questionnaire-phq9-item-9-phone-360") == []
    with page.expect_navigation():
        tap(page, "button.button-primary")
    assert page.url.endswith("/questionnaires/safety")
    assert check_page(page, "questionnaire-safety-after-saving-phone-360") == []
    [phq9] = answers_of(database, patient.email)
    assert (phq9.kind, phq9.item_1, phq9.item_9) == ("phq9", 1, 1)

    with page.expect_navigation():
        tap(page, "text=Go on to the anxiety questions")
    for number in range(1, 8):
        tap(page, f"label:has(#item_{number}-0)")
    with page.expect_navigation():
        tap(page, "button.button-primary")
    assert page.url.endswith("/today")
    expect(page.locator(".questionnaire-due")).to_have_count(0)
    assert [row.kind for row in answers_of(database, patient.email)] == ["phq9", "gad7"]


def test_without_javascript_the_safety_page_follows_the_save(browser, live_server, new_patient, database):
    patient, state = new_patient("Noor")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False,
                                  viewport={"width": 360, "height": 740}, storage_state=state)
    page = context.new_page()
    page.goto("/questionnaires/phq9/new")
    page.click("label:has(#item_9-3)")
    page.click("button.button-primary")
    assert page.url.endswith("/questionnaires/safety")
    assert "emergency number" in page.locator(".crisis-resources").inner_text()
    assert [row.item_9 for row in answers_of(database, patient.email)] == [3]
    context.close()


def test_the_report_names_question_9_in_words_and_shows_the_change_around_the_series(
        contexts, new_patient, time_zone):
    patient, state = new_patient("Ira")
    context = contexts.open(VIEWPORTS["phone-360"], storage_state=state)
    page = context.new_page()
    page.goto("/today")
    token = csrf_token(page)
    today = today_in(time_zone)

    def post(path: str, form: dict) -> str:
        response = context.request.post(path, form={**form, "csrf_token": token}, max_redirects=0)
        assert response.status == 302, (path, response.status, response.text()[:300])
        return response.headers["location"]

    series = post("/treatments/series", {"name": "Autumn series", "condition": "crps", "route": "iv"})
    series_id = re.search(r"/series/(\d+)", series).group(1)
    for days_ago in (20, 18):
        post(f"/treatments/series/{series_id}/infusions",
             {"day": (today - timedelta(days=days_ago)).isoformat(), "start_time": "09:00"})
    post("/questionnaires/phq9", {**{f"item_{n}": "1" for n in range(1, 9)}, "item_9": "1"})
    page.goto("/report")
    expect(page.locator(".safety-flags")).to_contain_text("answered “Several days”")
    expect(page.locator(".questionnaire-change tbody tr").first).to_contain_text("9 (mild)")
    expect(page.locator(".questionnaire-change tbody tr").first).to_contain_text("not enough data")
    assert check_page(page, "report-questionnaires-phone-360") == []
    page.locator("section.report-questionnaires").screenshot(
        path=str(SCREENSHOTS / "report-questionnaires-section-phone-360.png"))
