"""The tables. Alembic migrations in migrations/ create them; a test keeps both in step.

Times of writing (created_at, updated_at) are aware UTC datetimes. Diary days are calendar dates in the
patient's own time zone, decided once when the patient logs (see diary.days).
"""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from diary import days

# Named constraints, so Alembic's batch mode can alter SQLite tables later.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

NOTES_MAX = 2000


def utcnow() -> datetime:
    return days.utc_now()


def scale_check(column: str) -> CheckConstraint:
    return CheckConstraint(f"{column} BETWEEN 0 AND 10", name=f"{column}_0_to_10")


class User(SQLModel, table=True):
    """A patient's account."""

    __tablename__ = "patient"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    display_name: str = Field(max_length=80)
    password_hash: str = Field(max_length=200)
    time_zone: str = Field(max_length=64, default="UTC")
    # Bumped on password change: every session and remember-me cookie of the old one ends.
    session_version: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow)

    # flask-login's user interface
    @property
    def is_active(self) -> bool:
        return True

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


class Entry(SQLModel, table=True):
    """One day of the diary: one per patient per calendar day in the patient's time zone."""

    __table_args__ = (
        UniqueConstraint("patient_id", "day", name="uq_entry_patient_day"),
        scale_check("pain_avg"),
        scale_check("pain_worst"),
        scale_check("interference_enjoyment"),
        scale_check("interference_activity"),
        scale_check("mood"),
        scale_check("sleep_quality"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Indexed by the unique (patient_id, day) constraint, which every diary query uses.
    patient_id: int = Field(foreign_key="patient.id", ondelete="CASCADE")
    day: date
    pain_avg: int  # average pain over the last 24 h, the one required answer
    pain_worst: int | None = None
    interference_enjoyment: int | None = None  # PEG item 2
    interference_activity: int | None = None  # PEG item 3
    mood: int | None = None
    sleep_quality: int | None = None
    notes: str | None = Field(default=None, max_length=NOTES_MAX)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class EntrySideEffect(SQLModel, table=True):
    """A side effect reported on a diary day; severity none is the absence of a row."""

    __tablename__ = "entry_side_effect"
    __table_args__ = (
        UniqueConstraint("entry_id", "symptom", name="uq_entry_side_effect_symptom"),
        CheckConstraint("severity BETWEEN 1 AND 3", name="severity_1_to_3"),
    )

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="entry.id", ondelete="CASCADE", index=True)
    symptom: str = Field(max_length=32)
    severity: int
    detail: str | None = Field(default=None, max_length=200)  # the patient's words for "other"


class SiteSetting(SQLModel, table=True):
    """A choice an admin makes on a running server (see diary.registration), by name."""

    __tablename__ = "site_setting"

    name: str = Field(max_length=64, primary_key=True)
    value: str = Field(max_length=200)
    updated_at: datetime = Field(default_factory=utcnow)


class Invite(SQLModel, table=True):
    """An invite code a clinic hands to a patient. Only its SHA-256 is stored; the code is shown once."""

    __table_args__ = (
        CheckConstraint("uses >= 0", name="uses_not_negative"),
        CheckConstraint("max_uses IS NULL OR max_uses >= 1", name="max_uses_at_least_1"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime | None = None  # None: never expires
    # None: any number of accounts. No other default: the ORM would write it over an explicit None.
    max_uses: int | None = None
    uses: int = 0
    revoked_at: datetime | None = None


class ShareLink(SQLModel, table=True):
    """A read-only link for a clinician. Only a hash of its token is kept, so a leaked database
    leaks no working link."""

    __tablename__ = "share_link"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", ondelete="CASCADE", index=True)
    label: str = Field(max_length=80)
    token_hash: str = Field(max_length=64, unique=True)  # sha256 hex of the token
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None
    # Optional period the clinician sees; None means the whole diary.
    period_start: date | None = None
    period_end: date | None = None
    last_opened_at: datetime | None = None
    open_count: int = Field(default=0)
