"""A fresh database for every test: a SQLite file by default, PostgreSQL when asked for.

``DIARY_TEST_DATABASE_URL`` (e.g. ``postgresql+psycopg://diary:diary@127.0.0.1/diary_test``)
names a PostgreSQL database in which the test role may create schemas. Each test gets its own
schema, a copy of one the migrations built at the start of the run, dropped afterwards (a
database per test cost ~0.5 s each on PostgreSQL 15). Without the variable, each test gets a copy
of a SQLite file migrated once per run.

``DIARY_TEST_REDIS_URL`` (e.g. ``redis://127.0.0.1:6379/1``) names a Redis database the tests may
empty, for the rate limits of several servers (tests/test_two_servers.py); CI's PostgreSQL pass
sets both (.ci/run starts PostgreSQL and Redis).
"""

import os
import shutil
import subprocess
from itertools import count
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from diary.db import make_engine, upgrade

TEST_DATABASE_URL = os.environ.get("DIARY_TEST_DATABASE_URL", "").strip()
ON_POSTGRESQL = TEST_DATABASE_URL.startswith("postgresql")
TEST_REDIS_URL = os.environ.get("DIARY_TEST_REDIS_URL", "").strip()


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
    """One schema per test, a copy of one the migrations built at the start of the run.

    Running the migrations for every test cost about 2 s each (batch mode, five revisions), so
    they run once into a template schema; pg_dump writes it out as SQL (tables, constraints,
    sequences and the alembic_version row) and each test replays that under its own name.
    """

    def __init__(self, admin_url: str):
        self.admin_url = make_url(admin_url)
        self.admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        self.prefix = f"test_{os.getpid()}"
        self.numbers = count(1)
        self.template = f"{self.prefix}_template"
        self._execute(f'DROP SCHEMA IF EXISTS "{self.template}" CASCADE; CREATE SCHEMA "{self.template}"')
        engine = make_engine(self.url_of(self.template))
        upgrade(engine)
        engine.dispose()
        self.template_sql = self._dump(self.template)

    def _dump(self, schema: str) -> str:
        libpq_url = self.admin_url.set(drivername="postgresql", query={})
        dump = subprocess.run(
            ["pg_dump", "--schema", schema, "--inserts", "--no-owner", "--no-privileges",
             "--dbname", libpq_url.render_as_string(hide_password=False)],
            capture_output=True, text=True, check=True).stdout
        # psql meta-commands (\restrict in recent pg_dump releases) are not SQL.
        return "\n".join(line for line in dump.splitlines() if not line.startswith("\\"))

    def _execute(self, sql: str) -> None:
        connection = self.admin.raw_connection()
        try:
            connection.cursor().execute(sql)  # several statements: psycopg sends them as one query
        finally:
            connection.close()

    def url_of(self, schema: str) -> str:
        # Every connection of the app then finds its tables (and alembic_version) in the schema.
        url = self.admin_url.update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False)

    def new(self, folder: Path, migrated: bool = True) -> str:
        schema = f"{self.prefix}_{next(self.numbers)}"
        if migrated:  # the template's name occurs only as a schema name in its dump
            self._execute(self.template_sql.replace(self.template, schema))
        else:
            self._execute(f'CREATE SCHEMA "{schema}"')
        return self.url_of(schema)

    def drop(self, url: str) -> None:
        schema = make_url(url).query["options"].removeprefix("-csearch_path=")
        self._execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    def close(self) -> None:
        self._execute(f'DROP SCHEMA IF EXISTS "{self.template}" CASCADE')
        self.admin.dispose()


def open_databases(template_folder: Path):
    return PostgresDatabases(TEST_DATABASE_URL) if ON_POSTGRESQL else SqliteDatabases(template_folder)
