"""Running as a service: the health check, trusting a reverse proxy, and what the log may hold."""

import logging
import re
from pathlib import Path

import pytest
from flask import request

from tests.conftest import PASSWORD
from tests.html import parse

README = Path(__file__).resolve().parent.parent / "README.md"


def test_health_answers_ok_without_a_login(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"
    assert response.mimetype == "text/plain"
    assert response.headers["Cache-Control"] == "no-store"


def test_health_answers_503_when_the_database_does_not(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'no-such-folder' / 'diary.sqlite3'}")
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert response.get_data(as_text=True) == "database unavailable"


def add_probe(app):
    """A page that says what the app believes about the request."""
    @app.get("/probe")
    def probe():
        return f"{request.scheme} {request.host} {request.remote_addr}"

    return app.test_client()


FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "diary.example.org",
             "X-Forwarded-For": "203.0.113.7"}


BEHIND_CADDY = {"TRUSTED_PROXIES": 1, "PUBLIC_URL": "https://diary.example.org"}


def test_behind_a_trusted_proxy_the_forwarded_headers_count(make_app):
    client = add_probe(make_app(**BEHIND_CADDY))
    answer = client.get("/probe", headers=FORWARDED, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert answer.get_data(as_text=True) == "https diary.example.org 203.0.113.7"


def test_a_trusted_proxy_believes_only_the_address_it_added(make_app):
    client = add_probe(make_app(**BEHIND_CADDY))
    # The client made up the first address; the proxy appended the one it saw.
    headers = {**FORWARDED, "X-Forwarded-For": "10.0.0.1, 203.0.113.7"}
    answer = client.get("/probe", headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert answer.get_data(as_text=True).split()[2] == "203.0.113.7"


def test_a_forwarded_host_that_is_not_the_diarys_is_refused(make_app):
    client = add_probe(make_app(**BEHIND_CADDY))
    headers = {**FORWARDED, "X-Forwarded-Host": "attacker.example"}
    answer = client.get("/probe", headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert answer.status_code == 400
    assert "not at this address" in answer.get_data(as_text=True)


def test_without_trusted_proxies_forwarded_headers_are_ignored(app):
    client = add_probe(app)
    answer = client.get("/probe", headers=FORWARDED, environ_base={"REMOTE_ADDR": "198.51.100.2"})
    assert answer.get_data(as_text=True) == "http localhost 198.51.100.2"


SECRET_PASSWORD = "tangerine-elephant-42"
SECRET_NOTES = "Told nobody about the flashbacks"


@pytest.fixture
def debug_log(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def test_the_log_at_debug_never_holds_passwords_or_diary_answers(make_app, debug_log, clock):
    app = make_app(LOG_LEVEL="DEBUG")
    clock.set("2026-03-10T09:00", "Europe/London")
    client = app.test_client()
    client.post("/register", data={"email": "dana@example.com", "display_name": "Dana",
                                   "password": SECRET_PASSWORD, "time_zone": "Europe/London"})
    client.post("/logout")
    client.post("/login", data={"email": "dana@example.com", "password": "wrong " + SECRET_PASSWORD})
    client.post("/login", data={"email": "dana@example.com", "password": SECRET_PASSWORD})
    client.post("/entries", data={"day": "2026-03-10", "pain_avg": "7", "notes": SECRET_NOTES})
    client.post("/entries", data={"day": "2026-03-10", "pain_avg": "7", "notes": SECRET_NOTES})  # 409
    client.get("/entries")
    logged = debug_log.text
    assert "logged in" in logged and "Failed login" in logged  # the log did capture this session
    assert SECRET_PASSWORD not in logged
    assert SECRET_NOTES not in logged
    assert "dana@example.com" not in logged
    assert not [record for record in debug_log.records if record.name.startswith("sqlalchemy")]


def test_a_failed_login_is_logged_without_the_email(client, alice, debug_log):
    client.post("/login", data={"email": alice.email, "password": "not " + PASSWORD})
    failures = [record.getMessage() for record in debug_log.records if "Failed login" in record.getMessage()]
    assert failures == ["Failed login from 127.0.0.1"]


@pytest.mark.parametrize("nginx_host, status", [
    ("$http_host", 302),  # README's nginx example: the port survives, the form is accepted
    ("$host", 400),  # the port dropped: the form's same-site check fails ("This form has expired")
])
def test_forms_work_behind_nginx_on_a_port_other_than_443(make_app, alice, nginx_host, status):
    client = make_app(TRUSTED_PROXIES=1, WTF_CSRF_ENABLED=True,
                      PUBLIC_URL="https://diary.example.org:8443").test_client()
    browser_address = "diary.example.org:8443"
    sent_host = browser_address if nginx_host == "$http_host" else "diary.example.org"
    proxied = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": sent_host,
               "X-Forwarded-For": "203.0.113.7", "Referer": f"https://{browser_address}/login"}
    page = parse(client.get("/login", headers=proxied))
    token = page.find("input", {"name": "csrf_token"})["value"]
    response = client.post("/login", headers=proxied, data={
        "email": alice.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == status


def test_the_readme_nginx_example_passes_the_port_on():
    nginx = README.read_text().split("```nginx", 1)[1].split("```", 1)[0]
    passed = dict(re.findall(r"proxy_set_header (\S+) (\S+);", nginx))
    assert passed["Host"] == passed["X-Forwarded-Host"] == "$http_host"
