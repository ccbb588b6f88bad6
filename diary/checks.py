"""`admin check`: the whole set-up looked over at once, each problem said in words with its fix.

Settings that cannot even be parsed never get here: the command then stops like the server does,
with one line (diary.config.StartupError). What is checked here is what parses but is still
wrong: settings that contradict each other, the instance folder and secret key, the database
(it answers, its schema is this release's, SQLite's own check), and what the running server
noticed about its proxy and share links (diary.notices).
"""

import stat
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from diary.config import StartupError
from diary.db import check_sqlite_file, current_revisions, get_engine, head_revisions, known_revision
from diary.notices import recorded_notices


def settings_problems(config: dict) -> list[str]:
    problems = []
    if config["HTTPS"] and config["TRUSTED_PROXIES"] == 0:
        # gunicorn here serves plain HTTP, so HTTPS means a proxy in front.
        problems.append("DIARY_HTTPS is on, so a proxy serves HTTPS in front of the diary, but "
                        "DIARY_TRUSTED_PROXIES is 0: every patient shares the proxy's address for "
                        "the login limits. Set DIARY_TRUSTED_PROXIES=1.")
    if config["HTTPS"] and not config["PUBLIC_URL"]:
        # Without either, only loopback host names are allowed (diary.server).
        refused = ("" if config.get("TRUSTED_HOST_NAMES") else
                   ", and with DIARY_TRUSTED_HOSTS unset too every request for your domain gets a 400 page")
        problems.append("DIARY_PUBLIC_URL is not set: share links are built from each request's "
                        f"address{refused}. Set DIARY_PUBLIC_URL=https://your.domain.")
    if config["PUBLIC_URL"].startswith("https://") and not config["HTTPS"]:
        problems.append("DIARY_PUBLIC_URL is https:// but DIARY_HTTPS is off: login cookies are not "
                        "marked Secure and no HSTS is sent. Set DIARY_HTTPS=true.")
    if config["PUBLIC_URL"].startswith("http://") and config["HTTPS"]:
        problems.append("DIARY_HTTPS is on but DIARY_PUBLIC_URL starts with http://: share links "
                        "would leave HTTPS. Make it https://.")
    return problems


def secret_key_problems(instance_path: str) -> list[str]:
    key = Path(instance_path) / "secret_key"
    if key.is_file() and stat.S_IMODE(key.stat().st_mode) & 0o077:
        return [f"{key} can be read by other users of this machine; anyone with it can forge a "
                f"login. Run: chmod 600 {key}"]
    return []


def database_problems(engine) -> tuple[list[str], str]:
    """The problems, and a few words on what the database is when it answers."""
    try:
        check_sqlite_file(engine)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except StartupError as error:
        return [f"{error}."], ""
    except SQLAlchemyError as error:
        return [f"The database does not answer ({type(error).__name__}: {error.orig or error}). "
                "Check DIARY_DATABASE_URL and that the database server runs."], ""
    current, heads = current_revisions(engine), head_revisions(engine)
    schema = ", ".join(sorted(current)) or "empty"
    if any(not known_revision(engine, revision) for revision in current):
        return [f"The database has schema {schema}, from a newer release than this checkout: "
                "restore the backup taken before the upgrade (README \"Undo an upgrade\") or check "
                "out the newer release again."], schema
    if current != heads:
        return [f"The database has schema {schema}; this release needs {', '.join(sorted(heads))}. "
                "Start the diary (systemctl restart diary), which migrates it, or run: "
                "flask --app wsgi migrate"], schema
    if engine.url.get_backend_name() == "sqlite":
        with engine.connect() as connection:
            result = [row[0] for row in connection.execute(text("PRAGMA quick_check"))]
        if result != ["ok"]:
            return [f"SQLite finds the database damaged: {'; '.join(result[:3])}. Restore the "
                    "latest backup (README \"Self-hosting\", step 8)."], schema
    return [], f"schema {schema}, {engine.url.get_backend_name()}"


def notice_problems(engine, config: dict) -> list[str]:
    try:
        with Session(engine) as session:
            found = recorded_notices(session, config)
    except SQLAlchemyError:  # an unanswering or unmigrated database is reported already
        return []
    return [f"{message} (the server noticed this at {when:%Y-%m-%d %H:%M} UTC)"
            for message, when in found]


@click.command("check")
@with_appcontext
def check_command():
    """Check the settings, the instance folder and the database; say what is wrong and how to fix it.

    Exits with status 0 when all is well and 1 when it found a problem, so it can run from a
    monitor or after an upgrade. Only what it found is printed on stdout.
    """
    config, engine = current_app.config, get_engine()
    found, database = database_problems(engine)
    problems = (settings_problems(config) + secret_key_problems(current_app.instance_path)
                + found + notice_problems(engine, config))
    for problem in problems:
        click.echo(f"Problem: {problem}")
    if problems:
        raise SystemExit(1)
    click.echo(f"All is well: settings, instance folder {current_app.instance_path} "
               f"and database ({database}).")
