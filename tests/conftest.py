"""Fixtures: a fresh migrated database per test, a client, and the personas.

The database is a SQLite file, or a PostgreSQL database when DIARY_TEST_DATABASE_URL is set
(see tests/databases.py).

Personas (as in the style guide): ``alice`` is a patient with data, ``charlie`` another patient
who must never see or change Alice's diary. ``smtp`` is a real mail server on loopback.
"""

from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, settings
from sqlmodel import Session, select

from diary import create_app, days
from diary.db import make_engine, upgrade
from diary.models import Patient
from diary.security import hash_password
from tests.databases import ON_POSTGRESQL, open_databases
from tests.reminders.services import SmtpServer

# Property-based tests: the same examples on every run and machine (derandomized, no example
# database), no per-example deadline (a shared CI machine is slow at times).
settings.register_profile("diary", derandomize=True, database=None, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow], print_blob=True)
settings.load_profile("diary")

PASSWORD = "correct horse battery"
TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "WTF_CSRF_ENABLED": False,  # tests/test_csrf.py turns it back on
    # argon2id at its cheapest: tests hash hundreds of passwords.
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 8,
    "ARGON2_PARALLELISM": 1,
}


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    """Migrates once per run; each test then gets a copy of the migrated database."""
    databases = open_databases(tmp_path_factory.mktemp("template"))
    yield databases
    databases.close()


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """A migrated SQLite file, for tests about SQLite itself."""
    path = tmp_path_factory.mktemp("sqlite-template") / "diary.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture
def database_url(databases, tmp_path):
    """This test's own migrated database."""
    url = databases.new(tmp_path)
    yield url
    databases.drop(url)


@pytest.fixture
def empty_database_url(databases, tmp_path):
    """This test's own database with no tables, for migration tests."""
    folder = tmp_path / "empty"
    folder.mkdir()
    url = databases.new(folder, migrated=False)
    yield url
    databases.drop(url)


def pytest_collection_modifyitems(items):
    """``no_test_database`` tests run in CI's SQLite pass only: one that reached the test database
    would lose its PostgreSQL run, so it stops the run here, as does one without its reason."""
    for item in items:
        marker = item.get_closest_marker("no_test_database")
        if marker is None:
            continue
        if not marker.kwargs.get("reason"):
            raise pytest.UsageError(f"{item.nodeid}: no_test_database needs reason=\"why\"")
        if "databases" in item.fixturenames:
            raise pytest.UsageError(f"{item.nodeid} is marked no_test_database but uses the test "
                                    "database (the databases fixture)")


sqlite_only = pytest.mark.skipif(ON_POSTGRESQL, reason="about SQLite itself (PRAGMAs, the file); "
                                                       "this run uses PostgreSQL")


@pytest.fixture
def make_app(tmp_path, database_url):
    apps = []

    def make(**config):
        app = create_app({**TEST_CONFIG, "DATABASE_URL": database_url, **config},
                         instance_path=str(tmp_path / "instance"))
        apps.append(app)
        return app

    yield make
    for app in apps:  # PostgreSQL refuses to drop a database with open connections
        app.extensions["diary_engine"].dispose()


@pytest.fixture
def app(make_app):
    app = make_app()
    yield app
    app.extensions["diary_engine"].dispose()


@pytest.fixture
def smtp():
    """A real SMTP server on loopback; ``smtp.config()`` points an app at it."""
    with SmtpServer() as server:
        yield server


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def db(app):
    """A session for reading back what the app wrote."""
    with Session(app.extensions["diary_engine"], expire_on_commit=False) as session:
        yield session


@pytest.fixture
def clock(monkeypatch):
    """Set the app's current instant: ``clock.set("2026-03-01T23:30", "Pacific/Honolulu")``."""
    class Clock:
        def set(self, local_time: str, time_zone: str = "UTC"):
            from zoneinfo import ZoneInfo
            instant = datetime.fromisoformat(local_time).replace(tzinfo=ZoneInfo(time_zone))
            monkeypatch.setattr(days, "utc_now", lambda: instant.astimezone(timezone.utc))

    return Clock()


def make_patient(app, email: str, name: str, time_zone: str = "Europe/London") -> Patient:
    """Create a patient account as registration would (same hashing, same table)."""
    with app.app_context():
        engine = app.extensions["diary_engine"]
        with Session(engine, expire_on_commit=False) as session:
            user = Patient(email=email, display_name=name, time_zone=time_zone,
                        password_hash=hash_password(PASSWORD))
            session.add(user)
            session.commit()
            return user


def signed_in(app, patient):
    """A client of its own, logged in as ``patient``."""
    client = app.test_client()
    response = client.post("/login", data={"email": patient.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, email: str, password: str = PASSWORD):
        return self.client.post("/login", data={"email": email, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def alice(app):
    return make_patient(app, "alice@example.com", "Alice")


@pytest.fixture
def charlie(app):
    return make_patient(app, "charlie@example.com", "Charlie", time_zone="America/New_York")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def as_alice(client, auth, alice):
    auth.login(alice.email)
    return client


def find_user(db, email: str) -> Patient | None:
    return db.exec(select(Patient).where(Patient.email == email)).first()
