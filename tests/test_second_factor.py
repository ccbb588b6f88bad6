"""Two-step login: setting up an authenticator, the login's code step, recovery codes, turning off.

Codes are computed with pyotp from the key the setup page shows, as a patient's app would. The
clock fixture fixes "now", so a code's 30-second step is known and replay can be tested.
"""

import logging
from datetime import datetime, timedelta, timezone

import pyotp
import pytest
from sqlmodel import select

from diary.models import RecoveryCode, SecondFactor
from diary.security import hash_random_code
from tests.conftest import PASSWORD
from tests.html import field_error, parse, title
from tests.routes import turn_on_second_factor

NOW = "2026-03-01T10:00:05"  # 5 s into a 30-second step


def code_at(secret: str, when: str, seconds: int = 0) -> str:
    instant = datetime.fromisoformat(when).replace(tzinfo=timezone.utc) + timedelta(seconds=seconds)
    return pyotp.TOTP(secret).at(instant)


def password_step(client, email="alice@example.com", **extra):
    return client.post("/login" + extra.pop("query", ""),
                       data={"email": email, "password": PASSWORD, **extra})


@pytest.fixture
def enrolled(as_alice, clock):
    """Alice with two-step login on, logged out again; her key and recovery codes."""
    clock.set(NOW)
    secret, codes = turn_on_second_factor(as_alice)
    as_alice.post("/logout")
    clock.set("2026-03-01T10:01:05")  # two steps later: the setup code is in the past
    return secret, codes


def factor(db, patient_id):
    db.expire_all()
    return db.get(SecondFactor, patient_id)


def test_setup_shows_a_qr_code_and_the_key_and_turns_on_only_after_a_right_code(as_alice, alice, db, clock):
    clock.set(NOW)
    page = parse(as_alice.get("/account/two-step"))
    assert page.find("form", action="/account/two-step/start")
    assert factor(db, alice.id) is None

    assert as_alice.post("/account/two-step/start").status_code == 302
    response = as_alice.get("/account/two-step")
    page = parse(response)
    assert page.find("svg", class_="qr")["aria-label"] == "QR code to scan with your authenticator app"
    secret = "".join(page.find(id="setup-key").get_text().split())
    assert factor(db, alice.id).secret == secret and factor(db, alice.id).confirmed_at is None

    wrong = as_alice.post("/account/two-step/confirm", data={"code": "000000"})
    assert wrong.status_code == 422
    assert field_error(wrong, "code") == "This code is not right. Type the 6 digits your app shows now."
    assert factor(db, alice.id).confirmed_at is None
    # Not on yet: a mis-scanned key locks nobody out.
    as_alice.post("/logout")
    assert password_step(as_alice).location == "/today"

    response = as_alice.post("/account/two-step/confirm", data={"code": code_at(secret, NOW)})
    assert response.location == "/account/two-step/recovery-codes"
    assert factor(db, alice.id).confirmed_at is not None
    codes_page = as_alice.get(response.location)
    assert title(codes_page) == "Your recovery codes"
    codes = [item.get_text(strip=True) for item in parse(codes_page).select("ol.recovery-codes li")]
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = db.exec(select(RecoveryCode).where(RecoveryCode.patient_id == alice.id)).all()
    assert len(stored) == 10
    assert all(len(row.code_hash) == 64 and row.used_at is None for row in stored)
    assert {row.code_hash for row in stored} == {hash_random_code(code.replace("-", "")) for code in codes}
    # Shown once; and the key never again.
    assert as_alice.get("/account/two-step/recovery-codes").location == "/account/two-step"
    for path in ("/account/two-step", "/account"):
        body = as_alice.get(path).get_data(as_text=True)
        assert secret not in body and "setup-key" not in body and codes[0] not in body
    assert "10 unused recovery codes" in parse(as_alice.get("/account/two-step")).get_text(" ", strip=True)


def test_starting_again_before_confirming_gives_a_new_key(as_alice, alice, db):
    as_alice.post("/account/two-step/start")
    first = factor(db, alice.id).secret
    as_alice.post("/account/two-step/start")
    assert factor(db, alice.id).secret != first
    assert as_alice.post("/account/two-step/confirm",
                         data={"code": pyotp.TOTP(first).now()}).status_code == 422


def test_the_password_alone_opens_no_session(client, enrolled, clock):
    response = password_step(client)
    assert response.status_code == 302 and response.location == "/login/code"
    assert client.get("/today").location.startswith("/login")
    assert title(client.get("/login/code")) == "Enter your code"
    assert client.get("/account/two-step").status_code == 302


