"""The migrated schema is exactly what the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

import diary.models  # noqa: F401
from diary.db import make_engine, upgrade
from tests.conftest import sqlite_only


def test_migrations_match_the_models(empty_database_url):
    engine = make_engine(empty_database_url)
    upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert differences == []


def test_upgrade_twice_is_harmless(empty_database_url):
    engine = make_engine(empty_database_url)
    upgrade(engine)
    upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"patient", "entry", "entry_side_effect", "alembic_version"} <= tables


@sqlite_only
def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_upgrading_keeps_every_diary_day_when_the_patient_table_is_rebuilt(empty_database_url):
    """Batch mode rebuilds the patient table on SQLite; its children must survive that."""
    engine = make_engine(empty_database_url)
    upgrade(engine, "0004")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO patient (email, display_name, password_hash, time_zone, session_version, "
            "created_at) VALUES ('alice@example.com', 'Alice', 'x', 'UTC', 3, '2026-01-01 00:00:00')"))
        patient_id = connection.execute(text("SELECT id FROM patient")).scalar()
        connection.execute(text(
            "INSERT INTO entry (patient_id, day, pain_avg, created_at, updated_at) VALUES "
            f"({patient_id}, '2026-01-02', 5, '2026-01-02 00:00:00', '2026-01-02 00:00:00')"))
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM entry")).scalar() == 1
        secret = connection.execute(text("SELECT session_secret FROM patient")).scalar()
    engine.dispose()
    assert len(secret) >= 43


def test_upgrading_deletes_the_summaries_of_patients_with_no_clinician(empty_database_url):
    """0016: a summary is kept only while its patient is connected (diary.summaries.store)."""
    engine = make_engine(empty_database_url)
    upgrade(engine, "0015")
    at = "'2026-01-01 00:00:00'"
    with engine.begin() as connection:
        for email in ("alice@example.com", "bea@example.com", "cara@example.com"):
            connection.execute(text(
                "INSERT INTO patient (email, display_name, password_hash, time_zone, session_secret, created_at) "
                f"VALUES ('{email}', 'P', 'x', 'UTC', 's', {at})"))
        ids = dict(connection.execute(text("SELECT email, id FROM patient")).all())
        connection.execute(text(
            "INSERT INTO clinician (email, display_name, password_hash, session_secret, created_at) "
            f"VALUES ('doctor@example.com', 'Dr', 'x', 's', {at})"))
        doctor = connection.execute(text("SELECT id FROM clinician")).scalar()
        # Alice is connected; Bea was and disconnected; Cara never was.
        connection.execute(text(
            "INSERT INTO clinician_connection (patient_id, clinician_id, connected_at, disconnected_at) "
            f"VALUES ({ids['alice@example.com']}, {doctor}, {at}, NULL), "
            f"({ids['bea@example.com']}, {doctor}, {at}, {at})"))
        for patient_id in ids.values():
            connection.execute(text(
                "INSERT INTO patient_summary (patient_id, data_version, rules, facts, computed_at) "
                f"VALUES ({patient_id}, 0, 1, '{{}}', {at})"))
    upgrade(engine)
    with engine.connect() as connection:
        kept = connection.execute(text("SELECT patient_id FROM patient_summary")).scalars().all()
    engine.dispose()
    assert kept == [ids["alice@example.com"]]
