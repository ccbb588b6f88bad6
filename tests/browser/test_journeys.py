"""What a patient does, end to end, on two phone sizes and a desktop, in the real browser.

A journey taps (or clicks, on the desktop) through the real pages served by the real server and
checks the database after every save. To add one: write a test taking ``contexts``, ``viewport``
(it then runs once per viewport) and ``database``; open a context with ``contexts.open(viewport)``,
move with ``tap``, and call ``check_page`` on each new page you reach.
"""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from diary.days import today_in
from tests.browser.conftest import PASSWORD
from tests.browser.pages import VIEWPORTS, check_page, tap

pytestmark = pytest.mark.browser

SCALES = ("pain_avg", "pain_worst", "interference_enjoyment", "interference_activity", "mood",
          "sleep_quality")


def register(page, name: str, email: str) -> None:
    page.goto("/register")
    page.fill("#display_name", name)
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        tap(page, "button[type=submit]")


def saved(page, message: str) -> None:
    """Wait for the message that says what was saved (the page before may have shown another)."""
    expect(page.locator(".flash-success")).to_contain_text(message)


def quick_log(page, pain: int) -> None:
    """Log today's average pain as a patient does: the number, then Save."""
    page.goto("/today")
    tap(page, f"#pain_avg-{pain}")
    tap(page, "button.button-primary")
    saved(page, f"Saved: pain {pain}")


def test_a_patient_registers_logs_today_and_yesterday_and_edits_in_place(
        viewport, contexts, database, time_zone):
    email = f"journey-{viewport.name}@example.com"
    today = today_in(time_zone)
    yesterday = today - timedelta(days=1)
    context = contexts.open(viewport)
    page = context.new_page()

    register(page, "Alice", email)
    assert page.url.endswith("/today")
    assert database.patient(email).time_zone == time_zone  # filled in from the phone

    # The quick log: one tap on the scale, one on Save.
    taps = 0
    for target in ("#pain_avg-6", "button.button-primary"):
        tap(page, target)
        taps += 1
    saved(page, f"Saved: pain 6 on {today:%A %-d %B}.")
    assert taps <= 3
    assert page.url.endswith("/today")
    [entry] = database.entries(email)
    assert (entry.day, entry.pain_avg, entry.pain_worst) == (today, 6, None)

    # A full entry for yesterday, from the link under the form.
    with page.expect_navigation():
        tap(page, "text=Log an earlier day")
    assert page.input_value("#day") == yesterday.isoformat()
    for target in ("#pain_avg-5", "#pain_worst-8", "#interference_enjoyment-6",
                   "#interference_activity-7", "#mood-4", "#sleep_quality-3",
                   "#se_nausea-moderate", "#se_dissociation-mild"):
        tap(page, target)
    page.fill("#notes", "Infusion day. Slept badly.")
    tap(page, "button.button-primary")
    saved(page, f"Saved: pain 5 on {yesterday:%A %-d %B}.")
    assert "/entries" in page.url
    yesterdays = database.entries(email)[0]
    assert yesterdays.day == yesterday and yesterdays.notes == "Infusion day. Slept badly."
    assert [getattr(yesterdays, name) for name in SCALES] == [5, 8, 6, 7, 4, 3]
    assert database.side_effects(yesterdays.id) == {"nausea": 2, "dissociation": 1}
    problems = check_page(page, f"journey-history-{viewport.name}")

    # Change yesterday in place in the history: the row becomes the form, then the row again.
    row = f"#entry-{yesterdays.id}"
    tap(page, f"{row} a.button-small")
    page.wait_for_selector(f"{row}.editing")
    tap(page, f"{row} #pain_avg-3")
    tap(page, f"{row} button.button-primary")
    expect(page.locator(row)).not_to_have_class("entry-row editing")
    assert "/entries" in page.url
    assert "Average pain 3" in " ".join(page.locator(row).inner_text().split())
    assert database.entries(email)[0].pain_avg == 3
    assert database.side_effects(yesterdays.id) == {"nausea": 2, "dissociation": 1}
    assert problems == [], "\n".join(problems)


