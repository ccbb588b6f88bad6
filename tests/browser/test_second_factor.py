"""Two-step login in the real browser at 360 px: set it up from the account page, keep the
recovery codes, log out and back in with a code from the app (pyotp, reading the key off the page)."""

import time

import pyotp
import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from diary.models import RecoveryCode, SecondFactor
from tests.browser.conftest import PASSWORD
from tests.browser.pages import VIEWPORTS, check_page, tap

pytestmark = pytest.mark.browser


def test_a_patient_turns_on_two_step_login_and_logs_in_with_a_code(contexts, new_patient, database):
    patient, state = new_patient("Tess")
    page = contexts.open(VIEWPORTS["phone-360"], storage_state=state).new_page()
    page.goto("/account")
    with page.expect_navigation():
        tap(page, "a[href='/account/two-step']")
    with page.expect_navigation():
        tap(page, "button.button-primary")
    expect(page.locator("svg.qr")).to_be_visible()
    assert check_page(page, "two-step-setup-phone-360") == []
    secret = "".join(page.inner_text("#setup-key").split())

    page.fill("#code", pyotp.TOTP(secret).now())
    with page.expect_navigation():
        tap(page, "button.button-primary")
    assert page.url.endswith("/account/two-step/recovery-codes")
    codes = page.locator("ol.recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    assert check_page(page, "two-step-recovery-codes-phone-360") == []
    account_id = database.patient(patient.email).id
    with Session(database.engine) as session:
        assert session.get(SecondFactor, account_id).confirmed_at is not None
        assert len(session.exec(select(RecoveryCode).where(RecoveryCode.patient_id == account_id)).all()) == 10

    page.goto("/account")
    with page.expect_navigation():
        tap(page, "form[action='/logout'] button")
    page.goto("/login")
    page.fill("#email", patient.email)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        tap(page, "button.button-primary")
    assert page.url.endswith("/login/code")
    assert check_page(page, "two-step-login-code-phone-360") == []
    # The setup used this 30-second step's code, which is never taken twice: the app's next one
    # (one step of drift is allowed) logs in.
    page.fill("#code", pyotp.TOTP(secret).at(time.time() + 30))
    with page.expect_navigation():
        tap(page, "button.button-primary")
    assert page.url.endswith("/today")
    assert secret not in page.content()
