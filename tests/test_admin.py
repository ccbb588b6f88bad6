"""The admin commands for accounts, registration and invite codes (`flask --app wsgi admin ...`)."""

import hashlib
import sqlite3
from datetime import timedelta

import pytest
from sqlmodel import select

from diary.models import Invite, Patient, SiteSetting, utcnow
from diary.registration import hash_code
from diary.security import verify_password
from tests.conftest import PASSWORD, find_user


@pytest.fixture
def admin(app):
    runner = app.test_cli_runner()

    def run(*args, input=None):
        return runner.invoke(args=["admin", *args], input=input)

    return run


def password_matches(app, user: Patient, password: str) -> bool:
    with app.app_context():
        return verify_password(user.password_hash, password)


def test_create_user_reads_the_password_from_stdin(admin, app, db):
    result = admin("create-user", "Erin@Example.org", "--name", "Erin", "--time-zone", "Europe/Paris",
                   "--password-stdin", input="a long password\n")
    assert result.exit_code == 0, result.output
    assert "Created the account erin@example.org" in result.output
    user = find_user(db, "erin@example.org")
    assert (user.display_name, user.time_zone) == ("Erin", "Europe/Paris")
    assert password_matches(app, user, "a long password")


def test_create_user_asks_for_the_password_twice_without_showing_it(admin, app, db):
    result = admin("create-user", "erin@example.org", "--name", "Erin",
                   input="a long password\na long password\n")
    assert result.exit_code == 0, result.output
    assert "a long password" not in result.output
    assert password_matches(app, find_user(db, "erin@example.org"), "a long password")


def test_a_password_is_never_taken_as_an_argument(admin, db):
    result = admin("create-user", "erin@example.org", "--name", "Erin", "--password", "a long password")
    assert result.exit_code == 2 and "No such option" in result.output
    assert find_user(db, "erin@example.org") is None


@pytest.mark.parametrize("args, password, message", [
    (("not-an-email",), "a long password", "Enter an email address like name@example.com"),
    (("erin@example.org", "--time-zone", "Mars/Olympus"), "a long password", "Unknown time zone"),
    (("erin@example.org",), "short", "Password must be at least 8 characters"),
    (("alice@example.com",), "a long password", "An account with the email alice@example.com already exists"),
])
def test_create_user_refuses_what_registration_would_refuse(admin, db, alice, args, password, message):
    result = admin("create-user", *args, "--name", "Erin", "--password-stdin", input=password + "\n")
    assert result.exit_code == 1 and message in result.output
    assert find_user(db, "erin@example.org") is None
    assert len(db.exec(select(Patient)).all()) == 1


def test_reset_password_sets_a_new_one_and_logs_out_every_device(admin, app, db, alice):
    result = admin("reset-password", "ALICE@example.com", "--password-stdin", input="a brand new one\n")
    assert result.exit_code == 0, result.output
    assert "logged out" in result.output
    db.expire_all()
    user = find_user(db, alice.email)
    assert password_matches(app, user, "a brand new one")
    assert not password_matches(app, user, PASSWORD)
    assert user.session_secret != alice.session_secret


def test_reset_password_of_an_unknown_email_changes_nothing(admin, db, alice):
    result = admin("reset-password", "nobody@example.com", "--password-stdin", input="a brand new one\n")
    assert result.exit_code == 1 and "no account" in result.output
    assert find_user(db, alice.email).password_hash == alice.password_hash


def test_list_users_shows_accounts_and_day_counts_but_no_diary_answers(admin, as_alice, alice, charlie, clock):
    clock.set("2026-03-10T09:00", "Europe/London")
    for day, pain in (("2026-03-09", "7"), ("2026-03-10", "6")):
        as_alice.post("/entries", data={"day": day, "pain_avg": pain, "notes": "private words"})
    result = admin("list-users")
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line.split() for line in result.output.splitlines()[1:-1]}
    assert lines["alice@example.com"][2:] == ["2", "Alice"]
    assert lines["charlie@example.com"][2:] == ["0", "Charlie"]
    assert "private words" not in result.output
    assert result.output.splitlines()[-1] == "2 accounts."


