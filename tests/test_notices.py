"""Set-up mistakes that look fine from outside: warned about once per process, shown by `admin check`.

A proxy in front while DIARY_TRUSTED_PROXIES is 0, and share links built from the request's address
behind HTTPS without DIARY_PUBLIC_URL (issue 23). The first test runs the real server and the real
admin command; the others the app in-process.
"""

import logging
import os
import stat
import subprocess
from urllib.request import Request, urlopen

import pytest
from sqlmodel import select

from diary.models import SiteSetting
from diary.notices import NOTICES
from tests.conftest import PASSWORD
from tests.sharing.test_links import make_link
from tests.test_selfhosting import BIN, ROOT, Server, admin, free_port

PROXY_WARNING = NOTICES["forwarded-for-ignored"].message
SHARE_LINK_WARNING = NOTICES["share-link-without-public-url"].message
THROUGH_A_PROXY = {"X-Forwarded-For": "203.0.113.7"}


def run_admin(app, *args):
    return app.test_cli_runner().invoke(args=["admin", *args])


@pytest.mark.no_test_database(reason="the server runs on its own SQLite file")
def test_a_real_server_behind_an_untrusted_proxy_warns_once_and_admin_check_says_so(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DIARY_")}
    env.update(DIARY_INSTANCE_PATH=str(tmp_path / "instance"),
               DIARY_BIND=f"127.0.0.1:{free_port()}", DIARY_WORKERS="1")
    server = Server(env, tmp_path / "server.log")
    try:
        server.start()
        urlopen(f"{server.url}/login", timeout=10).close()  # straight in: nothing to say
        for path in ("/login", "/register", "/login"):  # as Caddy forwards them
            urlopen(Request(server.url + path, headers=THROUGH_A_PROXY), timeout=10).close()
        assert server.stop() == 0
    finally:
        server.kill()
    assert server.log_path.read_text().count(PROXY_WARNING) == 1

    checked = subprocess.run([BIN / "flask", "--app", "wsgi", "admin", "check"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 1
    assert checked.stdout.startswith(f"Problem: {PROXY_WARNING} (the server noticed this at ")
    assert "Traceback" not in checked.stderr

    env["DIARY_TRUSTED_PROXIES"] = "1"  # the fix: the notice no longer applies
    assert admin(env, "check").startswith("All is well")


def proxy_warnings(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records
            if record.levelno == logging.WARNING and record.getMessage() == PROXY_WARNING]


def test_forwarded_for_without_trusted_proxies_is_warned_once_and_recorded(app, client, db, caplog):
    client.get("/login")
    assert proxy_warnings(caplog) == [] and run_admin(app, "check").exit_code == 0
    for _ in range(3):
        assert client.get("/login", headers=THROUGH_A_PROXY).status_code == 200
    assert proxy_warnings(caplog) == [PROXY_WARNING]
    assert db.get(SiteSetting, "notice:forwarded-for-ignored") is not None
    result = run_admin(app, "check")
    assert result.exit_code == 1 and PROXY_WARNING in result.output


def test_a_trusted_proxy_is_not_warned_about(make_app, db, caplog):
    app = make_app(TRUSTED_PROXIES=1)
    app.test_client().get("/login", headers=THROUGH_A_PROXY)
    assert proxy_warnings(caplog) == []
    assert db.exec(select(SiteSetting).where(SiteSetting.name.startswith("notice:"))).all() == []


def test_a_recorded_notice_is_not_shown_once_the_setting_is_fixed(make_app, client, caplog):
    client.get("/login", headers=THROUGH_A_PROXY)
    fixed = make_app(TRUSTED_PROXIES=1, HTTPS=False)
    result = run_admin(fixed, "check")
    assert result.exit_code == 0 and result.output.startswith("All is well")


@pytest.fixture
def behind_https(make_app, alice):
    """The diary as README's first set-up had it: HTTPS on, DIARY_PUBLIC_URL forgotten."""
    app = make_app(HTTPS=True, TRUSTED_PROXIES=1, TRUSTED_HOST_NAMES=["diary.example.org"])
    client = app.test_client()
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "diary.example.org"}
    client.post("/login", data={"email": alice.email, "password": PASSWORD}, headers=https)
    return app, client, https


def test_a_share_link_without_public_url_behind_https_is_warned_once(behind_https, caplog, db):
    app, client, https = behind_https
    for label in ("Dr. Lin", "Dr. Okafor"):
        response = client.post("/share", data={"label": label, "expires_in_days": "30"}, headers=https)
        assert response.status_code == 302
        client.get(response.location, headers=https)
    warnings = [record.getMessage() for record in caplog.records if record.getMessage() == SHARE_LINK_WARNING]
    assert warnings == [SHARE_LINK_WARNING]
    assert db.get(SiteSetting, "notice:share-link-without-public-url") is not None
    result = run_admin(app, "check")
    assert result.exit_code == 1 and SHARE_LINK_WARNING in result.output


def test_a_share_link_from_public_url_is_not_warned_about(make_app, alice, caplog):
    client = make_app(HTTPS=True, PUBLIC_URL="https://diary.example.org").test_client()
    client.post("/login", data={"email": alice.email, "password": PASSWORD})
    assert make_link(client).startswith("https://diary.example.org/s/")
    assert SHARE_LINK_WARNING not in caplog.text


def test_admin_check_says_all_is_well_for_a_sound_set_up(make_app):
    app = make_app(HTTPS=True, TRUSTED_PROXIES=1, PUBLIC_URL="https://diary.example.org")
    result = run_admin(app, "check")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("All is well: settings, instance folder")
    assert "schema 0" in result.output


@pytest.mark.parametrize("settings, words", [
    ({"HTTPS": True, "TRUSTED_PROXIES": 0, "PUBLIC_URL": "https://d.example.org"},
     "DIARY_TRUSTED_PROXIES is 0"),
    ({"HTTPS": True, "TRUSTED_PROXIES": 1, "PUBLIC_URL": ""}, "DIARY_PUBLIC_URL is not set"),
    ({"HTTPS": False, "TRUSTED_PROXIES": 1, "PUBLIC_URL": "https://d.example.org"},
     "Set DIARY_HTTPS=true"),
])
def test_admin_check_finds_settings_that_contradict_each_other(make_app, settings, words):
    result = run_admin(make_app(**settings), "check")
    assert result.exit_code == 1
    assert words in result.output and result.output.startswith("Problem: ")


def test_admin_check_finds_a_secret_key_others_can_read(make_app, tmp_path):
    app = make_app()
    key = tmp_path / "instance" / "secret_key"
    key.chmod(0o644)
    result = run_admin(app, "check")
    assert result.exit_code == 1 and f"chmod 600 {key}" in result.output
    key.chmod(0o600)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and run_admin(app, "check").exit_code == 0


def test_admin_check_finds_a_database_not_yet_migrated(make_app, empty_database_url):
    result = run_admin(make_app(DATABASE_URL=empty_database_url), "check")
    assert result.exit_code == 1
    assert "The database has schema empty; this release needs" in result.output
    assert "flask --app wsgi migrate" in result.output


def test_admin_check_finds_a_database_that_does_not_answer(make_app, tmp_path):
    app = make_app(DATABASE_URL="postgresql+psycopg://diary:wrong@127.0.0.1:9/nothing")
    result = run_admin(app, "check")
    assert result.exit_code == 1 and "The database does not answer" in result.output
    assert "Traceback" not in result.output
