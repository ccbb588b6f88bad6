"""Consent, read and written: connection codes, connections, and the clinicians' visits.

A clinician makes a code (``new_connection_code``) and gives it to a patient, who types it
(``connect``): from then on the clinician may read that patient's diary, until the patient
disconnects (``disconnect``), at once. Every time the clinician opens it is written down
(``record_visit``) for the patient to see (``connections_of_patient``).

Codes are short enough to read out: 8 characters of the invite alphabet (no 0/O, 1/I/L), about
40 bits, written "ABCD-EFGH". One works once (it is deleted), for ``CODE_DAYS`` days, and only
its SHA-256 is kept; wrong guesses are rate-limited per patient and per address (diary.ratelimit), so among
even thousands of open codes a guesser finds none.

Connecting and disconnecting change who may read the diary, not the diary: no data version is
bumped (diary.versions). They do compute or delete the patient's dashboard summary, in the same
transaction: only a connected patient has one (diary.summaries.store). A cached report cannot
reach a disconnected clinician because the connection is checked on every request before
anything is read, cached or not.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, select

from diary.models import (
    Clinician, ClinicianConnection, ClinicianVisit, ConnectionCode, Patient, utcnow,
)
from diary.registration import CODE_ALPHABET, normalise_code
from diary.security import hash_random_code
from diary.summaries.store import keep_only_if_connected

CODE_LENGTH = 8
CODE_DAYS = 7


class CodeRefused(Exception):
    """The code is not one that works now: unknown, used or expired, which all read the same."""


def new_connection_code(database: Session, clinician_id: int) -> tuple[str, ConnectionCode]:
    """A new code for the clinician to give a patient: the code (the only time it exists in
    clear) and its row."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    now = utcnow()
    database.exec(delete(ConnectionCode).where(ConnectionCode.expires_at <= now))  # of anyone: dead
    row = ConnectionCode(clinician_id=clinician_id, code_hash=hash_random_code(code),
                         created_at=now, expires_at=now + timedelta(days=CODE_DAYS))
    database.add(row)
    database.commit()
    return f"{code[:4]}-{code[4:]}", row


def open_codes(database: Session, clinician_id: int) -> list[ConnectionCode]:
    """The clinician's codes that still work, newest first."""
    return list(database.exec(
        select(ConnectionCode).where(ConnectionCode.clinician_id == clinician_id,
                                     ConnectionCode.expires_at > utcnow())
        .order_by(ConnectionCode.created_at.desc())))


def connect(database: Session, patient_id: int, typed: str, include_notes: bool) -> tuple[ClinicianConnection, Clinician]:
    """Connect the patient to the clinician whose code this is, or CodeRefused.

    The code is taken by deleting it, so two patients racing for it cannot both connect.
    Connecting again to a clinician already connected only updates the notes choice."""
    code = normalise_code(typed)
    if len(code) != CODE_LENGTH:
        raise CodeRefused()
    now = utcnow()
    taken = database.exec(
        delete(ConnectionCode)
        .where(ConnectionCode.code_hash == hash_random_code(code), ConnectionCode.expires_at > now)
        .returning(ConnectionCode.clinician_id)).first()
    if taken is None:
        database.rollback()
        raise CodeRefused()
    clinician_id = taken[0]
    connection = active_connection(database, clinician_id, patient_id) or ClinicianConnection(
        patient_id=patient_id, clinician_id=clinician_id, connected_at=now)
    connection.include_notes = include_notes
    database.add(connection)
    database.flush()
    keep_only_if_connected(database, patient_id)  # their dashboard line, from now on
    database.commit()
    return connection, database.get(Clinician, clinician_id)


def active_connection(database: Session, clinician_id: int, patient_id: int) -> ClinicianConnection | None:
    """The patient's consent to this clinician, if it holds now."""
    return database.exec(select(ClinicianConnection).where(
        ClinicianConnection.clinician_id == clinician_id, ClinicianConnection.patient_id == patient_id,
        ClinicianConnection.disconnected_at.is_(None))).first()


def disconnect(database: Session, connection: ClinicianConnection) -> None:
    """End the consent now; the connection and its visits stay for the patient to see."""
    if connection.disconnected_at is None:
        connection.disconnected_at = utcnow()
        database.add(connection)
        database.flush()
        keep_only_if_connected(database, connection.patient_id)  # deleted with their last connection
        database.commit()


def set_include_notes(database: Session, connection: ClinicianConnection, include_notes: bool) -> None:
    connection.include_notes = include_notes
    database.add(connection)
    database.commit()


def record_visit(database: Session, connection: ClinicianConnection) -> None:
    database.add(ClinicianVisit(connection_id=connection.id))
    database.commit()


@dataclass(frozen=True)
class ConnectedPatient:
    """One line of a clinician's list of patients."""

    patient_id: int
    display_name: str
    connected_at: datetime
    include_notes: bool


def connected_now(clinician_id: int) -> tuple:
    """What makes a connection open now: the one definition of "connected" for every list."""
    return (ClinicianConnection.clinician_id == clinician_id,
            ClinicianConnection.disconnected_at.is_(None))


def connected_patients(database: Session, clinician_id: int) -> list[ConnectedPatient]:
    """The patients connected to the clinician now, by name: one query."""
    rows = database.exec(
        select(Patient.id, Patient.display_name, ClinicianConnection.connected_at,
               ClinicianConnection.include_notes)
        .join(ClinicianConnection, ClinicianConnection.patient_id == Patient.id)
        .where(*connected_now(clinician_id))
        .order_by(Patient.display_name, Patient.id))
    return [ConnectedPatient(*row) for row in rows]


def connected_ids(clinician_id: int):
    """The ids of the patients connected to the clinician now, as a subquery: the dashboard
    (diary.clinic.dashboard) reads their summaries with it, in the same query."""
    return select(ClinicianConnection.patient_id).where(*connected_now(clinician_id))


@dataclass(frozen=True)
class PatientsClinician:
    """A connection as its patient sees it: who, since when, until when, and every visit."""

    connection: ClinicianConnection
    clinician_name: str
    clinician_email: str
    visits: tuple[datetime, ...]  # newest first


def connections_of_patient(database: Session, patient_id: int) -> list[PatientsClinician]:
    """The patient's connections, current ones first, each with every time it was used."""
    rows = database.exec(
        select(ClinicianConnection, Clinician.display_name, Clinician.email)
        .join(Clinician, Clinician.id == ClinicianConnection.clinician_id)
        .where(ClinicianConnection.patient_id == patient_id)
        .order_by(ClinicianConnection.disconnected_at.is_not(None),
                  ClinicianConnection.connected_at.desc())).all()
    visits: dict[int, list[datetime]] = {}
    if rows:
        for connection_id, opened_at in database.exec(
                select(ClinicianVisit.connection_id, ClinicianVisit.opened_at)
                .where(ClinicianVisit.connection_id.in_([row[0].id for row in rows]))
                .order_by(ClinicianVisit.opened_at.desc(), ClinicianVisit.id.desc())):
            visits.setdefault(connection_id, []).append(opened_at)
    return [PatientsClinician(connection, name, email, tuple(visits.get(connection.id, ())))
            for connection, name, email in rows]
