"""Accounts: register, log in and out, remember me, change password."""

import pytest

from tests.conftest import PASSWORD, find_user
from tests.html import field_error, summary_errors

GOOD = {"email": "Dana@Example.com", "display_name": "Dana", "password": "longenough",
        "time_zone": "Pacific/Honolulu"}


def test_register_creates_the_account_and_logs_in(client, db):
    response = client.post("/register", data=GOOD)
    assert response.status_code == 302 and response.location == "/today"
    user = find_user(db, "dana@example.com")
    assert user.display_name == "Dana" and user.time_zone == "Pacific/Honolulu"
    assert user.password_hash.startswith("$argon2id$")
    assert client.get("/today").status_code == 200


@pytest.mark.parametrize("field, value, message", [
    ("email", "", "Enter email address"),
    ("email", "not-an-email", "Enter an email address like name@example.com"),
    ("display_name", "", "Enter your name"),
    ("display_name", "x" * 81, "Your name must be 80 characters or fewer (you typed 81)"),
    ("password", "short", "Password must be at least 8 characters"),
    ("time_zone", "Mars/Olympus", "Choose your time zone from the list"),
])
def test_register_rejects_bad_input_next_to_the_field(client, db, field, value, message):
    response = client.post("/register", data={**GOOD, field: value})
    assert response.status_code == 422
    assert field_error(response, field) == message
    assert message in summary_errors(response)
    assert find_user(db, "dana@example.com") is None


def test_register_keeps_what_was_typed_but_never_the_password(client):
    response = client.post("/register", data={**GOOD, "password": "short"})
    html = response.get_data(as_text=True)
    assert 'value="Dana"' in html and "short" not in html


def test_register_twice_with_one_email_is_refused(client, alice, db):
    response = client.post("/register", data={**GOOD, "email": "ALICE@example.com"})
    assert response.status_code == 422
    assert "already exists" in field_error(response, "email")


def test_login_and_logout(client, auth, alice):
    response = auth.login("alice@example.com")
    assert response.status_code == 302 and response.location == "/today"
    assert client.get("/today").status_code == 200
    auth.logout()
    response = client.get("/today")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_login_is_case_insensitive_for_the_email(client, auth, alice):
    assert auth.login("ALICE@Example.com").location == "/today"


def test_login_never_says_whether_an_email_is_registered(client, auth, alice):
    wrong_password = auth.login("alice@example.com", "wrong password")
    unknown_email = auth.login("nobody@example.com", "wrong password")
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert field_error(wrong_password, "email") == field_error(unknown_email, "email")
    assert client.get("/today").status_code == 302


def test_login_goes_back_to_a_local_page_only(client, alice):
    local = client.post("/login?next=/entries", data={"email": alice.email, "password": PASSWORD})
    assert local.location == "/entries"
    client.post("/logout")
    evil = client.post("/login?next=https://evil.example/", data={"email": alice.email, "password": PASSWORD})
    assert evil.location == "/today"
    client.post("/logout")
    evil = client.post("/login?next=//evil.example/", data={"email": alice.email, "password": PASSWORD})
    assert evil.location == "/today"


def test_remember_me_sets_a_lasting_http_only_cookie(client, alice):
    response = client.post("/login", data={"email": alice.email, "password": PASSWORD, "remember": "yes"})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token="))
    assert "HttpOnly" in cookie and "Expires=" in cookie
    session_cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie


def test_remember_me_cookie_alone_logs_back_in(app, alice):
    first = app.test_client()
    first.post("/login", data={"email": alice.email, "password": PASSWORD, "remember": "yes"})
    token = first.get_cookie("remember_token").value
    other = app.test_client()
    other.set_cookie("remember_token", token)
    assert other.get("/today").status_code == 200


def test_changing_the_password_logs_out_other_devices(app, alice, db):
    phone, laptop = app.test_client(), app.test_client()
    phone.post("/login", data={"email": alice.email, "password": PASSWORD, "remember": "yes"})
    laptop.post("/login", data={"email": alice.email, "password": PASSWORD})
    remembered = phone.get_cookie("remember_token").value
    response = laptop.post("/account/password",
                           data={"current_password": PASSWORD, "new_password": "a new password"})
    assert response.status_code == 302
    assert laptop.get("/today").status_code == 200  # this device stays logged in
    assert phone.get("/today").status_code == 302
    stale = app.test_client()
    stale.set_cookie("remember_token", remembered)
    assert stale.get("/today").status_code == 302
    fresh = app.test_client()
    assert fresh.post("/login", data={"email": alice.email, "password": "a new password"}).location == "/today"


def test_changing_the_password_needs_the_current_one(as_alice, db, alice):
    response = as_alice.post("/account/password",
                             data={"current_password": "wrong", "new_password": "a new password"})
    assert response.status_code == 422
    assert field_error(response, "current_password") == "Your current password is not right"
    db.expire_all()
    assert find_user(db, alice.email).session_secret == alice.session_secret


def test_account_changes_name_and_time_zone(as_alice, db, alice):
    response = as_alice.post("/account", data={"display_name": "Al", "time_zone": "Asia/Tokyo"})
    assert response.status_code == 302
    user = find_user(db, alice.email)
    assert (user.display_name, user.time_zone) == ("Al", "Asia/Tokyo")


def test_account_rejects_an_unknown_time_zone(as_alice, db, alice):
    response = as_alice.post("/account", data={"display_name": "Al", "time_zone": "Nowhere/Town"})
    assert response.status_code == 422
    assert find_user(db, alice.email).time_zone == "Europe/London"