def test_registration_shows_and_sets_the_mode_in_the_database(admin, db):
    assert admin("registration").output.startswith("Registration is open")
    result = admin("registration", "invite")
    assert result.exit_code == 0 and result.output.startswith("Registration is now invite")
    assert db.get(SiteSetting, "registration").value == "invite"
    assert admin("registration", "everyone").exit_code == 2
    db.expire_all()
    assert db.get(SiteSetting, "registration").value == "invite"


def test_a_mode_set_by_the_command_holds_for_the_running_app(admin, client):
    admin("registration", "closed")
    assert client.get("/register").status_code == 403
    admin("registration", "open")
    assert client.get("/register").status_code == 200


def test_invite_create_prints_the_code_once_and_stores_only_its_hash(admin, db):
    result = admin("invite", "create", "--expires-days", "7", "--uses", "3")
    assert result.exit_code == 0, result.output
    code = result.output.splitlines()[0].removeprefix("Invite code: ")
    invite = db.exec(select(Invite)).one()
    assert invite.code_hash == hashlib.sha256(code.replace("-", "").encode()).hexdigest()
    assert (invite.max_uses, invite.uses, invite.revoked_at) == (3, 0, None)
    assert timedelta(days=7) - timedelta(minutes=1) < invite.expires_at - utcnow() <= timedelta(days=7)
    assert "registration is open" in result.output  # reminds that codes are not asked for yet


def test_invite_create_with_zero_means_no_limit(admin, db):
    assert admin("invite", "create", "--expires-days", "0", "--uses", "0").exit_code == 0
    invite = db.exec(select(Invite)).one()
    assert invite.expires_at is None and invite.max_uses is None


def test_invite_list_shows_states_but_never_codes(admin, db):
    code = admin("invite", "create").output.splitlines()[0].removeprefix("Invite code: ")
    admin("invite", "create", "--uses", "0")
    admin("invite", "revoke", "2")
    result = admin("invite", "list")
    assert result.exit_code == 0
    states = [line.split()[-1] for line in result.output.splitlines()[1:]]
    assert states == ["usable", "revoked"]
    assert code not in result.output


def test_invite_revoke_by_code(admin, db):
    code = admin("invite", "create").output.splitlines()[0].removeprefix("Invite code: ")
    result = admin("invite", "revoke", code.lower())
    assert result.exit_code == 0 and "Invite #1 is revoked" in result.output
    assert db.exec(select(Invite).where(Invite.code_hash == hash_code(code))).one().revoked_at is not None


def test_invite_revoke_of_an_unknown_code_says_so(admin):
    result = admin("invite", "revoke", "AAAA-BBBB-CCCC")
    assert result.exit_code == 1 and "no such invite" in result.output


def test_every_command_explains_its_rule(admin):
    rules = {
        ("create-user",): "8 to 200 characters",
        ("reset-password",): "log it out on every device",
        ("list-users",): "Shows no diary answers",
        ("registration",): "open: anyone",
        ("invite", "create"): "shown only this once",
        ("invite", "revoke"): "Accounts already created with it stay",
        ("backup",): "never overwritten",
        ("restore",): "only with --force",
    }
    for command, rule in rules.items():
        help_text = " ".join(admin(*command, "--help").output.split())
        assert rule in help_text, command


def test_commands_refuse_a_database_that_is_not_migrated(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    result = app.test_cli_runner().invoke(args=["admin", "registration", "closed"])
    app.extensions["diary_engine"].dispose()
    assert result.exit_code == 1 and "flask --app wsgi migrate" in result.output
    with sqlite3.connect(tmp_path / "empty.sqlite3") as connection:
        tables = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    connection.close()
    assert tables == []


def test_invite_create_names_the_page_to_register_on_when_the_address_is_known(make_app):
    app = make_app(PUBLIC_URL="https://diary.example.org")
    result = app.test_cli_runner().invoke(args=["admin", "invite", "create"])
    app.extensions["diary_engine"].dispose()
    assert "Patients create their diary at https://diary.example.org/register" in result.output
