"""Clinicians (diary.clinic): accounts of a clinic's staff, each patient's consent to be seen,
and the summary the dashboard reads of a connected patient."""

from datetime import datetime

from sqlalchemy import false
from sqlmodel import Field, SQLModel

from diary.models.base import new_session_secret, utcnow


class Clinician(SQLModel, table=True):
    """A clinician's account. It has no diary: it reads the diaries of the patients connected to
    it, and only while they are (``ClinicianConnection``). Ids are its own, never a patient's."""

    __table_args__ = ({"sqlite_autoincrement": True},)

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    display_name: str = Field(max_length=80)
    password_hash: str = Field(max_length=200)
    session_secret: str = Field(default_factory=new_session_secret, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)


class ClinicianSecondFactor(SQLModel, table=True):
    """A clinician's TOTP authenticator: as ``SecondFactor``, and required before anything else."""

    __tablename__ = "clinician_second_factor"

    clinician_id: int = Field(primary_key=True, foreign_key="clinician.id", ondelete="CASCADE")
    secret: str = Field(max_length=64)
    last_used_step: int | None = None
    confirmed_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class ClinicianRecoveryCode(SQLModel, table=True):
    """A clinician's one-time recovery code; only its SHA-256 is kept."""

    __tablename__ = "clinician_recovery_code"

    id: int | None = Field(default=None, primary_key=True)
    clinician_id: int = Field(foreign_key="clinician.id", ondelete="CASCADE", index=True)
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class ConnectionCode(SQLModel, table=True):
    """A short code a clinician gives a patient, who types it to connect: deleted when used or
    soon after it expires; only its SHA-256 is kept (diary.clinic.queries)."""

    __tablename__ = "connection_code"

    id: int | None = Field(default=None, primary_key=True)
    clinician_id: int = Field(foreign_key="clinician.id", ondelete="CASCADE", index=True)
    code_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime


class ClinicianConnection(SQLModel, table=True):
    """A patient's consent: the clinician may read the diary from ``connected_at`` until the
    patient disconnects. Kept after that, so the patient still sees who looked and when."""

    __tablename__ = "clinician_connection"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", ondelete="CASCADE", index=True)
    clinician_id: int = Field(foreign_key="clinician.id", ondelete="CASCADE", index=True)
    include_notes: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    connected_at: datetime = Field(default_factory=utcnow)
    disconnected_at: datetime | None = None


class ClinicianVisit(SQLModel, table=True):
    """One time a clinician opened a connected patient's diary: the patient's access log."""

    __tablename__ = "clinician_visit"

    id: int | None = Field(default=None, primary_key=True)
    connection_id: int = Field(foreign_key="clinician_connection.id", ondelete="CASCADE", index=True)
    opened_at: datetime = Field(default_factory=utcnow)


class PatientSummary(SQLModel, table=True):
    """What the clinic's dashboard shows of a patient, computed from their diary (diary.summaries).

    Derived data, kept in the database so every worker and server shares it: rewritten in the same
    transaction as every change to the diary, and recomputed when read if ``data_version`` (or
    ``rules``) is not the current one.
    """

    __tablename__ = "patient_summary"

    patient_id: int = Field(primary_key=True, foreign_key="patient.id", ondelete="CASCADE")
    data_version: int  # the patient's data version (diary.versions) the facts were computed at
    rules: int  # the summary rules they were computed by (diary.summaries.facts.RULES)
    facts: str  # JSON of diary.summaries.facts.Facts
    computed_at: datetime = Field(default_factory=utcnow)
