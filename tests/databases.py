"""A fresh database for every test: a SQLite file by default, PostgreSQL when asked for.

``DIARY_TEST_DATABASE_URL`` (e.g. ``postgresql+psycopg://diary:diary@127.0.0.1/diary_test``)
names a PostgreSQL database in which the test role may create schemas. Each test gets its own
schema, built by the migrations and dropped afterwards (a database per test cost ~0.5 s each on
PostgreSQL 15; a schema ~0.1 s). Without the variable, each test gets a copy of a SQLite file
migrated once per run.
"""

import os
import shutil
from itertools import count
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from diary.db import make_engine, upgrade

TEST_DATABASE_URL = os.environ.get("DIARY_TEST_DATABASE_URL", "").strip()
ON_POSTGRESQL = TEST_DATABASE_URL.startswith("postgresql")


class SqliteDatabases:
    def __init__(self, template_folder: Path):
        self.template = template_folder / "diary.sqlite3"
        engine = make_engine(f"sqlite:///{self.template}")
        upgrade(engine)
        engine.dispose()

    def new(self, folder: Path, migrated: bool = True) -> str:
        database = folder / "diary.sqlite3"
        if migrated and not database.exists():
            shutil.copy(self.template, database)
        return f"sqlite:///{database}"

    def drop(self, url: str) -> None:
        """The file goes with pytest's temporary folder."""

    def close(self) -> None:
        pass


class PostgresDatabases:
    """One schema per test in the named database, built by the migrations (about 0.1 s)."""

    def __init__(self, admin_url: str):
        self.admin_url = make_url(admin_url)
        self.admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        self.prefix = f"test_{os.getpid()}"
        self.numbers = count(1)

    def url_of(self, schema: str) -> str:
        # Every connection of the app then finds its tables (and alembic_version) in the schema.
        url = self.admin_url.update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False)

    def new(self, folder: Path, migrated: bool = True) -> str:
        schema = f"{self.prefix}_{next(self.numbers)}"
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = self.url_of(schema)
        if migrated:
            engine = make_engine(url)
            upgrade(engine)
            engine.dispose()
        return url

    def drop(self, url: str) -> None:
        schema = make_url(url).query["options"].removeprefix("-csearch_path=")
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))

    def close(self) -> None:
        self.admin.dispose()


def open_databases(template_folder: Path):
    return PostgresDatabases(TEST_DATABASE_URL) if ON_POSTGRESQL else SqliteDatabases(template_folder)
