"""`admin restore` ends every session (issue 22, item 3), also under a running server.

Restoring a backup from before some accounts existed brings their ids back (SQLite's id counter
is restored with the file): the next sign-up gets the id of an account the live server still has
cookies and cached histories for. The restore gives every account a new session secret, so no
cookie from before opens anything, and cached histories are keyed by that secret.
"""

from sqlmodel import Session, select

from diary.models import Patient
from tests import inherited_account
from tests.conftest import PASSWORD, make_patient, sqlite_only
from tests.inherited_account import ALICE, DANA, ClientDevice, HttpDevice, data_version_reader
from tests.test_concurrency import Server


def ids_of(engine) -> dict[str, int]:
    with Session(engine) as session:
        return dict(session.exec(select(Patient.email, Patient.id)).all())


@sqlite_only
def test_after_restoring_an_older_backup_a_returning_id_opens_and_shows_nothing_of_before(app, tmp_path):
    engine = app.extensions["diary_engine"]
    make_patient(app, "charlie@example.com", "Charlie")
    backup = tmp_path / "before-alice.sqlite3"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["admin", "backup", str(backup)]).exit_code == 0
    alices_id = []
    outputs = []

    def restore_the_older_backup(device):
        alices_id.append(ids_of(engine)[ALICE["email"]])
        result = runner.invoke(args=["admin", "restore", str(backup), "--force"])
        assert result.exit_code == 0, result.output
        outputs.append(result.output)

    # The app (and its caches) stays up through the restore, as a server's worker would.
    inherited_account.play(lambda: ClientDevice(app), data_version_reader(engine),
                           remove_alice=restore_the_older_backup)
    assert ids_of(engine)[DANA["email"]] == alices_id[0]  # the id did come back
    assert "Every session has ended: everyone logs in again, on every device (1 account)." in outputs[0]


@sqlite_only
def test_restore_ends_the_sessions_of_the_accounts_it_restores(app, alice, tmp_path):
    """A cookie issued before the backup was taken would match the restored account's secret."""
    client = app.test_client()
    client.post("/login", data={"email": alice.email, "password": PASSWORD, "remember": "yes"})
    remembered = client.get_cookie("remember_token").value
    runner = app.test_cli_runner()
    backup = tmp_path / "with-alice.sqlite3"
    assert runner.invoke(args=["admin", "backup", str(backup)]).exit_code == 0
    result = runner.invoke(args=["admin", "restore", str(backup), "--force"])
    assert result.exit_code == 0, result.output
    assert client.get("/today").status_code == 302
    stale = app.test_client()
    stale.set_cookie("remember_token", remembered)
    assert stale.get("/today").location.startswith("/login")
    with Session(app.extensions["diary_engine"]) as session:
        assert session.exec(select(Patient.session_secret)).one() != alice.session_secret


@sqlite_only
def test_restore_under_a_running_server_ends_every_session_and_cached_diary(app, database_url, tmp_path):
    """gunicorn with two workers serves throughout; the admin restores a backup from before Alice."""
    engine = app.extensions["diary_engine"]
    make_patient(app, "charlie@example.com", "Charlie")
    backup = tmp_path / "before-alice.sqlite3"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["admin", "backup", str(backup)]).exit_code == 0
    engine.dispose()
    server = Server(database_url, tmp_path / "server-instance", workers=2)
    try:
        charlie = HttpDevice(server.port)
        inherited_account.log_in(charlie, {"email": "charlie@example.com", "password": PASSWORD},
                                 remember=True)
        charlies_cookie = charlie.carrying("remember_token")
        alices_id, outputs = [], []

        def restore_the_older_backup(device):
            alices_id.append(ids_of(engine)[ALICE["email"]])
            result = runner.invoke(args=["admin", "restore", str(backup), "--force"])
            assert result.exit_code == 0, result.output
            outputs.append(result.output)

        inherited_account.play(lambda: HttpDevice(server.port), data_version_reader(engine),
                               remove_alice=restore_the_older_backup)
        assert ids_of(engine)[DANA["email"]] == alices_id[0]  # the id did come back
        assert "Every session has ended" in outputs[0]
        for device in (charlie, charlies_cookie):  # restored accounts log in again too
            inherited_account.assert_sent_to_log_in(device, "Charlie's cookie from before")
        inherited_account.log_in(charlie, {"email": "charlie@example.com", "password": PASSWORD})
        assert charlie.get("/today").status == 200
    finally:
        server.stop()
