"""Commands for whoever runs the server: ``flask --app wsgi admin --help``.

Accounts, who may register, invite codes, backup and restore. They work on the database directly,
so they work whether or not the server is running, and a change (say, closing registration) holds
for the running server at its next request. Passwords are prompted without echo or read from
standard input: never an argument, which anyone on the machine could read with ``ps``.
"""

import sys
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, inspect
from sqlmodel import Session, select

from diary.auth import end_every_session, end_sessions, read_email, read_new_password
from diary.backup import BackupError, backup, backup_revision, restore, sqlite_file
from diary.checks import check_command
from diary.days import is_time_zone
from diary.db import current_revisions, get_engine, get_session, head_revisions, known_revision
from diary.forms import FormReader
from diary.models import Entry, Patient, utcnow
from diary.registration import (
    MODES, all_invites, create_invite, invite_state, registration_mode, revoke_invite,
    set_registration_mode,
)
from diary.security import hash_password
from diary.summaries.store import refresh_all

admin = AppGroup("admin", help="Run the diary server: accounts, registration, invites, backups, checking the set-up.")
invite = AppGroup("invite", help="Invite codes, for registration by invite (see `registration`).")
admin.add_command(invite)

password_stdin = click.option(
    "--password-stdin", is_flag=True,
    help="Read the password from the first line of standard input instead of asking for it.")

MODE_MEANINGS = {
    "open": "anyone who can reach the diary may create an account",
    "invite": "a new account needs an invite code (create them with `admin invite create`)",
    "closed": "nobody may create an account; admins can still create them with `admin create-user`",
}


def database() -> Session:
    """The session for a command, once the database's schema is the one this code expects."""
    engine = get_engine()
    if current_revisions(engine) != head_revisions(engine):
        raise click.ClickException(
            "The database is not set up for this version of the diary yet. Start the diary once "
            "(systemctl restart diary), which applies the migrations, or run: flask --app wsgi migrate")
    return get_session()


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def stop_if_rejected(reader: FormReader) -> None:
    if not reader.ok:
        raise click.ClickException("; ".join(reader.errors.values()))


def when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else "never"


@admin.command("create-user")
@click.argument("email")
@click.option("--name", prompt="Name shown in the diary", help="The patient's name (a first name is enough).")
@click.option("--time-zone", default="UTC", show_default=True,
              help="Where the patient lives, like Europe/London: days start at midnight there.")
@password_stdin
def create_user(email, name, time_zone, password_stdin):
    """Create an account, whatever the registration mode.

    The email must not belong to another account (case does not matter). The password needs 8 to
    200 characters; it is asked for twice without being shown, or read with --password-stdin.
    """
    reader = FormReader({"email": email, "display_name": name})
    email = read_email(reader)
    display_name = reader.text("display_name", "The name", max_length=80, required=True)
    if not is_time_zone(time_zone):
        reader.fail("time_zone", f"Unknown time zone {time_zone!r}; use a name like Europe/London")
    stop_if_rejected(reader)
    session = database()
    if session.exec(select(Patient).where(Patient.email == email)).first() is not None:
        raise click.ClickException(f"An account with the email {email} already exists.")
    password = checked_password(password_stdin)
    user = Patient(email=email, display_name=display_name, time_zone=time_zone,
                password_hash=hash_password(password))
    session.add(user)
    session.commit()
    click.echo(f"Created the account {email} ({display_name}, time zone {time_zone}).")


def checked_password(from_stdin: bool) -> str:
    reader = FormReader({"password": read_password(from_stdin)})
    password = read_new_password(reader)
    stop_if_rejected(reader)
    return password


@admin.command("reset-password")
@click.argument("email")
@password_stdin
def reset_password(email, password_stdin):
    """Give an account a new password and log it out on every device.

    For a patient who forgot theirs: tell them the new one in person and ask them to change it
    under Account. The password needs 8 to 200 characters.
    """
    session = database()
    user = session.exec(select(Patient).where(Patient.email == email.strip().lower())).first()
    if user is None:
        raise click.ClickException(f"There is no account with the email {email}.")
    user.password_hash = hash_password(checked_password(password_stdin))
    end_sessions(user)  # ends every session and remember-me cookie of the old password
    session.add(user)
    session.commit()
    click.echo(f"New password set for {user.email}; every device they were logged in on is logged out.")


