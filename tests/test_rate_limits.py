"""Password guessing and mass sign-ups are throttled; patients who get it right are not."""

import pytest
from sqlmodel import select

from diary.config import SettingError
from diary.models import User
from diary.ratelimit import limit_share_token_guessing
from tests.conftest import PASSWORD, make_patient
from tests.html import parse, title

LIMIT = 3


@pytest.fixture
def app(make_app):
    app = make_app(RATELIMIT_LOGIN_PER_IP=f"{LIMIT} per hour",
                   RATELIMIT_LOGIN_PER_EMAIL=f"{LIMIT} per 15 minutes",
                   RATELIMIT_REGISTER_PER_IP=f"{LIMIT} per hour",
                   RATELIMIT_SHARE_TOKEN_PER_IP=f"{LIMIT} per hour")
    yield app
    app.extensions["diary_engine"].dispose()


def from_address(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def log_in(client, email: str, password: str):
    return client.post("/login", data={"email": email, "password": password})


def test_the_attempt_after_the_limit_of_wrong_passwords_gets_a_clear_429(app, alice):
    client = from_address(app, "10.0.0.1")
    for _ in range(LIMIT):
        assert log_in(client, alice.email, "wrong guess").status_code == 401
    blocked = log_in(client, alice.email, PASSWORD)
    assert blocked.status_code == 429
    assert title(blocked) == "Too many attempts"
    assert "Please wait 15 minutes and try again." in parse(blocked).find("main").get_text()
    assert blocked.headers["Retry-After"] == "900"
    assert client.get("/today").status_code == 302  # the right password did not get through


def test_one_address_guessing_many_emails_is_stopped(app, alice):
    client = from_address(app, "10.0.0.1")
    for number in range(LIMIT):
        assert log_in(client, f"guess{number}@example.com", "wrong guess").status_code == 401
    assert log_in(client, "another@example.com", "wrong guess").status_code == 429


def test_guessing_one_email_from_many_addresses_is_stopped(app, alice):
    for number in range(LIMIT):
        assert log_in(from_address(app, f"10.0.1.{number}"), "ALICE@example.com ", "x").status_code == 401
    assert log_in(from_address(app, "10.0.2.1"), alice.email, "x").status_code == 429


def test_another_address_and_another_email_still_log_in(app, alice):
    make_patient(app, "bob@example.com", "Bob")
    attacker = from_address(app, "10.0.0.1")
    for _ in range(LIMIT):
        log_in(attacker, alice.email, "wrong guess")
    assert log_in(attacker, alice.email, "wrong").status_code == 429
    # Bob, from another address, is not affected by the attack on Alice.
    bob = from_address(app, "10.0.0.2")
    assert log_in(bob, "bob@example.com", PASSWORD).location == "/today"


def test_successful_logins_do_not_count(app, alice):
    client = from_address(app, "10.0.0.1")
    for _ in range(LIMIT * 2):
        assert log_in(client, alice.email, PASSWORD).status_code == 302
        client.post("/logout")


def test_showing_the_login_page_is_never_limited(app, alice):
    client = from_address(app, "10.0.0.1")
    for _ in range(LIMIT):
        log_in(client, alice.email, "wrong guess")
    assert client.get("/login").status_code == 200


def test_registration_attempts_are_limited_per_address(app, db):
    client = from_address(app, "10.0.0.1")
    for number in range(LIMIT):
        response = client.post("/register", data={"email": f"p{number}@example.com",
                                                  "display_name": "P", "password": "short",
                                                  "time_zone": "UTC"})
        assert response.status_code == 422
    blocked = client.post("/register", data={"email": "real@example.com", "display_name": "Real",
                                             "password": "long enough", "time_zone": "UTC"})
    assert blocked.status_code == 429
    assert db.exec(select(User)).all() == []
    other = from_address(app, "10.0.0.2").post(
        "/register", data={"email": "real@example.com", "display_name": "Real",
                           "password": "long enough", "time_zone": "UTC"})
    assert other.status_code == 302
    assert [user.email for user in db.exec(select(User))] == ["real@example.com"]


def test_a_limit_is_per_app_setting(make_app, alice):
    app = make_app(RATELIMIT_LOGIN_PER_IP="1 per hour", RATELIMIT_LOGIN_PER_EMAIL="100 per hour")
    client = from_address(app, "10.0.0.1")
    assert log_in(client, alice.email, "wrong").status_code == 401
    assert log_in(client, alice.email, "wrong").status_code == 429


def share_link_of(app, alice) -> str:
    client = log_in_as(app, alice)
    response = client.post("/share", data={"label": "Dr. Lin", "expires_in_days": "30"})
    assert response.status_code == 302
    return parse(client.get(response.location)).find("input", id="share-url")["value"]


def log_in_as(app, patient):
    client = from_address(app, "10.9.9.9")
    assert log_in(client, patient.email, PASSWORD).status_code == 302
    return client


def test_guessing_share_tokens_is_stopped_but_a_real_link_keeps_working(app, alice):
    path = "/s/" + share_link_of(app, alice).rsplit("/s/", 1)[1]
    clinician = from_address(app, "10.0.0.5")
    for _ in range(LIMIT * 2):  # opening a real link again and again never counts
        assert clinician.get(path).status_code == 200
    guesser = from_address(app, "10.0.0.6")
    for number in range(LIMIT):
        assert guesser.get(f"/s/guess-{number}").status_code == 404
    blocked = guesser.get("/s/guess-last")
    assert blocked.status_code == 429 and title(blocked) == "Too many attempts"
    assert guesser.get(path).status_code == 429  # the guesser is paused altogether
    assert clinician.get(path).status_code == 200  # the clinician, elsewhere, is not


def test_the_storage_setting_reaches_the_limiter_and_a_typo_stops_the_app(make_app, monkeypatch):
    monkeypatch.setenv("DIARY_RATELIMIT_STORAGE_URL", "memory://")
    assert make_app().config["RATELIMIT_STORAGE_URI"] == "memory://"
    monkeypatch.setenv("DIARY_RATELIMIT_STORAGE_URL", "memroy://")
    with pytest.raises(SettingError, match="DIARY_RATELIMIT_STORAGE_URL cannot be used .*memroy"):
        make_app()  # as gunicorn.conf.py and wsgi.py run it: one line, exit status 78
