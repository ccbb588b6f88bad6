"""`admin backup` and `admin restore`: consistent copies of the SQLite file, checked both ways."""

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from diary import create_app
from diary.db import make_engine, upgrade
from tests.conftest import PASSWORD, TEST_CONFIG, make_patient, sqlite_only


@pytest.fixture
def admin(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=["admin", *args])


def emails_in(path) -> list[str]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT email FROM patient ORDER BY email").fetchall()
    connection.close()
    return [email for (email,) in rows]


def database_of(app):
    return app.config["DATABASE_URL"].removeprefix("sqlite:///")


@sqlite_only
def test_backup_writes_a_checked_private_copy(admin, app, alice, tmp_path):
    target = tmp_path / "copy.sqlite3"
    result = admin("backup", str(target))
    assert result.exit_code == 0, result.output
    assert "integrity ok" in result.output
    assert emails_in(target) == ["alice@example.com"]
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert not target.with_name("copy.sqlite3-wal").exists()  # one self-contained file


@sqlite_only
def test_backup_sees_only_committed_data_while_a_write_is_in_progress(admin, app, alice, tmp_path):
    writer = sqlite3.connect(database_of(app), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO patient (email, display_name, password_hash, time_zone, "
                   "session_secret, created_at) VALUES ('half@example.com', 'H', 'x', 'UTC', 's', "
                   "'2026-01-01 00:00:00')")
    try:
        result = admin("backup", str(tmp_path / "copy.sqlite3"))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.exit_code == 0, result.output
    assert emails_in(tmp_path / "copy.sqlite3") == ["alice@example.com"]


@sqlite_only
def test_backup_never_overwrites_a_file(admin, alice, tmp_path):
    target = tmp_path / "copy.sqlite3"
    target.write_text("precious")
    result = admin("backup", str(target))
    assert result.exit_code == 1 and "already exists" in result.output
    assert target.read_text() == "precious"


@sqlite_only
def test_backup_into_a_folder_keeps_the_newest_dated_files(admin, alice, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    for name in ("diary-20200101-000000.sqlite3", "diary-20210101-000000.sqlite3",
                 "diary-20220101-000000.sqlite3", "notes.txt"):
        (folder / name).write_text("older")
    result = admin("backup", str(folder), "--keep", "2")
    assert result.exit_code == 0, result.output
    names = sorted(path.name for path in folder.iterdir())
    assert names[0] == "diary-20220101-000000.sqlite3" and names[-1] == "notes.txt"
    assert len(names) == 3 and names[1].startswith("diary-20")
    assert emails_in(folder / names[1]) == ["alice@example.com"]


@sqlite_only
def test_keep_needs_a_folder(admin, alice, tmp_path):
    result = admin("backup", str(tmp_path / "copy.sqlite3"), "--keep", "2")
    assert result.exit_code == 1 and "needs a folder" in result.output
    assert list(tmp_path.glob("copy*")) == []


@pytest.fixture
def saved_backup(app, admin, alice, tmp_path):
    path = tmp_path / "alice.sqlite3"
    assert admin("backup", str(path)).exit_code == 0
    return path


@pytest.fixture
def fresh_app(tmp_path, migrated_database):
    """A second diary with its own empty, migrated database: where a backup is restored to."""
    database = tmp_path / "fresh" / "diary.sqlite3"
    database.parent.mkdir()
    database.write_bytes(migrated_database.read_bytes())
    app = create_app({**TEST_CONFIG, "DATABASE_URL": f"sqlite:///{database}"},
                     instance_path=str(tmp_path / "fresh"))
    yield app
    app.extensions["diary_engine"].dispose()


@sqlite_only
def test_restore_into_an_empty_diary(fresh_app, saved_backup):
    result = fresh_app.test_cli_runner().invoke(args=["admin", "restore", str(saved_backup)])
    assert result.exit_code == 0, result.output
    assert emails_in(database_of(fresh_app)) == ["alice@example.com"]
    client = fresh_app.test_client()
    assert client.post("/login", data={"email": "alice@example.com", "password": PASSWORD}).location == "/today"


@sqlite_only
def test_a_diary_whose_only_rows_are_counted_failed_logins_is_empty_for_restore(fresh_app, saved_backup):
    fresh_app.test_client().post("/login", data={"email": "nobody@example.com", "password": "wrong"})
    with sqlite3.connect(database_of(fresh_app)) as connection:
        assert connection.execute("SELECT count(*) FROM rate_limit_count").fetchone()[0] > 0
    connection.close()
    result = fresh_app.test_cli_runner().invoke(args=["admin", "restore", str(saved_backup)])
    assert result.exit_code == 0, result.output
    assert emails_in(database_of(fresh_app)) == ["alice@example.com"]


@sqlite_only
def test_restore_into_a_missing_database_file(saved_backup, tmp_path):
    database = tmp_path / "new" / "diary.sqlite3"
    app = create_app({**TEST_CONFIG, "DATABASE_URL": f"sqlite:///{database}"}, instance_path=str(tmp_path / "new"))
    result = app.test_cli_runner().invoke(args=["admin", "restore", str(saved_backup)])
    app.extensions["diary_engine"].dispose()
    assert result.exit_code == 0, result.output
    assert emails_in(database) == ["alice@example.com"]


@sqlite_only
def test_restore_refuses_to_replace_data_without_force(admin, app, saved_backup):
    make_patient(app, "bob@example.com", "Bob")
    result = admin("restore", str(saved_backup))
    assert result.exit_code == 1 and "--force" in result.output
    assert emails_in(database_of(app)) == ["alice@example.com", "bob@example.com"]


@sqlite_only
def test_restore_with_force_replaces_the_data_and_keeps_what_it_replaced(admin, app, saved_backup):
    make_patient(app, "bob@example.com", "Bob")
    result = admin("restore", str(saved_backup), "--force")
    assert result.exit_code == 0, result.output
    assert emails_in(database_of(app)) == ["alice@example.com"]
    kept = next(line for line in result.output.splitlines() if "saved in" in line).split("saved in ")[1].rstrip(".")
    assert emails_in(kept) == ["alice@example.com", "bob@example.com"]


@sqlite_only
def test_restore_refuses_a_damaged_file(admin, app, saved_backup):
    data = bytearray(saved_backup.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # scribble over the second page
    saved_backup.write_bytes(bytes(data))
    result = admin("restore", str(saved_backup), "--force")
    assert result.exit_code == 1 and ("damaged" in result.output or "not a readable" in result.output)
    assert emails_in(database_of(app)) == ["alice@example.com"]


@sqlite_only
def test_restore_refuses_a_file_that_is_not_a_diary(admin, app, alice, tmp_path):
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE things (name TEXT)")
    connection.close()
    result = admin("restore", str(other), "--force")
    assert result.exit_code == 1 and "not a backup of this diary" in result.output
    not_sqlite = tmp_path / "notes.txt"
    not_sqlite.write_text("hello " * 2000)
    result = admin("restore", str(not_sqlite), "--force")
    assert result.exit_code == 1 and "not a readable SQLite database" in result.output
    assert emails_in(database_of(app)) == ["alice@example.com"]


@sqlite_only
def test_restore_refuses_a_backup_from_a_newer_version(admin, app, saved_backup):
    with sqlite3.connect(saved_backup) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.close()
    result = admin("restore", str(saved_backup), "--force")
    assert result.exit_code == 1 and "newer version" in result.output


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_postgresql_is_pointed_to_pg_dump(make_app, tmp_path, command):
    app = make_app(DATABASE_URL="postgresql+psycopg://diary@127.0.0.1/diary")
    result = app.test_cli_runner().invoke(args=["admin", command, str(tmp_path / "x.sqlite3")])
    assert result.exit_code == 1 and "pg_dump" in result.output
    assert not (tmp_path / "x.sqlite3").exists()


@sqlite_only
def test_restore_keeps_only_the_newest_copies_of_replaced_data(admin, app, saved_backup):
    database = database_of(app)
    stale = [f"{database}.before-restore-2020010{day}-000000" for day in (1, 2, 3)]
    for path in stale:
        with open(path, "w") as file:
            file.write("older replaced data")
    make_patient(app, "bob@example.com", "Bob")
    result = admin("restore", str(saved_backup), "--force", "--keep", "2")
    assert result.exit_code == 0, result.output
    kept = sorted(str(path) for path in Path(database).parent.glob("*.before-restore-*"))
    assert kept[0] == stale[-1] and len(kept) == 2  # the oldest two are gone, the new copy stays
    assert emails_in(kept[1]) == ["alice@example.com", "bob@example.com"]
    for path in stale[:2]:
        assert f"Deleted the older saved data {path}." in result.output


@sqlite_only
def test_a_backup_from_before_session_secrets_ends_sessions_when_the_diary_starts(
        app, as_alice, tmp_path, migrated_database):
    # README: a restore ends every session. A backup older than per-account session secrets
    # (migration 0008) keeps its schema at restore (for undoing an upgrade); the migration at
    # start then gives every account a new secret.
    older = tmp_path / "older.sqlite3"
    engine = make_engine(f"sqlite:///{older}")
    upgrade(engine, "0007")
    engine.dispose()
    with sqlite3.connect(older) as connection:  # Alice's account as that schema had it
        connection.execute("ATTACH DATABASE ? AS live", (database_of(app),))
        columns = [row[1] for row in connection.execute("PRAGMA main.table_info(patient)")]
        shared = [name for name in columns if name != "session_version"]
        connection.execute(f"INSERT INTO main.patient ({', '.join(shared)}, session_version) "
                           f"SELECT {', '.join(shared)}, 0 FROM live.patient")
    connection.close()
    assert emails_in(older) == ["alice@example.com"]
    result = app.test_cli_runner().invoke(args=["admin", "restore", str(older), "--force"])
    assert result.exit_code == 0, result.output
    assert "schema 0007" in result.output and "Every session ends when the diary starts" in result.output
    upgrade(app.extensions["diary_engine"])  # what starting the diary does
    assert as_alice.get("/today").status_code == 302


@sqlite_only
def test_restore_on_another_server_logs_everyone_out(as_alice, saved_backup, tmp_path, migrated_database):
    # README: another server has its own secret key, so every patient logs in again there.
    database = tmp_path / "elsewhere" / "diary.sqlite3"
    database.parent.mkdir()
    database.write_bytes(migrated_database.read_bytes())
    own_key = {key: value for key, value in TEST_CONFIG.items() if key != "SECRET_KEY"}
    elsewhere = create_app({**own_key, "DATABASE_URL": f"sqlite:///{database}"},
                           instance_path=str(database.parent))  # generates its own secret_key
    try:
        assert elsewhere.test_cli_runner().invoke(args=["admin", "restore", str(saved_backup)]).exit_code == 0
        moved = elsewhere.test_client()
        moved.set_cookie("session", as_alice.get_cookie("session").value)
        assert moved.get("/today").status_code == 302  # to the login page
        login = moved.post("/login", data={"email": "alice@example.com", "password": PASSWORD})
        assert login.location == "/today"
    finally:
        elsewhere.extensions["diary_engine"].dispose()


@sqlite_only
@pytest.mark.parametrize("where, keep, message", [
    ("missing/copy.sqlite3", (), "cannot be written (No such file or directory): check that its folder exists"),
    ("missing", ("--keep", "14"), "is not one (to make it: install -d -m 700"),
])
def test_a_backup_that_cannot_be_written_fails_in_one_line(admin, alice, tmp_path, where, keep, message):
    # What cron's line relays to the journal: exit status 1 and this one line, never a traceback.
    result = admin("backup", str(tmp_path / where), *keep)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output.startswith("Error: ") and message in result.output
    assert len(result.output.splitlines()) == 1
    assert not (tmp_path / "missing").exists()
