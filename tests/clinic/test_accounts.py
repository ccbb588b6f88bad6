"""Clinician accounts: made by the admin or with a clinician invite, a second factor before
anything else, sessions that never open a patient's pages, and a lost second factor removed."""

from datetime import timedelta

import pyotp
import pytest
from sqlmodel import select

from diary import days
from diary.models import Clinician, ClinicianRecoveryCode, ClinicianSecondFactor, RecoveryCode, SecondFactor
from tests.clinic.personas import enrolled, make_clinician, setup_key
from tests.conftest import PASSWORD
from tests.html import field_error, parse, title
from tests.routes import turn_on_second_factor


def run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=["admin", *args], input=input)


def test_the_admin_creates_a_clinician_who_has_no_diary(app, db):
    result = run(app, "create-clinician", "Doctor@Example.com", "--name", "Dr Grey", "--password-stdin",
                 input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    clinician = db.exec(select(Clinician)).one()
    assert (clinician.email, clinician.display_name) == ("doctor@example.com", "Dr Grey")
    assert clinician.password_hash != PASSWORD
    # No diary: the patients' login does not know the address.
    assert app.test_client().post("/login", data={"email": "doctor@example.com",
                                                  "password": PASSWORD}).status_code == 401
    again = run(app, "create-clinician", "doctor@example.com", "--name", "X", "--password-stdin",
                input=PASSWORD + "\n")
    assert again.exit_code != 0 and "already exists" in again.output
    assert len(db.exec(select(Clinician)).all()) == 1


def test_a_bad_email_or_short_password_creates_no_clinician(app, db):
    assert run(app, "create-clinician", "not-an-email", "--name", "X", "--password-stdin",
               input=PASSWORD + "\n").exit_code != 0
    assert run(app, "create-clinician", "a@example.com", "--name", "X", "--password-stdin",
               input="short\n").exit_code != 0
    assert db.exec(select(Clinician)).all() == []


def test_at_first_login_the_clinician_sees_nothing_until_two_step_login_is_on(app, db, alice):
    make_clinician(app)
    client = app.test_client()
    response = client.post("/clinic/login", data={"email": "doctor@example.com", "password": PASSWORD})
    assert response.location == "/clinic/two-step"
    for path in ("/clinic/", f"/clinic/patients/{alice.id}", "/clinic/two-step/recovery-codes"):
        assert client.get(path).location == "/clinic/two-step", path
    assert client.post("/clinic/codes").location == "/clinic/two-step"
    assert client.get("/today").location.startswith("/login")  # and no patient's pages either
    assert client.post("/clinic/two-step/start").status_code == 302
    secret = setup_key(client)
    wrong = client.post("/clinic/two-step/confirm", data={"code": "000000"})
    assert wrong.status_code == 422 and client.get("/clinic/").location == "/clinic/two-step"
    confirmed = client.post("/clinic/two-step/confirm", data={"code": pyotp.TOTP(secret).now()})
    assert confirmed.location == "/clinic/two-step/recovery-codes"
    codes = parse(client.get(confirmed.location)).select("ol.recovery-codes li")
    assert len(codes) == 10
    assert client.get("/clinic/").status_code == 200
    factor = db.exec(select(ClinicianSecondFactor)).one()
    assert factor.confirmed_at is not None and factor.clinician_id == db.exec(select(Clinician.id)).one()
    assert len(db.exec(select(ClinicianRecoveryCode)).all()) == 10
    assert db.exec(select(SecondFactor)).all() == []  # the patients' tables hold nothing of it


def test_once_on_every_login_needs_the_code_or_a_recovery_code(app, clock):
    clock.set("2026-12-01T09:00")
    login = enrolled(app)
    client = app.test_client()
    assert client.post("/clinic/login", data={"email": login.clinician.email, "password": PASSWORD}
                       ).location == "/clinic/login/code"
    assert client.get("/clinic/").location.startswith("/clinic/login")  # not in before the code
    wrong = client.post("/clinic/login/code", data={"code": "123456"})
    assert wrong.status_code == 401 and field_error(wrong, "code").startswith("This code is not right")
    clock.set("2026-12-01T09:02")
    right = client.post("/clinic/login/code", data={"code": pyotp.TOTP(login.secret).at(days.utc_now())})
    assert right.location == "/clinic/"
    assert client.get("/clinic/").status_code == 200
    other = app.test_client()
    other.post("/clinic/login", data={"email": login.clinician.email, "password": PASSWORD})
    assert other.post("/clinic/login/code", data={"code": login.recovery_codes[0]}).location == "/clinic/"
    third = app.test_client()
    third.post("/clinic/login", data={"email": login.clinician.email, "password": PASSWORD})
    assert third.post("/clinic/login/code", data={"code": login.recovery_codes[0]}).status_code == 401


def test_a_wrong_password_is_one_generic_message(app):
    make_clinician(app)
    for email in ("doctor@example.com", "nobody@example.com"):
        response = app.test_client().post("/clinic/login", data={"email": email, "password": "wrong password"})
        assert response.status_code == 401
        assert field_error(response, "email") == "Email or password is not right. Please try again."


def test_wrong_codes_are_rate_limited_per_clinician(make_app):
    app = make_app(RATELIMIT_SECOND_FACTOR_PER_ACCOUNT="3 per hour")
    login = enrolled(app)
    client = app.test_client()
    client.post("/clinic/login", data={"email": login.clinician.email, "password": PASSWORD})
    statuses = [client.post("/clinic/login/code", data={"code": "000000"}).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_a_patients_session_and_a_clinicians_are_never_one_another(app, as_alice, alice):
    """Logging in as one kind ends the other's session in that browser, and neither opens the
    other's pages."""
    assert as_alice.get("/clinic/").location.startswith("/clinic/login")
    login = enrolled(app)
    assert login.client.get("/today").location.startswith("/login")
    assert login.client.get("/account").location.startswith("/login")
    # The clinician logs in on Alice's browser: Alice is logged out there.
    as_alice.post("/clinic/login", data={"email": login.clinician.email, "password": PASSWORD})
    assert as_alice.get("/today").location.startswith("/login")
    # Alice logs in again: the clinician's waiting login is gone.
    as_alice.post("/login", data={"email": alice.email, "password": PASSWORD})
    assert as_alice.get("/clinic/login/code").location == "/clinic/login"


def test_a_clinician_with_a_patients_id_in_the_session_is_nobody(app, alice, db):
    """A session crafted with a clinician's id under the patients' key (or the other way) opens
    nothing: ids of the two kinds live under different keys with their own secrets."""
    login = enrolled(app)
    clinician = db.get(Clinician, login.clinician.id)
    forged = app.test_client()
    with forged.session_transaction() as session:
        session["_user_id"] = f"{clinician.id}:{clinician.session_secret}"
    assert forged.get("/today").location.startswith("/login")
    with forged.session_transaction() as session:
        session.clear()
        session["clinician"] = {"id": alice.id, "secret": alice.session_secret, "verified": True}
    assert forged.get("/clinic/").location.startswith("/clinic/login")


def test_logging_out_ends_every_session_of_the_clinician(app):
    login = enrolled(app)
    copy = app.test_client()
    copy.set_cookie("session", login.client.get_cookie("session").value)
    assert copy.get("/clinic/").status_code == 200
    assert login.client.post("/clinic/logout").location == "/clinic/login"
    assert login.client.get("/clinic/").location.startswith("/clinic/login")
    assert copy.get("/clinic/").location.startswith("/clinic/login")


def test_a_clinician_invite_makes_a_clinician_and_only_at_the_clinics_page(app, db):
    result = run(app, "invite", "create", "--clinician")
    assert result.exit_code == 0, result.output
    code = result.output.split("Invite code: ")[1].split()[0]
    assert "clinician" in run(app, "invite", "list").output
    run(app, "registration", "invite")
    patient_try = app.test_client().post("/register", data={
        "invite_code": code, "display_name": "Eve", "email": "eve@example.com", "password": PASSWORD,
        "time_zone": "UTC"})
    assert patient_try.status_code == 422 and "not right" in field_error(patient_try, "invite_code")
    client = app.test_client()
    response = client.post("/clinic/register", data={
        "invite_code": code.lower(), "display_name": "Dr Grey", "email": "grey@example.com",
        "password": PASSWORD})
    assert response.location == "/clinic/two-step"
    assert db.exec(select(Clinician.email)).all() == ["grey@example.com"]
    again = app.test_client().post("/clinic/register", data={
        "invite_code": code, "display_name": "Dr Two", "email": "two@example.com", "password": PASSWORD})
    assert again.status_code == 422 and "already been used" in field_error(again, "invite_code")
    assert len(db.exec(select(Clinician)).all()) == 1


def test_a_patient_invite_makes_no_clinician(app, db):
    code = run(app, "invite", "create").output.split("Invite code: ")[1].split()[0]
    response = app.test_client().post("/clinic/register", data={
        "invite_code": code, "display_name": "Dr X", "email": "x@example.com", "password": PASSWORD})
    assert response.status_code == 422 and title(response) == "Create your clinician account"
    assert db.exec(select(Clinician)).all() == []


def test_the_admin_removes_a_clinicians_lost_second_factor_and_logs_them_out(app, db):
    login = enrolled(app)
    result = run(app, "remove-second-factor", "--clinician", login.clinician.email)
    assert result.exit_code == 0 and "Removed the second factor" in result.output
    assert db.exec(select(ClinicianSecondFactor)).all() == []
    assert db.exec(select(ClinicianRecoveryCode)).all() == []
    assert login.client.get("/clinic/").location.startswith("/clinic/login")
    again = app.test_client()
    response = again.post("/clinic/login", data={"email": login.clinician.email, "password": PASSWORD})
    assert response.location == "/clinic/two-step"  # sets up a new one before anything else
    assert again.get("/clinic/").location == "/clinic/two-step"


def test_the_admin_removes_a_patients_lost_second_factor(app, db, as_alice, alice):
    turn_on_second_factor(as_alice)
    assert run(app, "remove-second-factor", "nobody@example.com").exit_code != 0
    result = run(app, "remove-second-factor", alice.email)
    assert result.exit_code == 0, result.output
    assert db.exec(select(SecondFactor)).all() == [] and db.exec(select(RecoveryCode)).all() == []
    assert as_alice.get("/today").location.startswith("/login")  # logged out everywhere
    login = app.test_client().post("/login", data={"email": alice.email, "password": PASSWORD})
    assert login.location == "/today"  # the password alone again


@pytest.mark.parametrize("removed", ["clinician", "patient"])
def test_removing_a_second_factor_leaves_the_other_kind_alone(app, db, as_alice, alice, removed):
    turn_on_second_factor(as_alice)
    login = enrolled(app, email=alice.email)  # the same address, as a clinician too
    if removed == "clinician":
        run(app, "remove-second-factor", "--clinician", alice.email)
        assert len(db.exec(select(SecondFactor)).all()) == 1
        assert as_alice.get("/today").status_code == 200
    else:
        run(app, "remove-second-factor", alice.email)
        assert len(db.exec(select(ClinicianSecondFactor)).all()) == 1
        assert login.client.get("/clinic/").status_code == 200


def test_list_clinicians_counts_connected_patients(app):
    make_clinician(app)
    output = run(app, "list-clinicians").output
    assert "doctor@example.com" in output and "Dr Grey" in output


def test_a_recovery_code_login_after_the_window_runs_out_starts_again(app, clock):
    clock.set("2026-12-01T09:00")
    login = enrolled(app)
    client = app.test_client()
    client.post("/clinic/login", data={"email": login.clinician.email, "password": PASSWORD})
    clock.set((days.utc_now() + timedelta(minutes=6)).replace(tzinfo=None).isoformat())
    response = client.post("/clinic/login/code", data={"code": login.recovery_codes[0]})
    assert response.location == "/clinic/login"
