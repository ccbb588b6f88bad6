"""The clinic's dashboard in the real browser, at 360 px and on a desktop: connected patients as
cards on a phone and a table on a desktop, filtered by a flag with a tap, sorted by a heading;
a patient who disconnects is gone from the list at once. Screenshots of both."""

import os

import pyotp
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD
from tests.browser.pages import VIEWPORTS, check_page, tap
from tests.browser.test_clinic import create_clinician

pytestmark = pytest.mark.browser


def signed_in_clinician(contexts, live_server, viewport: str):
    email = f"dr.park.{os.getpid()}@clinic.example.com"
    create_clinician(live_server, email, "Dr Park")
    page = contexts.open(VIEWPORTS[viewport]).new_page()
    page.goto("/clinic/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button.button-primary")
    with page.expect_navigation():
        page.click("button.button-primary")  # set up two-step login
    secret = "".join(page.inner_text("#setup-key").split())
    page.fill("#code", pyotp.TOTP(secret).now())
    with page.expect_navigation():
        page.click("button.button-primary")
    with page.expect_navigation():
        page.click("a.button-primary")
    assert page.url.endswith("/clinic/")
    return page


def connect(contexts, clinic, storage_state) -> object:
    """A connection code made by the clinician, typed by the patient on a phone."""
    with clinic.expect_navigation():
        clinic.click("form[action='/clinic/codes'] button")
    code = clinic.inner_text("#connection-code").strip()
    phone = contexts.open(VIEWPORTS["phone-360"], storage_state=storage_state).new_page()
    phone.goto("/clinicians")
    phone.fill("#code", code)
    with phone.expect_navigation():
        tap(phone, "form[action='/clinicians'] button.button-primary")
    expect(phone.locator(".flash-success")).to_contain_text("can now see your diary")
    return phone


def test_the_dashboard_on_a_phone_and_a_desktop(contexts, live_server, new_patient, clinic_patient):
    clinic = signed_in_clinician(contexts, live_server, "phone-360")
    connect(contexts, clinic, clinic_patient.storage_state)  # six months of diary, two series
    patient, state = new_patient("Noor")  # nothing logged yet
    noor = connect(contexts, clinic, state)

    clinic.goto("/clinic/")
    cards = clinic.locator("table.patients tbody tr")
    expect(cards).to_have_count(2)
    robin = cards.filter(has_text="Robin")
    expect(robin.locator("td[data-label='Latest series']")).not_to_contain_text("no series yet")
    expect(robin.locator("td[data-label='Result']")).to_contain_text("%")
    # Each card is as wide as the screen allows, its values under their names.
    box = robin.bounding_box()
    assert box["width"] <= 360 and box["x"] >= 0
    expect(cards.filter(has_text="Noor").locator("td.flags")).to_contain_text("Not logging: nothing logged yet")
    assert check_page(clinic, "clinic-dashboard-phone-360") == []

    with clinic.expect_navigation():
        tap(clinic, ".flag-filter a[href*='flag=not_logging']")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Noor")
    expect(clinic.locator(".flag-filter a[aria-current=page]")).to_contain_text("Not logging (1)")
    assert check_page(clinic, "clinic-dashboard-filtered-phone-360") == []

    clinic.set_viewport_size({"width": 1280, "height": 800})
    clinic.goto("/clinic/")
    expect(clinic.locator("table.patients thead")).to_be_visible()
    with clinic.expect_navigation():
        clinic.click("table.patients thead a:has-text('Patient')")
    expect(cards.first.locator("th")).to_contain_text("Noor")  # by name, A to Z
    assert check_page(clinic, "clinic-dashboard-desktop") == []

    noor.goto("/clinicians")
    with noor.expect_navigation():
        tap(noor, "button.button-danger")
    clinic.reload()
    expect(cards).to_have_count(1)
    expect(clinic.locator("table.patients")).not_to_contain_text("Noor")
