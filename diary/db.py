"""The database: one engine per app, one session per request, and Alembic migrations.

SQLite is the embedded default; every SQLite connection gets WAL, a busy timeout and foreign keys
so that concurrent writers wait instead of failing and a deleted row takes its children with it.
"""

import logging
from pathlib import Path

import click
from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask, current_app, g
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from diary import versions  # noqa: F401  registers the data-version listeners on every session

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


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
        cursor.close()

    return engine


def get_engine() -> Engine:
    return current_app.extensions["diary_engine"]


def get_session() -> Session:
    """The request's session, opened on first use and closed at teardown."""
    if "db_session" not in g:
        g.db_session = Session(get_engine(), expire_on_commit=False)
    return g.db_session


def close_session(exception=None):
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def alembic_config(engine: Engine) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply pending migrations (idempotent)."""
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # start-up noise
    command.upgrade(alembic_config(engine), revision)


@click.command("migrate")
def migrate_command():
    """Apply pending database migrations (safe to run at every start)."""
    upgrade(get_engine())
    click.echo("Database is up to date.")


def init_app(app: Flask) -> None:
    app.extensions["diary_engine"] = make_engine(app.config["DATABASE_URL"])
    app.teardown_appcontext(close_session)
    app.cli.add_command(migrate_command)
