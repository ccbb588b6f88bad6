"""Patient, its second factor and password resets: the patient's account, not the diary."""

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from diary.models.base import new_session_secret, utcnow
from diary.trends.history import WINDOW_DAYS_DEFAULT


class Patient(SQLModel, table=True):
    """A patient's account."""

    __tablename__ = "patient"
    __table_args__ = (
        CheckConstraint("trends_before_days BETWEEN 7 AND 28", name="trends_before_days_7_to_28"),
        CheckConstraint("trends_after_days BETWEEN 7 AND 28", name="trends_after_days_7_to_28"),
        CheckConstraint("questionnaire_interval_days BETWEEN 7 AND 28",
                        name="questionnaire_interval_days_7_to_28"),
        # A deleted account's id is never given out again (PostgreSQL's sequences never do).
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    display_name: str = Field(max_length=80)
    password_hash: str = Field(max_length=200)
    time_zone: str = Field(max_length=64, default="UTC")
    # Carried by every session and remember-me cookie of this account and checked on each request
    # (diary.auth): replaced at logout, password change and restore, which ends them all.
    session_secret: str = Field(default_factory=new_session_secret, max_length=64)
    # Days before the first and after the last infusion that a series is compared over (7-28).
    trends_before_days: int = Field(default=WINDOW_DAYS_DEFAULT,
                                    sa_column_kwargs={"server_default": str(WINDOW_DAYS_DEFAULT)})
    trends_after_days: int = Field(default=WINDOW_DAYS_DEFAULT,
                                   sa_column_kwargs={"server_default": str(WINDOW_DAYS_DEFAULT)})
    # Days between offers of the PHQ-9 and GAD-7 (7-28); None: the patient turned them off.
    questionnaire_interval_days: int | None = Field(default=14, sa_column_kwargs={"server_default": "14"})
    # Bumped in the same transaction as any change to the patient's diary (diary.versions):
    # the key under which a loaded history and its analysis may be reused.
    data_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
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
        return f"{self.id}:{self.session_secret}"


class SecondFactor(SQLModel, table=True):
    """An account's TOTP authenticator (diary.second_factor). One per account.

    Written when the patient starts setting it up; it guards the login only from ``confirmed_at``
    on, once a code from the app was typed back (a mis-scanned secret locks nobody out).
    """

    __tablename__ = "second_factor"

    patient_id: int = Field(primary_key=True, foreign_key="patient.id", ondelete="CASCADE")
    secret: str = Field(max_length=64)  # base32; shown on a page only until confirmed
    # The last 30-second step whose code was accepted: a code is never taken twice.
    last_used_step: int | None = None
    confirmed_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class RecoveryCode(SQLModel, table=True):
    """A one-time code to log in without the authenticator; only its SHA-256 is kept."""

    __tablename__ = "recovery_code"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", ondelete="CASCADE", index=True)
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class PasswordReset(SQLModel, table=True):
    """A forgot-password link: only the hash of its token is kept; used once, within the hour."""

    __tablename__ = "password_reset"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(max_length=64, unique=True)  # SHA-256 of the token, hex
    expires_at: datetime
    used_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
