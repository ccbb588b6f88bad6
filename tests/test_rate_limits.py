"""Password guessing and mass sign-ups are throttled; patients who get it right are not, and a
stranger's guesses never lock a patient out of a device they have logged in from before."""

from base64 import urlsafe_b64decode
from concurrent.futures import ThreadPoolExecutor
from urllib.error import HTTPError

import pyotp
import pytest
from sqlmodel import select

from diary import days
from diary.config import SettingError
from diary.models import Patient
from diary.ratelimit import limit_share_token_guessing
from tests.conftest import PASSWORD, make_patient
from tests.html import parse, title
from tests.routes import turn_on_second_factor
from tests.test_selfhosting import Browser, environment, server  # noqa: F401  fixtures

LIMIT = 3


@pytest.fixture
def app(make_app):
    app = make_app(RATELIMIT_LOGIN_PER_IP=f"{LIMIT} per hour",
                   RATELIMIT_LOGIN_PER_EMAIL=f"{LIMIT} per 15 minutes",
                   RATELIMIT_LOGIN_PER_DEVICE=f"{LIMIT} per 15 minutes",
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


def logged_in_before(app, patient, address: str):
    """The patient's phone: it logged in once (and out again), so it holds a device cookie."""
    phone = from_address(app, address)
    assert log_in(phone, patient.email, PASSWORD).status_code == 302
    phone.post("/logout")
    return phone


def test_a_stranger_cannot_lock_the_patient_out_of_a_device_that_logged_in_before(app, alice):
    phone = logged_in_before(app, alice, "10.0.0.7")
    for number in range(LIMIT):
        assert log_in(from_address(app, f"10.0.3.{number}"), alice.email, "guess").status_code == 401
    # Guesses from elsewhere, and the right password from a new device, stay throttled ...
    assert log_in(from_address(app, "10.0.3.99"), alice.email, "guess").status_code == 429
    assert log_in(from_address(app, "10.0.4.1"), alice.email, PASSWORD).status_code == 429
    # ... while the patient's own phone gets in.
    assert log_in(phone, alice.email, PASSWORD).location == "/today"
    assert phone.get("/today").status_code == 200


def test_a_stranger_at_the_same_address_cannot_lock_the_patient_out(app, alice):
    phone = logged_in_before(app, alice, "10.0.0.1")
    stranger = from_address(app, "10.0.0.1")  # the same café Wi-Fi, or a proxy not configured
    for number in range(LIMIT):
        assert log_in(stranger, f"guess{number}@example.com", "guess").status_code == 401
    assert log_in(stranger, alice.email, PASSWORD).status_code == 429
    assert log_in(phone, alice.email, PASSWORD).location == "/today"


def test_a_phone_that_finished_a_two_step_login_is_a_known_device_too(app, alice, clock):
    clock.set("2026-03-01T10:00:05")
    laptop = from_address(app, "10.0.0.5")
    assert log_in(laptop, alice.email, PASSWORD).status_code == 302
    secret, _ = turn_on_second_factor(laptop)
    laptop.post("/logout")
    clock.set("2026-03-01T10:01:05")
    phone = from_address(app, "10.0.0.7")  # never logged in with the password alone
    assert log_in(phone, alice.email, PASSWORD).location == "/login/code"
    assert phone.post("/login/code", data={"code": pyotp.TOTP(secret).at(days.utc_now())}).location == "/today"
    phone.post("/logout")
    for number in range(LIMIT):
        assert log_in(from_address(app, f"10.0.3.{number}"), alice.email, "guess").status_code == 401
    assert log_in(from_address(app, "10.0.4.1"), alice.email, PASSWORD).status_code == 429
    assert log_in(phone, alice.email, PASSWORD).location == "/login/code"


def test_wrong_passwords_from_a_known_device_are_counted_for_that_device(app, alice):
    phone = logged_in_before(app, alice, "10.0.0.7")
    for _ in range(LIMIT):
        assert log_in(phone, alice.email, "wrong").status_code == 401
    assert log_in(phone, alice.email, PASSWORD).status_code == 429  # a stolen phone guesses no more
    # Its failures were not the account's: the patient's laptop, new to the diary, still gets in.
    assert log_in(from_address(app, "10.0.0.8"), alice.email, PASSWORD).location == "/today"


def test_a_device_cookie_counts_only_for_the_account_it_was_issued_for(app, alice):
    make_patient(app, "bob@example.com", "Bob")
    alices_phone = logged_in_before(app, alice, "10.0.0.7")
    for _ in range(LIMIT):
        assert log_in(alices_phone, "bob@example.com", "guess").status_code == 401
    assert log_in(from_address(app, "10.0.0.9"), "bob@example.com", PASSWORD).status_code == 429


@pytest.mark.parametrize("forged", ["not-signed", "signed-with-another-key"])
def test_a_forged_device_cookie_counts_as_a_new_device(make_app, app, alice, forged):
    cookie = "WyJ4IiwieSJd.abc.def"
    if forged == "signed-with-another-key":
        other = make_app(SECRET_KEY="another key")
        phone = logged_in_before(other, alice, "10.0.0.7")
        cookie = phone.get_cookie("diary_device", path="/login").value
    for number in range(LIMIT):
        log_in(from_address(app, f"10.0.3.{number}"), alice.email, "guess")
    forger = from_address(app, "10.0.0.7")
    forger.set_cookie("diary_device", cookie, path="/login")
    assert log_in(forger, alice.email, PASSWORD).status_code == 429


def test_the_device_cookie_is_signed_sent_only_to_login_and_names_no_email(app, alice):
    phone = logged_in_before(app, alice, "10.0.0.7")
    cookie = phone.get_cookie("diary_device", path="/login")
    assert cookie.http_only and cookie.same_site == "Lax" and cookie.path == "/login"
    assert cookie.max_age == 365 * 24 * 3600
    assert "alice" not in cookie.value and "alice" not in urlsafe_b64decode(cookie.value.split(".")[0] + "==").decode()


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
    assert db.exec(select(Patient)).all() == []
    other = from_address(app, "10.0.0.2").post(
        "/register", data={"email": "real@example.com", "display_name": "Real",
                           "password": "long enough", "time_zone": "UTC"})
    assert other.status_code == 302
    assert [user.email for user in db.exec(select(Patient))] == ["real@example.com"]


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


def login_status(browser: Browser, email: str, password: str) -> int:
    """Log in through the real form (CSRF token and all): 302 when it landed on /today."""
    try:
        with browser.send("/login", "form[method=post]", {"email": email, "password": password}) as response:
            return 302 if response.url.endswith("/today") else response.status
    except HTTPError as error:
        with error:
            return error.code


def from_strangers(server, attempts: list[tuple[str, str]]) -> list[int]:
    """Each attempt from a new browser, two at a time, so both workers of the server take some."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda attempt: login_status(Browser(server.url), *attempt), attempts))


@pytest.mark.no_test_database(reason="the server runs on its own SQLite file")
def test_the_readmes_limits_hold_on_the_real_server_with_two_workers(server):
    assert server.env["DIARY_WORKERS"] == "2" and "DIARY_RATELIMIT_STORAGE_URL" not in server.env
    server.start()
    dana = Browser(server.url)
    landed, _ = dana.submit("/register", "form[method=post]", {
        "display_name": "Dana", "email": "dana@example.com", "password": PASSWORD,
        "time_zone": "Europe/London"})
    assert landed.endswith("/today")
    dana.submit("/account", "form[action='/logout']", {})

    # README: 10 failed logins per email in 15 minutes ...
    assert from_strangers(server, [("dana@example.com", "guess")] * 10) == [401] * 10
    assert login_status(Browser(server.url), "dana@example.com", PASSWORD) == 429
    # ... but not from the phone Dana registered on.
    assert login_status(dana, "dana@example.com", PASSWORD) == 302
    # README: 30 failed logins per address in 15 minutes (all of these come from 127.0.0.1).
    others = [(f"guess{number}@example.com", "guess") for number in range(20)]
    assert from_strangers(server, others) == [401] * 20
    assert login_status(Browser(server.url), "another@example.com", "guess") == 429
    assert server.stop() == 0


def closed_port() -> int:
    import socket

    with socket.socket() as probe:  # bound, then closed: nothing listens there
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_rate_limit_store_that_is_down_gets_a_clear_503_and_fails_the_health_check(make_app, alice):
    """Redis counting the attempts is down: logging in says so in plain words (never a 500),
    and /health tells the monitor, while the diary itself is still readable by the database."""
    app = make_app(RATELIMIT_STORAGE_URL=f"redis://127.0.0.1:{closed_port()}/0")
    client = app.test_client()
    response = client.post("/login", data={"email": alice.email, "password": "wrong password"})
    assert response.status_code == 503
    assert title(response) == "Paused for a few minutes"
    assert "try again in a few minutes" in parse(response).get_text(" ", strip=True)
    health = client.get("/health")
    assert health.status_code == 503
    assert health.get_data(as_text=True) == "rate-limit storage unavailable"
