"""The database: one engine per app, one session per request, and Alembic migrations.

SQLite is the embedded default; every SQLite connection gets WAL, a busy timeout and foreign keys
so that concurrent writers wait instead of failing and a deleted row takes its children with it,
and secure_delete, so that deleted rows are overwritten rather than left in free space.
"""

import logging
import os
from pathlib import Path

import click
from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import ResolutionError
from alembic.util import CommandError
from flask import Flask, current_app, g
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from diary.config import FolderError, StartupError, one_line_on_startup_error, user_name

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


class NewerDatabaseError(StartupError):
    """The database was migrated by a newer release than the code now checked out."""

    exit_status = 65  # EX_DATAERR


class AlembicChatter(logging.Filter):
    """Drops the two lines Alembic logs on every connection; they tell a self-hoster nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(("Context impl", "Will assume"))


logging.getLogger("alembic.runtime.migration").addFilter(AlembicChatter())


def make_engine(url: str) -> Engine:
    # hide_parameters: an error message must never carry the diary answers being written.
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, hide_parameters=True)
    engine = create_engine(url, connect_args={"check_same_thread": False}, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def set_sqlite_pragmas(dbapi_connection, connection_record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL: a crash loses no commit
        # Deleted content is overwritten with zeros. Many builds default to it, not all: say so.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    return engine


def get_engine() -> Engine:
    return current_app.extensions["diary_engine"]


def get_session() -> Session:
    """The request's session, opened on first use and closed at teardown."""
    if "db_session" not in g:
        g.db_session = Session(get_engine(), expire_on_commit=False)
    return g.db_session


def erase_deleted_rows() -> None:
    """After a deletion, leave no copy of the deleted rows on disk (SQLite; see below).

    The write-ahead log still holds the pages as they were before the deletion until they are
    copied back and the log is reused. A TRUNCATE checkpoint copies them into the database file
    (where secure_delete has zeroed them) and empties the log; it waits up to the busy timeout
    for other connections' reads. PostgreSQL keeps dead rows until VACUUM reclaims their space.
    """
    engine = get_engine()
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        busy, _, _ = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    if busy:
        current_app.logger.warning("The write-ahead log could not be emptied after a deletion "
                                   "(the database stayed busy); the old pages stay there until the log is reused")


def close_session(exception=None):
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def alembic_config(engine: Engine) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def known_revision(engine: Engine, revision: str) -> bool:
    try:
        return ScriptDirectory.from_config(alembic_config(engine)).get_revision(revision) is not None
    except (ResolutionError, CommandError):  # alembic's two ways of saying "unknown revision"
        return False


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def head_revisions(engine: Engine) -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config(engine)).get_heads())


def check_sqlite_file(engine: Engine) -> None:
    """A SQLite file (or the folder it will be created in) that this user cannot write."""
    if engine.url.get_backend_name() != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return
    database = Path(engine.url.database).absolute()
    user = user_name()
    if not database.parent.is_dir():
        raise FolderError(f"the database's folder {database.parent} does not exist: create it "
                          f"(install -d -o {user} -m 700 {database.parent}) or fix DIARY_DATABASE_URL")
    for path in (database, database.with_name(database.name + "-wal")):
        if path.exists() and not os.access(path, os.R_OK | os.W_OK):
            raise FolderError(f"the database file {path} is not writable by user {user}: "
                              f"chown it (chown {user}: {path})")
    if not os.access(database.parent, os.W_OK | os.X_OK):
        raise FolderError(f"the database's folder {database.parent} is not writable by user {user} "
                          f"(SQLite writes its journal beside the file): chown it "
                          f"(chown {user}: {database.parent})")


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply pending migrations (idempotent); refuse a database from a newer release."""
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # start-up noise
    check_sqlite_file(engine)
    newer = sorted(rev for rev in current_revisions(engine) if not known_revision(engine, rev))
    if newer:
        raise NewerDatabaseError(
            f"the database has schema {newer[0]}, from a newer release of the diary than this "
            "checkout: restore the backup taken before the upgrade (README \"Undo an upgrade\") "
            "or check out the newer release again")
    command.upgrade(alembic_config(engine), revision)


@click.command("migrate")
def migrate_command():
    """Apply pending database migrations (safe to run at every start)."""
    with one_line_on_startup_error():
        upgrade(get_engine())
    click.echo("Database is up to date.")


def init_app(app: Flask) -> None:
    app.extensions["diary_engine"] = make_engine(app.config["DATABASE_URL"])
    app.teardown_appcontext(close_session)
    app.cli.add_command(migrate_command)
