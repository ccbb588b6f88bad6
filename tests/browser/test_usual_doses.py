""""Took my usual doses" on Log today at 360 px, light and dark: one tap, then what was recorded."""

import pytest
from playwright.sync_api import expect

from tests.browser.pages import VIEWPORTS, check_page, csrf_token, tap

pytestmark = pytest.mark.browser


def add_medication(page, name: str, drug: str, usual_dose: str = "") -> None:
    response = page.context.request.post("/treatments/medications/", max_redirects=0, form={
        "name": name, "drug": drug, "unit": "mg", "form": "tablet", "usual_dose": usual_dose,
        "csrf_token": csrf_token(page)})
    assert response.status == 302, response.text()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_one_tap_records_the_usual_doses_and_shows_them(contexts, new_patient, dark):
    _, state = new_patient()
    page = contexts.open(VIEWPORTS["phone-360"], dark=dark, storage_state=state).new_page()
    page.goto("/today")
    add_medication(page, "OxyContin", "oxycodone", "10")
    add_medication(page, "Pregabalin", "non_opioid", "150")
    add_medication(page, "Oramorph", "morphine")
    page.goto("/today")
    suffix = "-dark" if dark else ""
    problems = check_page(page, f"today-medications-phone-360{suffix}")
    tap(page, "text=Took my usual doses")  # a boosted form: the page is swapped in place
    expect(page.locator(".medications-recorded")).to_have_text(
        "Recorded: OxyContin 10 mg, Pregabalin 150 mg.")
    expect(page.locator("#medications-today button")).to_have_count(0)
    problems += check_page(page, f"today-medications-recorded-phone-360{suffix}")
    assert problems == [], "\n".join(problems)