@admin.command("list-users")
def list_users():
    """List accounts: email, name, when created and how many diary days each has logged.

    Shows no diary answers: no pain scores, side effects or notes.
    """
    rows = database().exec(
        select(Patient.email, Patient.display_name, Patient.created_at, func.count(Entry.id))
        .outerjoin(Entry, Entry.patient_id == Patient.id)
        .group_by(Patient.id).order_by(Patient.created_at, Patient.id)
    ).all()
    if not rows:
        click.echo("No accounts yet.")
        return
    width = max(len(email) for email, *_ in rows)
    click.echo(f"{'Email':<{width}}  {'Created':<10}  {'Days':>5}  Name")
    for email, name, created_at, days in rows:
        click.echo(f"{email:<{width}}  {created_at:%Y-%m-%d}  {days:>5}  {name}")
    click.echo(f"{len(rows)} account{'s' if len(rows) != 1 else ''}.")


@admin.command("registration")
@click.argument("mode", required=False, type=click.Choice(MODES))
def registration(mode):
    """Show or set who may create an account: open, invite or closed.

    open: anyone who can reach the diary. invite: only with an invite code. closed: nobody (admins
    can still use create-user). Until set, registration is open. It is kept in the database, so the
    running server follows it from its next request.
    """
    session = database()
    if mode is not None:
        set_registration_mode(session, mode)
    current = registration_mode(session)
    click.echo(f"Registration is {'now ' if mode else ''}{current}: {MODE_MEANINGS[current]}.")


@invite.command("create")
@click.option("--expires-days", type=click.IntRange(min=0), default=30, show_default=True,
              help="Days the code stays valid; 0 means it never expires.")
@click.option("--uses", type=click.IntRange(min=0), default=1, show_default=True,
              help="How many accounts the code may create; 0 means any number.")
@click.option("--clinician", is_flag=True,
              help="A code for a clinician's account (at /clinic/register), not a patient's diary.")
def invite_create(expires_days, uses, clinician):
    """Create an invite code and print it. It is shown only this once: it is stored hashed."""
    session = database()
    code, created = create_invite(session, expires_days=expires_days or None, max_uses=uses or None,
                                  kind="clinician" if clinician else "patient")
    click.echo(f"Invite code: {code}")
    allowed = f"{uses} account{'s' if uses != 1 else ''}" if uses else "any number of accounts"
    click.echo(f"Invite #{created.id}: creates {allowed}; expires {when(created.expires_at)}. "
               "Write it down now: it cannot be shown again.")
    if clinician:
        base = current_app.config["PUBLIC_URL"] or "the diary's address"
        click.echo(f"Clinicians create their account at {base}/clinic/register, whatever the "
                   "registration mode, and set up two-step login at their first login.")
        return
    if current_app.config["PUBLIC_URL"]:
        click.echo(f"Patients create their diary at {current_app.config['PUBLIC_URL']}/register")
    mode = registration_mode(session)
    if mode != "invite":
        click.echo(f"Note: registration is {mode}; codes are asked for only after "
                   "`admin registration invite`.")


@invite.command("list")
def invite_list():
    """List invite codes by number, with their state. The codes themselves are not stored."""
    invites = all_invites(database())
    if not invites:
        click.echo("No invite codes yet.")
        return
    now = utcnow()
    click.echo(f"{'#':>4}  {'Created':<20}  {'Expires':<20}  {'Used':>7}  {'For':<9}  State")
    for row in invites:
        used = f"{row.uses}/{row.max_uses if row.max_uses else 'any'}"
        click.echo(f"{row.id:>4}  {when(row.created_at):<20}  {when(row.expires_at):<20}  "
                   f"{used:>7}  {row.kind:<9}  {invite_state(row, now)}")


