"""Sessions end for real: a copy of the cookie taken before logging out, changing the password or
deleting the account no longer opens the diary (sessions live in signed cookies, so the server
has to refuse them, not just forget them)."""

from sqlmodel import select

from diary.models import Patient
from tests.conftest import PASSWORD


def logged_in(app, email, remember=False):
    client = app.test_client()
    data = {"email": email, "password": PASSWORD, **({"remember": "yes"} if remember else {})}
    assert client.post("/login", data=data).status_code == 302
    return client


def replay(app, name: str, value: str):
    """A new client carrying only a copied cookie."""
    client = app.test_client()
    client.set_cookie(name, value)
    return client


def test_a_session_cookie_copied_before_logout_no_longer_works(app, alice):
    client = logged_in(app, alice.email)
    copied = client.get_cookie("session").value
    assert replay(app, "session", copied).get("/today").status_code == 200  # the copy did work
    client.post("/logout")
    assert client.get("/today").status_code == 302
    response = replay(app, "session", copied).get("/today")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_a_remember_me_cookie_copied_before_logout_no_longer_works(app, alice):
    client = logged_in(app, alice.email, remember=True)
    copied = client.get_cookie("remember_token").value
    client.post("/logout")
    assert replay(app, "remember_token", copied).get("/today").status_code == 302


def test_logging_out_ends_the_sessions_on_other_devices_too(app, alice):
    phone, laptop = logged_in(app, alice.email, remember=True), logged_in(app, alice.email)
    laptop.post("/logout")
    assert phone.get("/today").status_code == 302


def test_the_old_session_cookie_of_the_device_that_changed_the_password_stops_working(app, alice):
    client = logged_in(app, alice.email)
    copied = client.get_cookie("session").value
    response = client.post("/account/password", data={"current_password": PASSWORD,
                                                      "new_password": "a brand new one"})
    assert response.status_code == 302
    assert client.get("/today").status_code == 200  # this device carries on, with a new cookie
    assert replay(app, "session", copied).get("/today").status_code == 302


def test_logout_records_the_end_in_the_database(app, alice, db):
    logged_in(app, alice.email).post("/logout")
    assert db.exec(select(Patient.session_secret).where(Patient.id == alice.id)).one() != alice.session_secret


def test_logout_when_not_logged_in_is_harmless(client):
    response = client.post("/logout")
    assert response.status_code == 302 and response.location == "/login"
