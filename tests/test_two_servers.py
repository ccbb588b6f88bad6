"""README "Several servers": two app servers over one PostgreSQL database and one Redis.

Two production servers (gunicorn from gunicorn.conf.py, one worker each so each has one set of
caches) on two loopback ports, each with its own instance folder as on two machines, sharing
only what the README says to share: the database, the rate-limit counts (in Redis, or in the
database) and the secret key (the first server's ``secret_key`` file, copied). One browser talks
to both, as behind a load balancer that sends each request anywhere: cookies are per host name,
not per port.
"""

import json
import secrets

import pytest
import redis
from sqlalchemy import text

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


@pytest.fixture
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


def start_servers(tmp_path, database_url: str, storage_url: str, secret_key: str | None) -> list[Server]:
    """Two servers, each with its own instance folder and port. With ``secret_key``, README's
    step: the first server's ``secret_key`` file copied into the other's folder."""
    servers = []
    for name in ("a", "b"):
        instance = tmp_path / f"instance-{name}"
        if secret_key is not None:
            instance.mkdir(mode=0o700)
            (instance / "secret_key").write_text(secret_key)
            (instance / "secret_key").chmod(0o600)
        env = server_environment(instance, DIARY_WORKERS="1", DIARY_DATABASE_URL=database_url,
                                 DIARY_RATELIMIT_STORAGE_URL=storage_url)
        servers.append(Server(env, tmp_path / f"server-{name}.log"))
    try:
        for server in servers:
            server.start()
    except BaseException:
        stop(servers)
        raise
    return servers


def stop(servers: list[Server]) -> None:
    for server in servers:
        server.kill()


@pytest.fixture
def storage_url(request):
    """Where the servers count attempts: Redis unless a test asks for ``database``."""
    return request.getfixturevalue("redis_url") if getattr(request, "param", "redis") == "redis" else "database://"


@pytest.fixture
def servers(database_url, storage_url, tmp_path):
    servers = start_servers(tmp_path, database_url, storage_url, secrets.token_hex(32))
    yield servers
    stop(servers)


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


def saved_pain(app) -> list:
    with app.extensions["diary_engine"].connect() as connection:
        return [tuple(row) for row in connection.execute(text("SELECT day, pain_avg FROM entry"))]


def test_a_patient_uses_either_server_and_each_sees_the_others_changes_at_once(app, servers):
    a, b = servers
    phone = Browser(a.url)
    landed, _ = phone.submit("/register", "form[method=post]", {
        "display_name": "Dana", "email": "dana@example.com", "password": PASSWORD,
        "time_zone": "Europe/London"})
    assert landed.endswith("/today")

    # The session from server A works on server B, which now keeps Dana's empty history.
    assert phone.at(b.url).get("/today")[0].endswith("/today")
    assert pain_each_day(phone.at(b.url)) == {}

    # A day logged through A: B's kept history and chart are out of date and not shown.
    day = log_day(phone, 6)
    assert saved_pain(app)[0][1] == 6
    assert pain_each_day(phone.at(b.url)) == {day: 6}
    # ... and the other way round: A keeps a chart now, and the day is changed through B.
    assert pain_each_day(phone) == {day: 6}
    log_day(phone.at(b.url), 3)
    assert [pain for _, pain in saved_pain(app)] == [3]
    assert pain_each_day(phone) == {day: 3}

    # Logging out on a laptop through B ends the phone's session on A too.
    laptop = Browser(b.url)
    laptop.submit("/login", "form[method=post]", {"email": "dana@example.com", "password": PASSWORD})
    laptop.submit("/account", "form[action='/logout']", {})
    assert phone.get("/today")[0].endswith(LOGIN_PAGE)
    assert phone.at(b.url).get("/today")[0].endswith(LOGIN_PAGE)


# README's two ways of counting across servers: in Redis, or in the shared database.
@pytest.mark.parametrize("storage_url", ["redis", "database"], indirect=True)
def test_failed_logins_are_counted_across_both_servers(app, servers, storage_url):
    a, b = servers
    dana = Browser(a.url)
    dana.submit("/register", "form[method=post]", {
        "display_name": "Dana", "email": "dana@example.com", "password": PASSWORD,
        "time_zone": "Europe/London"})
    dana.submit("/account", "form[action='/logout']", {})

    # Half the guesses through each server: neither alone reaches the limit.
    for number in range(FAILED_LOGINS_PER_EMAIL):
        stranger = Browser((a, b)[number % 2].url)
        assert login_status(stranger, "dana@example.com", "guess") == 401
    assert login_status(Browser(a.url), "dana@example.com", PASSWORD) == 429
    assert login_status(Browser(b.url), "dana@example.com", PASSWORD) == 429
    # Dana's own phone (it registered, so it is a known device) still gets in, through either.
    assert login_status(dana.at(b.url), "dana@example.com", PASSWORD) == 302

    # The counts are where the setting says.
    with app.extensions["diary_engine"].connect() as connection:
        counted_in_database = connection.execute(text("SELECT count(*) FROM rate_limit_count")).scalar_one()
    counted_in_redis = len(redis.Redis.from_url(TEST_REDIS_URL).keys("*")) if TEST_REDIS_URL else 0
    if storage_url == "database://":
        assert counted_in_database > 0 and counted_in_redis == 0
    else:
        assert counted_in_redis > 0 and counted_in_database == 0


def test_without_one_secret_key_a_session_from_one_server_is_refused_by_the_other(
        app, database_url, tmp_path):
    """Why README says to copy the key: each server would otherwise generate its own."""
    servers = start_servers(tmp_path, database_url, "database://", secret_key=None)
    try:
        a, b = servers
        phone = Browser(a.url)
        phone.submit("/register", "form[method=post]", {
            "display_name": "Dana", "email": "dana@example.com", "password": PASSWORD,
            "time_zone": "Europe/London"})
        assert phone.get("/today")[0].endswith("/today")
        assert phone.at(b.url).get("/today")[0].endswith(LOGIN_PAGE)
    finally:
        stop(servers)