def test_the_code_from_the_app_finishes_the_login(client, enrolled, alice, db):
    secret, _ = enrolled
    password_step(client, query="?next=/treatments/series")
    response = client.post("/login/code", data={"code": code_at(secret, "2026-03-01T10:01:05")})
    assert response.status_code == 302 and response.location == "/treatments/series"
    assert client.get("/today").status_code == 200
    assert factor(db, alice.id).last_used_step == int(datetime(2026, 3, 1, 10, 1, 5, tzinfo=timezone.utc)
                                                       .timestamp()) // 30


def test_a_code_is_accepted_only_once(app, enrolled, clock):
    secret, _ = enrolled
    code = code_at(secret, "2026-03-01T10:01:05")
    first, second = app.test_client(), app.test_client()
    password_step(first)
    password_step(second)
    assert first.post("/login/code", data={"code": code}).status_code == 302
    replay = second.post("/login/code", data={"code": code})
    assert replay.status_code == 401
    assert "This code is not right" in field_error(replay, "code")
    assert second.get("/today").status_code == 302
    clock.set("2026-03-01T10:01:35")  # the next step's code works
    assert second.post("/login/code", data={"code": code_at(secret, "2026-03-01T10:01:35")}).status_code == 302


@pytest.mark.parametrize("drift, accepted", [(-60, False), (-30, True), (0, True), (30, True), (60, False)])
def test_one_step_of_clock_drift_either_way_is_accepted(client, enrolled, drift, accepted):
    secret, _ = enrolled
    password_step(client)
    response = client.post("/login/code", data={"code": code_at(secret, "2026-03-01T10:01:05", drift)})
    assert response.status_code == (302 if accepted else 401)


def test_an_older_step_than_the_last_used_one_is_refused(client, enrolled):
    secret, _ = enrolled
    password_step(client)
    assert client.post("/login/code", data={"code": code_at(secret, "2026-03-01T10:01:05", 30)}).status_code == 302
    client.post("/logout")
    password_step(client)
    assert client.post("/login/code", data={"code": code_at(secret, "2026-03-01T10:01:05")}).status_code == 401


def test_a_recovery_code_logs_in_once(app, enrolled, alice, db):
    _, codes = enrolled
    client = app.test_client()
    password_step(client)
    typed = codes[3].lower().replace("-", " ")  # as typed from paper
    response = client.post("/login/code", data={"code": typed})
    assert response.location == "/today"
    assert "9 are left" in client.get("/today").get_data(as_text=True)
    db.expire_all()
    used = db.exec(select(RecoveryCode).where(RecoveryCode.used_at.is_not(None))).all()
    assert [row.patient_id for row in used] == [alice.id]
    again = app.test_client()
    password_step(again)
    assert again.post("/login/code", data={"code": codes[3]}).status_code == 401


def test_the_code_step_runs_out_after_five_minutes(client, enrolled, clock):
    secret, _ = enrolled
    password_step(client)
    clock.set("2026-03-01T10:06:06")
    response = client.post("/login/code", data={"code": code_at(secret, "2026-03-01T10:06:06")})
    assert response.status_code == 302 and response.location == "/login"
    assert client.get("/today").status_code == 302
    assert "within 5 minutes" in client.get("/login").get_data(as_text=True)


def test_remember_me_carries_through_the_code_step(app, client, enrolled):
    secret, _ = enrolled
    password_step(client, remember="yes")
    assert client.get_cookie("remember_token") is None
    client.post("/login/code", data={"code": code_at(secret, "2026-03-01T10:01:05")})
    remembered = client.get_cookie("remember_token")
    assert remembered is not None
    other = app.test_client()
    other.set_cookie("remember_token", remembered.value)
    assert other.get("/today").status_code == 200


def test_another_patients_code_does_not_finish_alices_login(app, enrolled, charlie, clock):
    secret, _ = enrolled
    charlies_client = app.test_client()
    password_step(charlies_client, "charlie@example.com")
    charlies_secret, charlies_codes = turn_on_second_factor(charlies_client)
    client = app.test_client()
    password_step(client)
    assert client.post("/login/code", data={"code": code_at(charlies_secret, "2026-03-01T10:01:05")}).status_code == 401
    assert client.post("/login/code", data={"code": charlies_codes[0]}).status_code == 401
    assert client.get("/today").status_code == 302


def test_wrong_codes_are_limited_per_account(make_app, alice, clock):
    clock.set(NOW)
    app = make_app(RATELIMIT_SECOND_FACTOR_PER_ACCOUNT="3 per hour")
    client = app.test_client()
    password_step(client)
    secret, _ = turn_on_second_factor(client)
    client.post("/logout")
    clock.set("2026-03-01T10:01:05")
    password_step(client)
    for _ in range(3):
        assert client.post("/login/code", data={"code": "123456"}).status_code == 401
    assert client.post("/login/code", data={"code": "123456"}).status_code == 429
    # From another browser too, and even the right code waits.
    other = app.test_client()
    password_step(other)
    assert other.post("/login/code", data={"code": code_at(secret, "2026-03-01T10:01:05")}).status_code == 429
    assert other.get("/today").status_code == 302


