"""Clinic mode in the real browser: the admin creates a clinician, who sets up two-step login at
the first login and makes a code; a patient connects with it on a phone, sees the clinician's
visit in the access log and disconnects; the clinician's page of that patient is gone at once.
Screenshots at 360 px and on a desktop."""

import os
import subprocess
import sys

import pyotp
import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from diary.models import ClinicianConnection, ClinicianVisit
from tests.browser.conftest import PASSWORD, ROOT
from tests.browser.pages import VIEWPORTS, check_page, tap

pytestmark = pytest.mark.browser


def create_clinician(live_server, email: str, name: str) -> None:
    """As the admin would, with the command on the server's database."""
    environment = {**os.environ, "DIARY_DATABASE_URL": live_server.database_url,
                   "DIARY_SECRET_KEY": "browser-tests-secret"}
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "admin", "create-clinician", email,
         "--name", name, "--password-stdin"],
        input=PASSWORD + "\n", cwd=ROOT, env=environment, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_clinician_sets_up_two_step_login_and_a_patient_connects_sees_the_visit_and_disconnects(
        contexts, live_server, new_patient, database):
    email = f"dr.lin.{os.getpid()}@clinic.example.com"
    create_clinician(live_server, email, "Dr Lin")
    clinic = contexts.open(VIEWPORTS["desktop"]).new_page()
    clinic.goto("/clinic/login")
    clinic.fill("#email", email)
    clinic.fill("#password", PASSWORD)
    with clinic.expect_navigation():
        clinic.click("button.button-primary")
    assert clinic.url.endswith("/clinic/two-step")
    assert check_page(clinic, "clinic-two-step-required-desktop") == []
    clinic.goto("/clinic/")  # nothing else until two-step login is on
    assert clinic.url.endswith("/clinic/two-step")
    with clinic.expect_navigation():
        clinic.click("button.button-primary")
    expect(clinic.locator("svg.qr")).to_be_visible()
    secret = "".join(clinic.inner_text("#setup-key").split())
    clinic.fill("#code", pyotp.TOTP(secret).now())
    with clinic.expect_navigation():
        clinic.click("button.button-primary")
    assert clinic.locator("ol.recovery-codes li").count() == 10
    with clinic.expect_navigation():
        clinic.click("a.button-primary")
    assert clinic.url.endswith("/clinic/")
    with clinic.expect_navigation():
        clinic.click("form[action='/clinic/codes'] button")
    code = clinic.inner_text("#connection-code").strip()
    assert check_page(clinic, "clinic-home-with-code-desktop") == []

    patient, state = new_patient("Pia")
    phone = contexts.open(VIEWPORTS["phone-360"], storage_state=state).new_page()
    phone.goto("/account")
    with phone.expect_navigation():
        tap(phone, "a[href='/clinicians']")
    assert check_page(phone, "clinicians-empty-phone-360") == []
    phone.fill("#code", code.lower())
    phone.check("input[name=include_notes]")
    with phone.expect_navigation():
        tap(phone, "form[action='/clinicians'] button.button-primary")
    expect(phone.locator(".flash-success")).to_contain_text("Dr Lin can now see your diary (with your notes)")

    clinic.goto("/clinic/")
    with clinic.expect_navigation():
        clinic.click(".patient-list a")
    expect(clinic.locator("h1")).to_have_text("Pain diary summary: Pia")
    patient_url = clinic.url
    assert check_page(clinic, "clinic-patient-report-desktop") == []
    clinic.set_viewport_size({"width": 360, "height": 740})
    clinic.goto("/clinic/")
    assert check_page(clinic, "clinic-home-phone-360") == []

    phone.reload()
    phone.click(".visits summary")
    expect(phone.locator(".visits li")).to_have_count(1)
    assert check_page(phone, "clinicians-connected-phone-360") == []
    with phone.expect_navigation():
        tap(phone, "button.button-danger")
    expect(phone.locator(".flash-success")).to_contain_text("can no longer see your diary")
    assert check_page(phone, "clinicians-disconnected-phone-360") == []
    phone.set_viewport_size({"width": 1280, "height": 800})
    assert check_page(phone, "clinicians-disconnected-desktop") == []

    patient_id = database.patient(patient.email).id
    with Session(database.engine) as session:
        connection = session.exec(select(ClinicianConnection).where(
            ClinicianConnection.patient_id == patient_id)).one()
        assert connection.disconnected_at is not None and connection.include_notes
        assert len(session.exec(select(ClinicianVisit).where(
            ClinicianVisit.connection_id == connection.id)).all()) == 1
    response = clinic.goto(patient_url)
    assert response.status == 404
    assert "Pia" not in clinic.content()


def test_the_clinicians_page_of_a_patient_is_the_report_with_its_charts(
        contexts, live_server, clinic_patient, database):
    """Six months around two series: the same report and charts as the share link, drawn under
    the strict CSP, at 360 px and on a desktop; the notes only once the patient includes them."""
    from tests.browser.test_chart_legibility import drawn_charts

    email = f"dr.ray.{os.getpid()}@clinic.example.com"
    create_clinician(live_server, email, "Dr Ray")
    clinic = contexts.open(VIEWPORTS["phone-360"]).new_page()
    clinic.goto("/clinic/login")
    clinic.fill("#email", email)
    clinic.fill("#password", PASSWORD)
    with clinic.expect_navigation():
        tap(clinic, "button.button-primary")
    with clinic.expect_navigation():
        tap(clinic, "button.button-primary")
    secret = "".join(clinic.inner_text("#setup-key").split())
    clinic.fill("#code", pyotp.TOTP(secret).now())
    with clinic.expect_navigation():
        tap(clinic, "button.button-primary")
    clinic.goto("/clinic/")
    with clinic.expect_navigation():
        tap(clinic, "form[action='/clinic/codes'] button")
    code = clinic.inner_text("#connection-code").strip()

    patient = contexts.open(VIEWPORTS["desktop"], storage_state=clinic_patient.storage_state).new_page()
    patient.goto("/clinicians")
    patient.fill("#code", code)
    with patient.expect_navigation():
        patient.click("form[action='/clinicians'] button.button-primary")

    clinic.goto("/clinic/")
    with clinic.expect_navigation():
        tap(clinic, ".patient-list a")
    shared = contexts.open(VIEWPORTS["phone-360"]).new_page()
    shared.goto(clinic_patient.share_path)
    # The same report as the share link: the same first screen, word for word.
    assert clinic.inner_text(".report-top") == shared.inner_text(".report-top")
    assert len(drawn_charts(clinic)) >= 2
    assert check_page(clinic, "clinic-patient-charts-phone-360") == []
    clinic.set_viewport_size({"width": 1280, "height": 800})
    clinic.reload()
    drawn_charts(clinic)
    assert check_page(clinic, "clinic-patient-charts-desktop") == []
    with Session(database.engine) as session:
        patient_id = database.patient(clinic_patient.patient.email).id
        connection = session.exec(select(ClinicianConnection).where(
            ClinicianConnection.patient_id == patient_id,
            ClinicianConnection.disconnected_at.is_(None))).one()
        assert len(session.exec(select(ClinicianVisit).where(
            ClinicianVisit.connection_id == connection.id)).all()) == 2
