import os
import stat

import pytest

from diary import create_app
from diary.config import SETTINGS, SettingError, load_settings


def test_defaults_need_no_setup(tmp_path):
    config = load_settings({}, str(tmp_path))
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'diary.sqlite3'}"
    assert config["HTTPS"] is False
    assert config["BIND"] == "127.0.0.1:8000" and config["WORKERS"] == 2
    assert config["TRUSTED_PROXIES"] == 0 and config["PUBLIC_URL"] == ""
    assert config["TRUSTED_HOST_NAMES"] == [] and config["RATELIMIT_STORAGE_URL"] == "database://"


def test_secret_key_is_generated_once_with_mode_0600(tmp_path):
    first = load_settings({}, str(tmp_path))["SECRET_KEY"]
    second = load_settings({}, str(tmp_path))["SECRET_KEY"]
    assert first == second and len(first) == 64
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600


def test_secret_key_from_environment_or_file(tmp_path):
    assert load_settings({"DIARY_SECRET_KEY": "abc"}, str(tmp_path))["SECRET_KEY"] == "abc"
    secret_file = tmp_path / "key.txt"
    secret_file.write_text("from-file\n")
    config = load_settings({"DIARY_SECRET_KEY_FILE": str(secret_file)}, str(tmp_path))
    assert config["SECRET_KEY"] == "from-file"
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize("name, raw", [
    ("DIARY_HTTPS", "ture"),
    ("DIARY_WORKERS", "0"),
    ("DIARY_WORKERS", "two"),
    ("DIARY_TRUSTED_PROXIES", "-1"),
    ("DIARY_PUBLIC_URL", "diary.example.org"),
    ("DIARY_PUBLIC_URL", "ftp://diary.example.org"),
    ("DIARY_PUBLIC_URL", "https://diary.example.org/?x=1"),
    ("DIARY_LOG_LEVEL", "loud"),
    ("DIARY_TRUSTED_HOSTS", "https://diary.example.org"),
    ("DIARY_TRUSTED_HOSTS", "diary.example.org:8000"),
    ("DIARY_TRUSTED_HOSTS", "diary.example.org/path"),
])
def test_a_typo_in_a_setting_stops_the_app(tmp_path, name, raw):
    with pytest.raises(SettingError, match=name):
        load_settings({name: raw}, str(tmp_path))


def test_trusted_hosts_add_to_loopback_and_the_public_address(make_app, monkeypatch):
    monkeypatch.setenv("DIARY_TRUSTED_HOSTS", " Diary.Clinic.lan, .example.net ")
    monkeypatch.setenv("DIARY_PUBLIC_URL", "https://diary.example.org")
    assert make_app().config["TRUSTED_HOSTS"] == [
        "localhost", "127.0.0.1", "diary.example.org", "diary.clinic.lan", ".example.net"]


def test_unreadable_secret_file_is_named(tmp_path):
    with pytest.raises(SettingError, match="DIARY_SECRET_KEY_FILE"):
        load_settings({"DIARY_SECRET_KEY_FILE": str(tmp_path / "missing")}, str(tmp_path))


def test_every_setting_has_help():
    for setting in SETTINGS:
        assert setting.name.startswith("DIARY_") and len(setting.help) > 20


def test_https_environment_sets_secure_cookies_and_hsts(tmp_path, monkeypatch, migrated_database):
    monkeypatch.setenv("DIARY_HTTPS", "true")
    monkeypatch.setenv("DIARY_DATABASE_URL", f"sqlite:///{migrated_database}")
    app = create_app({"TESTING": True}, instance_path=str(tmp_path))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    response = app.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_public_url_loses_its_trailing_slash(tmp_path):
    config = load_settings({"DIARY_PUBLIC_URL": "https://diary.example.org/ "}, str(tmp_path))
    assert config["PUBLIC_URL"] == "https://diary.example.org"


def test_the_instance_folder_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DIARY_INSTANCE_PATH", str(tmp_path / "data"))
    app = create_app({"TESTING": True})
    assert app.instance_path == str(tmp_path / "data")
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'data' / 'diary.sqlite3'}"
    assert (tmp_path / "data" / "secret_key").is_file()
    app.extensions["diary_engine"].dispose()