def test_wrong_codes_count_against_the_address_like_wrong_passwords(make_app, alice, clock):
    clock.set(NOW)
    app = make_app(RATELIMIT_LOGIN_PER_IP="2 per hour")
    client = app.test_client()
    password_step(client)
    turn_on_second_factor(client)
    client.post("/logout")
    password_step(client)
    assert [client.post("/login/code", data={"code": "123456"}).status_code for _ in range(3)] == [401, 401, 429]


def test_turning_off_needs_the_password(client, enrolled, alice, db):
    secret, _ = enrolled
    password_step(client)
    client.post("/login/code", data={"code": code_at(secret, "2026-03-01T10:01:05")})
    wrong = client.post("/account/two-step/off", data={"off_password": "not my password"})
    assert wrong.status_code == 422 and field_error(wrong, "off_password") == "Your password is not right"
    assert factor(db, alice.id).confirmed_at is not None
    assert client.post("/account/two-step/off", data={"off_password": PASSWORD}).location == "/account/two-step"
    assert factor(db, alice.id) is None
    assert db.exec(select(RecoveryCode)).all() == []
    client.post("/logout")
    assert password_step(client).location == "/today"


def test_new_recovery_codes_need_the_password_and_replace_the_old_ones(app, client, enrolled, db):
    secret, old_codes = enrolled
    password_step(client)
    client.post("/login/code", data={"code": code_at(secret, "2026-03-01T10:01:05")})
    wrong = client.post("/account/two-step/recovery-codes", data={"codes_password": "nope"})
    assert wrong.status_code == 422 and field_error(wrong, "codes_password") == "Your password is not right"
    before = {row.code_hash for row in db.exec(select(RecoveryCode)).all()}
    response = client.post("/account/two-step/recovery-codes", data={"codes_password": PASSWORD})
    new_codes = [item.get_text(strip=True) for item in
                 parse(client.get(response.location)).select("ol.recovery-codes li")]
    db.expire_all()
    after = {row.code_hash for row in db.exec(select(RecoveryCode)).all()}
    assert len(new_codes) == 10 and len(after) == 10 and not before & after
    other = app.test_client()
    password_step(other)
    assert other.post("/login/code", data={"code": old_codes[0]}).status_code == 401
    assert other.post("/login/code", data={"code": new_codes[0]}).status_code == 302


def test_changing_the_password_keeps_two_step_login(client, enrolled, alice, db, clock):
    secret, _ = enrolled
    password_step(client)
    client.post("/login/code", data={"code": code_at(secret, "2026-03-01T10:01:05")})
    assert client.post("/account/password", data={"current_password": PASSWORD,
                                                   "new_password": "a new long password"}).status_code == 302
    assert factor(db, alice.id).confirmed_at is not None
    client.post("/logout")
    response = client.post("/login", data={"email": "alice@example.com", "password": "a new long password"})
    assert response.location == "/login/code"


def test_a_password_change_elsewhere_ends_a_login_waiting_for_its_code(app, client, enrolled, clock):
    secret, _ = enrolled
    password_step(client)
    other = app.test_client()
    password_step(other)
    other.post("/login/code", data={"code": code_at(secret, "2026-03-01T10:01:05")})
    other.post("/account/password", data={"current_password": PASSWORD, "new_password": "a new long password"})
    clock.set("2026-03-01T10:01:35")
    response = client.post("/login/code", data={"code": code_at(secret, "2026-03-01T10:01:35")})
    assert response.location == "/login" and client.get("/today").status_code == 302


def test_the_key_never_reaches_the_logs_or_the_export(as_alice, clock, caplog):
    caplog.set_level(logging.DEBUG)
    clock.set(NOW)
    secret, codes = turn_on_second_factor(as_alice)
    as_alice.post("/logout")
    clock.set("2026-03-01T10:01:05")
    password_step(as_alice)
    as_alice.post("/login/code", data={"code": "999999"})
    as_alice.post("/login/code", data={"code": code_at(secret, "2026-03-01T10:01:05")})
    assert "two-step login" in caplog.text and "logged in with a code" in caplog.text
    export = as_alice.get("/export/diary.zip").get_data()
    fhir = as_alice.get("/export/fhir.json").get_data(as_text=True)
    for text in (caplog.text, export.decode("latin-1"), fhir):
        assert secret not in text and codes[0] not in text


def test_the_code_step_without_a_password_first_sends_to_the_login(client):
    assert client.get("/login/code").location == "/login"
    assert client.post("/login/code", data={"code": "123456"}).location == "/login"