@invite.command("revoke")
@click.argument("code")
def invite_revoke(code):
    """Withdraw an invite code (the code itself, or its number from `invite list`).

    Accounts already created with it stay; nobody can create another with it.
    """
    revoked = revoke_invite(database(), code)
    if revoked is None:
        raise click.ClickException("There is no such invite code or number.")
    click.echo(f"Invite #{revoked.id} is revoked; accounts made with it are not affected.")


@admin.command("backup")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--keep", type=click.IntRange(min=1),
              help="With a folder as PATH: delete older dated backups there, keeping this many.")
def backup_command(path, keep):
    """Copy the SQLite database to PATH, safely while the server runs.

    PATH is a new file, or a folder to write diary-YYYYMMDD-HHMMSS.sqlite3 into. An existing file
    is never overwritten. The copy is checked with SQLite's integrity check. PostgreSQL: use pg_dump.
    """
    try:
        written, removed = backup(sqlite_file(current_app.config["DATABASE_URL"]), path, keep=keep)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up to {written} ({written.stat().st_size} bytes, integrity ok).")
    for old in removed:
        click.echo(f"Deleted the older backup {old}.")


@admin.command("restore")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True,
              help="Replace a database that already holds data (it is saved beside it first).")
@click.option("--keep", type=click.IntRange(min=1), default=2, show_default=True,
              help="How many copies of replaced data to keep beside the database; older ones are deleted.")
def restore_command(path, force, keep):
    """Replace the SQLite database with the backup at PATH.

    The backup must pass SQLite's integrity check and come from this diary. A database that already
    holds accounts or diary days is replaced only with --force; that data is saved beside it first
    (as DATABASE.before-restore-TIME, keeping the newest --keep). Every session ends: everyone logs
    in again, so no cookie from before opens a restored account. Stop the server first
    (systemctl stop diary) and start it again after: an older backup is brought up to date when the
    diary starts. PostgreSQL: use pg_restore.
    """
    try:
        database = sqlite_file(current_app.config["DATABASE_URL"])
        revision = backup_revision(path)
        if not known_revision(get_engine(), revision):
            raise BackupError(f"{path} comes from a newer version of the diary (schema {revision}); "
                              "upgrade the diary (git pull) before restoring it.")
        get_engine().dispose()  # no pooled connection may hold the old file open
        saved, removed = restore(path, database, force=force, keep=keep)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    if saved is not None:
        click.echo(f"The data that was there is saved in {saved}.")
    for old in removed:
        click.echo(f"Deleted the older saved data {old}.")
    # The schema stays the backup's, so that an upgrade can be undone (README "Undo an upgrade").
    click.echo(f"Restored {database} from {path} (integrity ok, schema {revision}).")
    # A cookie issued before, by this database or the backup's, must not open a restored account,
    # and a server still running must not serve a history it cached before (diary.loaded_history).
    if not has_session_secrets(get_engine()):
        click.echo("Every session ends when the diary starts: the migration that brings this "
                   "backup up to date gives every account a new session secret.")
        return
    accounts = end_every_session(get_session())
    click.echo(f"Every session has ended: everyone logs in again, on every device "
               f"({accounts} account{'s' if accounts != 1 else ''}).")


def has_session_secrets(engine) -> bool:
    """Whether the database's schema has per-account session secrets yet (migration 0008)."""
    return "session_secret" in {column["name"] for column in inspect(engine).get_columns("patient")}


@admin.command("refresh-summaries")
@click.option("--all", "every", is_flag=True, help="Recompute every summary, not only the outdated ones.")
def refresh_summaries(every):
    """Compute the clinic dashboard's summaries that are missing or outdated (the server also
    does this at every start, before it answers)."""
    count = refresh_all(database(), only_stale=not every)
    click.echo(f"{count} summar{'y' if count == 1 else 'ies'} computed.")


def init_app(app) -> None:
    admin.add_command(check_command)
    app.cli.add_command(admin)
