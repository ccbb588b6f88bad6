"""README "Several servers": two app servers over one PostgreSQL database and one Redis.

Two production servers (gunicorn from gunicorn.conf.py, one worker each so each has one set of
caches) on two loopback ports, each with its own instance folder as on two machines, sharing
only what the README says to share: the database, Redis for the rate-limit counts and the secret
key (the first server's ``secret_key`` file, copied). One browser talks to both, as behind a load
balancer that sends each request anywhere: cookies are per host name, not per port. The servers
start once for the module (each start costs seconds); each test has a patient of its own.
"""

import json
import secrets
import time
from datetime import date
from pathlib import Path

import pytest
import redis
from sqlalchemy import text

from diary.db import make_engine
from tests.conftest import PASSWORD
from tests.databases import ON_POSTGRESQL, TEST_REDIS_URL
from tests.test_rate_limits import login_status
from tests.test_selfhosting import Browser, Server, server_environment

pytestmark = pytest.mark.skipif(
    not ON_POSTGRESQL, reason="two servers share a PostgreSQL database, and this run uses SQLite "
                              "(CI's PostgreSQL pass runs this test, with Redis)")

TIMELINE = "/trends/figures/timeline.json?range=all"
LOGIN_PAGE = "/login?next=%2Ftoday"  # where /today sends a browser that is not logged in
FAILED_LOGINS_PER_EMAIL = 10  # README "Security": 10 failed logins per email in 15 minutes


@pytest.fixture(scope="module")
def redis_url():
    """The Redis database CI's PostgreSQL pass names, emptied: counts of an earlier run would
    otherwise still hold (a window is 15 minutes)."""
    assert TEST_REDIS_URL, ("set DIARY_TEST_REDIS_URL to a Redis database the tests may empty, "
                            "like redis://127.0.0.1:6379/1 (.ci/run starts Redis)")
    client = redis.Redis.from_url(TEST_REDIS_URL)
    client.flushdb()
    yield TEST_REDIS_URL
    client.flushdb()
    client.close()


@pytest.fixture(scope="module")
def database(databases, tmp_path_factory):
    """The module's database, and an engine to read back what the servers wrote."""
    url = databases.new(tmp_path_factory.mktemp("two-servers-database"))
    engine = make_engine(url)
    yield url, engine
    engine.dispose()
    databases.drop(url)


def start_servers(folder: Path, database_url: str, storage_url: str, secret_key: str | None) -> list[Server]:
    """Two servers, each with its own instance folder and port, started together. With
    ``secret_key``, README's step: the first server's ``secret_key`` file copied to the other."""
    servers = []
    for name in ("a", "b"):
        instance = folder / f"instance-{name}"
        if secret_key is not None:
            instance.mkdir(mode=0o700)
            (instance / "secret_key").write_text(secret_key)
            (instance / "secret_key").chmod(0o600)
        env = server_environment(instance, DIARY_WORKERS="1", DIARY_DATABASE_URL=database_url,
                                 DIARY_RATELIMIT_STORAGE_URL=storage_url)
        servers.append(Server(env, folder / f"server-{name}.log"))
    try:
        started = time.monotonic()
        for server in servers:
            server.launch()
        for server in servers:
            server.wait_until_healthy(started)
    except BaseException:
        stop(servers)
        raise
    return servers


def stop(servers: list[Server]) -> None:
    for server in servers:
        server.kill()


@pytest.fixture(scope="module")
def servers(database, redis_url, tmp_path_factory):
    servers = start_servers(tmp_path_factory.mktemp("two-servers"), database[0], redis_url,
                            secrets.token_hex(32))
    yield servers
    stop(servers)


def register(browser: Browser, name: str) -> str:
    email = f"{name.lower()}@example.com"
    landed, _ = browser.submit("/register", "form[method=post]", {
        "display_name": name, "email": email, "password": PASSWORD, "time_zone": "Europe/London"})
    assert landed.endswith("/today")
    return email


def pain_each_day(browser: Browser) -> dict:
    figure = json.loads(browser.read(TIMELINE))
    return {day: pain for item in figure["data"] if item["name"] == "Pain each day"
            for day, pain in zip(item["x"], item.get("y", [])) if pain is not None}


def log_day(browser: Browser, pain: int) -> str:
    _, today = browser.get("/today")
    day = today.select_one("form.entry-form input[name=day]")["value"]
    landed, page = browser.submit("/today", "form.entry-form", {"day": day, "pain_avg": str(pain)})
    assert landed.endswith("/today") and f"Saved: pain {pain}" in page.select_one(".flash-success").get_text()
    return day


def saved_pain(engine, email: str) -> list:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(
            "SELECT day, pain_avg FROM entry JOIN patient ON patient.id = entry.patient_id "
            "WHERE patient.email = :email"), {"email": email})]


def test_a_patient_uses_either_server_and_each_sees_the_others_changes_at_once(database, servers):
    a, b = servers
    phone = Browser(a.url)
    email = register(phone, "Dana")

    # The session from server A works on server B, which now keeps Dana's empty history.
    assert phone.at(b.url).get("/today")[0].endswith("/today")
    assert pain_each_day(phone.at(b.url)) == {}

    # A day logged through A: B's kept history and chart are out of date and not shown.
    day = log_day(phone, 6)
    assert saved_pain(database[1], email) == [(date.fromisoformat(day), 6)]
    assert pain_each_day(phone.at(b.url)) == {day: 6}
    # ... and the other way round: A keeps a chart now, and the day is changed through B.
    assert pain_each_day(phone) == {day: 6}
    log_day(phone.at(b.url), 3)
    assert saved_pain(database[1], email) == [(date.fromisoformat(day), 3)]
    assert pain_each_day(phone) == {day: 3}

    # Logging out on a laptop through B ends the phone's session on A too.
    laptop = Browser(b.url)
    laptop.submit("/login", "form[method=post]", {"email": email, "password": PASSWORD})
    laptop.submit("/account", "form[action='/logout']", {})
    assert phone.get("/today")[0].endswith(LOGIN_PAGE)
    assert phone.at(b.url).get("/today")[0].endswith(LOGIN_PAGE)


def test_failed_logins_are_counted_across_both_servers_in_redis(database, servers, redis_url):
    a, b = servers
    phone = Browser(a.url)
    email = register(phone, "Erin")
    phone.submit("/account", "form[action='/logout']", {})

    # Half the guesses through each server: neither alone reaches the limit.
    for number in range(FAILED_LOGINS_PER_EMAIL):
        stranger = Browser((a, b)[number % 2].url)
        assert login_status(stranger, email, "guess") == 401
    assert login_status(Browser(a.url), email, PASSWORD) == 429
    assert login_status(Browser(b.url), email, PASSWORD) == 429
    # Erin's own phone (she registered on it, so it is a known device) still gets in, through either.
    assert login_status(phone.at(b.url), email, PASSWORD) == 302

    # The counts are in Redis, not in the database.
    assert redis.Redis.from_url(redis_url).keys("*")
    with database[1].connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM rate_limit_count")).scalar_one() == 0


def test_without_one_secret_key_a_session_from_one_server_is_refused_by_the_other(database, tmp_path):
    """Why README says to copy the key: each server would otherwise make its own."""
    servers = start_servers(tmp_path, database[0], "database://", secret_key=None)
    try:
        a, b = servers
        phone = Browser(a.url)
        register(phone, "Fran")
        assert phone.get("/today")[0].endswith("/today")
        assert phone.at(b.url).get("/today")[0].endswith(LOGIN_PAGE)
    finally:
        stop(servers)