def test_bad_input_shows_its_message_next_to_the_field_and_keeps_what_was_typed(
        viewport, contexts, new_patient, database, time_zone):
    patient, state = new_patient()
    tomorrow = today_in(time_zone) + timedelta(days=1)
    page = contexts.open(viewport, storage_state=state).new_page()
    page.goto("/entries/new")
    page.fill("#day", tomorrow.isoformat())
    tap(page, "#mood-7")
    page.fill("#notes", "Typed before the mistake")
    tap(page, "button.button-primary")

    page.wait_for_selector(".error-summary")
    day_error = page.locator("#day-error")
    assert "Date cannot be in the future" in day_error.inner_text()
    # Next to its field: inside the same field block, just above the input it describes.
    assert page.locator(".field-invalid").filter(has=page.locator("#day")).locator("#day-error").count() == 1
    assert "day-error" in page.get_attribute("#day", "aria-describedby")
    assert "Choose a number from 0 to 10" in page.locator("#pain_avg-error").inner_text()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert page.input_value("#day") == tomorrow.isoformat()
    assert page.is_checked("#mood-7")
    assert page.input_value("#notes") == "Typed before the mistake"
    assert page.title().startswith("Error:")
    assert database.entries(patient.email) == []
    problems = check_page(page, f"journey-bad-input-{viewport.name}")
    assert problems == [], "\n".join(problems)


def test_a_second_device_logs_in_and_sees_the_same_diary(contexts, new_patient, database, time_zone):
    patient, state = new_patient("Bea")
    phone = contexts.open(VIEWPORTS["phone-360"], storage_state=state).new_page()
    quick_log(phone, 4)
    assert [entry.pain_avg for entry in database.entries(patient.email)] == [4]

    laptop = contexts.open(VIEWPORTS["desktop"]).new_page()
    laptop.goto("/entries")
    assert laptop.url.endswith("/login?next=%2Fentries")
    laptop.fill("#email", patient.email)
    laptop.fill("#password", patient.password)
    with laptop.expect_navigation():
        laptop.click("button[type=submit]")
    assert laptop.url.endswith("/entries")
    [row] = laptop.locator(".entry-row").all()
    assert today_in(time_zone).strftime("%A %-d %B %Y") in row.inner_text()
    assert "Average pain 4" in " ".join(row.inner_text().split())


def test_a_share_link_opens_in_a_fresh_browser_and_is_dead_once_revoked(contexts, new_patient, database):
    patient, state = new_patient("Eve")
    page = contexts.open(VIEWPORTS["phone-360"], storage_state=state).new_page()
    quick_log(page, 5)
    with page.expect_navigation():
        tap(page, "nav >> text=Share")
    page.fill("#label", "Dr. Lin")
    with page.expect_navigation():
        tap(page, "button.button-primary")
    link_url = page.input_value("#share-url")
    [link] = database.share_links(patient.email)
    assert (link.label, link.revoked_at) == ("Dr. Lin", None)

    clinician = contexts.open(VIEWPORTS["desktop"]).new_page()
    assert clinician.goto(link_url).status == 200
    assert clinician.locator("h1").inner_text() == f"Pain diary summary: {patient.name}"
    assert patient.email not in clinician.content()

    with page.expect_navigation():
        tap(page, "text=Stop this link")
    with page.expect_navigation():
        tap(page, "button.button-danger")
    expect(page.locator(".flash-success")).to_contain_text("no longer works")
    assert database.share_links(patient.email)[0].revoked_at is not None

    assert clinician.reload().status == 410
    assert clinician.locator("h1").inner_text() == "This link has expired or was revoked"
    assert patient.name not in clinician.inner_text("main")


def test_a_day_is_deleted_from_the_history_inline_editor_after_asking(contexts, new_patient, database):
    patient, state = new_patient("Dora")
    page = contexts.open(VIEWPORTS["phone-360"], storage_state=state).new_page()
    quick_log(page, 5)
    [entry] = database.entries(patient.email)
    page.goto("/entries")
    row = f"#entry-{entry.id}"
    tap(page, f"{row} a.button-small")
    page.wait_for_selector(f"{row}.editing")
    tap(page, f"{row} >> text=Delete this day")
    expect(page.locator(f"{row} h2").first).to_contain_text("Delete")
    problems = check_page(page, "history-delete-asks-phone-360")
    assert database.entries(patient.email) != []  # asking deletes nothing
    tap(page, f"{row} button.button-danger")
    expect(page.locator(row)).to_contain_text("is deleted")
    assert page.url.endswith("/entries")
    assert database.entries(patient.email) == []
    problems += check_page(page, "history-delete-done-phone-360")
    assert problems == [], "\n".join(problems)
