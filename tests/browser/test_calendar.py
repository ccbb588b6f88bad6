"""History's calendar at 360 px: two missed days filled in through the compact backfill.

The issue's finding: "Log a past day" opened the 3,600 px detail form with Save five screens
down, and after saving jumped to the top of History with no next missing day. Here a patient
taps a missing day, finds Save on the screen, saves, and is offered the next missing day in
place, twice; the database is checked after each save.
"""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from diary.days import today_in
from diary.trends.display import day_text
from tests.browser.pages import VIEWPORTS, check_page, csrf_token, tap

pytestmark = pytest.mark.browser

PHONE = VIEWPORTS["phone-360"]


def on_screen(page, selector: str) -> bool:
    """The element is wholly inside the viewport as it is now, without scrolling."""
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE.height


def log_by_post(page, day, pain: int) -> None:
    response = page.context.request.post("/entries", form={
        "day": day.isoformat(), "pain_avg": str(pain), "csrf_token": csrf_token(page)}, max_redirects=0)
    assert response.status == 302, response.text()


def test_two_missed_days_are_filled_in_from_the_calendar_at_360_px(contexts, new_patient, database,
                                                                     time_zone):
    patient, state = new_patient()
    today = today_in(time_zone)
    page = contexts.open(PHONE, storage_state=state).new_page()
    page.goto("/today")
    # The diary began 6 days ago; 3 days ago is logged too: 5, 4, 2 and 1 days ago are missing.
    log_by_post(page, today - timedelta(days=6), 3)
    log_by_post(page, today - timedelta(days=3), 5)
    first, second = today - timedelta(days=5), today - timedelta(days=4)

    page.goto("/entries")
    with page.expect_navigation():
        tap(page, "text=Fill in missing days")
    page.goto(f"/entries/calendar?month={first:%Y-%m}")
    problems = check_page(page, "calendar-phone-360")
    missing = page.get_by_role("link", name=f"{day_text(first)}: not logged, fill it in")
    expect(missing).to_have_count(1)

    missing.tap()
    expect(page.locator("#backfill > h2")).to_have_text(f"Fill in {day_text(first)}")
    page.wait_for_function("window.scrollY > 0")  # moved down to the form, not to the top
    assert on_screen(page, "#backfill button[type=submit]"), "Save is below the screen"
    problems += check_page(page, "calendar-backfill-phone-360")
    tap(page, "#backfill #pain_avg-4")
    tap(page, "#backfill button[type=submit]")

    expect(page.locator("#backfill > h2")).to_have_text(f"Next missing day: {day_text(second)}")
    expect(page.locator("#backfill .flash-success")).to_have_text(f"Saved {day_text(first)}.")
    assert [(entry.day, entry.pain_avg) for entry in database.entries(patient.email)] == [
        (today - timedelta(days=6), 3), (first, 4), (today - timedelta(days=3), 5)]
    page.wait_for_function("window.scrollY > 0")  # still at the form, not back at the top
    assert on_screen(page, "#backfill button[type=submit]")
    tap(page, "#backfill #pain_avg-6")
    tap(page, "#backfill button[type=submit]")

    expect(page.locator("#backfill > h2")).to_have_text(
        f"Next missing day: {day_text(today - timedelta(days=2))}")
    assert [(entry.day, entry.pain_avg) for entry in database.entries(patient.email)][1:3] == [
        (first, 4), (second, 6)]
    problems += check_page(page, "calendar-after-two-phone-360")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("name, dark", [("desktop", False), ("phone-360", True)])
def test_the_calendar_with_a_missing_day_open_on_a_desktop_and_in_the_dark(contexts, new_patient,
                                                                            time_zone, name, dark):
    _, state = new_patient()
    today = today_in(time_zone)
    page = contexts.open(VIEWPORTS[name], dark=dark, storage_state=state).new_page()
    page.goto("/today")
    for days_ago, pain in ((9, 8), (7, 0), (6, 3), (4, 5), (3, 7), (2, 10)):
        log_by_post(page, today - timedelta(days=days_ago), pain)
    page.goto(f"/entries/calendar?day={(today - timedelta(days=5)).isoformat()}")
    problems = check_page(page, f"calendar-backfill-{name}{'-dark' if dark else ''}")
    assert problems == [], "\n".join(problems)
