"""Start-up failures the settings or the file system cause: one line saying what to do, an exit
status of their own (the README's systemd unit stops restarting on them), never a traceback.

Each test runs the real commands of README "Self-hosting" in a process of their own: the server
(gunicorn with gunicorn.conf.py) and an admin command (flask --app wsgi admin ...).
"""

import os
import pwd
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest

from diary.config import SETTINGS, SettingError, check_names
from tests.test_selfhosting import BIN, ROOT, free_port

pytestmark = pytest.mark.no_test_database(reason="each start fails on its own settings or SQLite file")

README = ROOT / "README.md"
EXIT_CONFIG, EXIT_CANTCREAT, EXIT_NEWER_DATABASE = 78, 73, 65
SERVER = [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "wsgi:app"]
ADMIN = [str(BIN / "flask"), "--app", "wsgi", "admin", "list-users"]


def environment(instance: Path, **settings) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DIARY_")}
    env.update({"DIARY_INSTANCE_PATH": str(instance), "DIARY_BIND": f"127.0.0.1:{free_port()}",
                "DIARY_WORKERS": "1", **settings})
    return env


def run(command, env) -> subprocess.CompletedProcess:
    # A server that did start would run until killed: the timeout makes that a failure.
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def one_line(result) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return lines[0]


@pytest.mark.parametrize("command", [SERVER, ADMIN], ids=["server", "admin"])
def test_a_misspelled_setting_stops_the_start_naming_the_real_one(tmp_path, command):
    result = run(command, environment(tmp_path / "instance", DIARY_HTTP="true"))
    assert result.returncode == EXIT_CONFIG
    assert one_line(result) == ('The diary cannot start: DIARY_HTTP is not a setting of the diary; '
                                'did you mean DIARY_HTTPS? (README "Settings" lists them all)')
    assert not (tmp_path / "instance").exists()  # stopped before touching anything


@pytest.mark.parametrize("command", [SERVER, ADMIN], ids=["server", "admin"])
@pytest.mark.parametrize("name, raw, message", [
    ("DIARY_HTTPS", "ture", "DIARY_HTTPS must be true or false, not 'ture'"),
    ("DIARY_WORKERS", "two", "DIARY_WORKERS must be a whole number, not 'two'"),
    ("DIARY_BIND", "8000", "DIARY_BIND must be host:port like 127.0.0.1:8000, not '8000'"),
    ("DIARY_DATABASE_URL", "/var/lib/diary/diary.sqlite3", "DIARY_DATABASE_URL must be a database URL"),
    ("DIARY_RATELIMIT_STORAGE_URL", "memroy://", "DIARY_RATELIMIT_STORAGE_URL cannot be used"),
])
def test_a_bad_value_stops_the_start_in_one_line(tmp_path, command, name, raw, message):
    result = run(command, environment(tmp_path / "instance", **{name: raw}))
    assert result.returncode == EXIT_CONFIG
    assert one_line(result).startswith(f"The diary cannot start: {message}")


# Root writes anywhere: as root, the diary runs without the capability to override file modes.
AS_ONE_WITHOUT_OVERRIDE = ["setpriv", "--inh-caps=-dac_override,-dac_read_search",
                           "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []


@pytest.fixture
def unwritable_instance(tmp_path):
    """An instance folder the user running the diary may read but not write."""
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o555)
    yield instance
    instance.chmod(0o755)


@pytest.mark.parametrize("command", [SERVER, ADMIN], ids=["server", "admin"])
def test_an_unwritable_instance_folder_says_to_chown_it(unwritable_instance, command):
    instance, user = unwritable_instance, pwd.getpwuid(os.geteuid()).pw_name
    result = run(AS_ONE_WITHOUT_OVERRIDE + command, environment(instance))
    assert result.returncode == EXIT_CANTCREAT
    assert one_line(result) == (f"The diary cannot start: the instance folder {instance} is not "
                                f"writable by user {user}: chown it (chown -R {user}: {instance}); "
                                "under systemd it must also be in ReadWritePaths=")


def test_an_instance_folder_that_cannot_be_created_says_how_to_create_it(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run(SERVER, environment(blocker / "instance"))
    assert result.returncode == EXIT_CANTCREAT
    assert f"the instance folder {blocker / 'instance'} cannot be created" in one_line(result)
    assert "install -d" in one_line(result)


def test_a_sqlite_file_in_a_missing_folder_says_which_folder(tmp_path):
    missing = tmp_path / "no-such-folder"
    result = run(SERVER, environment(tmp_path / "instance",
                                     DIARY_DATABASE_URL=f"sqlite:///{missing}/diary.sqlite3"))
    assert result.returncode == EXIT_CANTCREAT
    assert f"the database's folder {missing} does not exist: create it" in one_line(result)


def test_a_database_from_a_newer_release_stops_the_server_and_points_to_the_undo_steps(tmp_path):
    env = environment(tmp_path / "instance")
    assert run([str(BIN / "flask"), "--app", "wsgi", "migrate"], env).returncode == 0
    with sqlite3.connect(tmp_path / "instance" / "diary.sqlite3") as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.close()
    result = run(SERVER, env)
    assert result.returncode == EXIT_NEWER_DATABASE
    assert 'schema 9999, from a newer release' in one_line(result)
    assert 'README "Undo an upgrade"' in one_line(result)


def test_the_readme_unit_stops_restarting_on_these_statuses():
    unit = README.read_text().split("[Service]")[1].split("END")[0]
    statuses = re.search(r"^RestartPreventExitStatus=(.+)$", unit, flags=re.MULTILINE).group(1).split()
    assert sorted(map(int, statuses)) == [EXIT_NEWER_DATABASE, EXIT_CANTCREAT, EXIT_CONFIG]
    assert "Restart=on-failure" in unit


def test_every_known_setting_passes_the_name_check():
    check_names({setting.name: "" for setting in SETTINGS} | {"DIARY_SECRET_KEY_FILE": "x", "PATH": "/bin"})


@pytest.mark.parametrize("typo, closest", [
    ("DIARY_HTTP", "DIARY_HTTPS"),
    ("DIARY_TRUSTED_PROXY", "DIARY_TRUSTED_PROXIES"),
    ("DIARY_PUBLICURL", "DIARY_PUBLIC_URL"),
    ("DIARY_SECRETKEY_FILE", "DIARY_SECRET_KEY_FILE"),
])
def test_an_unknown_name_is_refused_with_the_closest_setting(typo, closest):
    with pytest.raises(SettingError, match=f"^{typo} is not a setting of the diary; did you mean {closest}\\?"):
        check_names({typo: "1"})


def test_admin_commands_print_only_their_results_on_stdout(tmp_path):
    env = environment(tmp_path / "instance")
    migrated = run([str(BIN / "flask"), "--app", "wsgi", "migrate"], env)
    assert migrated.stdout == "Database is up to date.\n"
    assert "Running upgrade" in migrated.stderr  # the log still says what happened, on stderr
    listed = run(ADMIN, env)
    assert (listed.returncode, listed.stdout) == (0, "No accounts yet.\n")
    assert "Context impl" not in listed.stderr + listed.stdout
