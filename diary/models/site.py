"""What an admin runs the site with: settings, invite codes, and the rate limits' counts."""

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from diary.models.base import utcnow


class SiteSetting(SQLModel, table=True):
    """A choice an admin makes on a running server (see diary.registration), by name."""

    __tablename__ = "site_setting"

    name: str = Field(max_length=64, primary_key=True)
    value: str = Field(max_length=200)
    updated_at: datetime = Field(default_factory=utcnow)


class Invite(SQLModel, table=True):
    """An invite code a clinic hands to a patient (or, of the clinician kind, to a clinician).
    Only its SHA-256 is stored; the code is shown once."""

    __table_args__ = (
        CheckConstraint("uses >= 0", name="uses_not_negative"),
        CheckConstraint("max_uses IS NULL OR max_uses >= 1", name="max_uses_at_least_1"),
        CheckConstraint("kind IN ('patient', 'clinician')", name="kind_patient_or_clinician"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime | None = None  # None: never expires
    # None: any number of accounts. No other default: the ORM would write it over an explicit None.
    max_uses: int | None = None
    uses: int = 0
    revoked_at: datetime | None = None
    # Which account it creates: a patient's diary (/register) or a clinician's (/clinic/register).
    kind: str = Field(default="patient", max_length=16, sa_column_kwargs={"server_default": "patient"})


class RateLimitCount(SQLModel, table=True):
    """Attempts counted against one rate limit in its current window (diary.ratelimit_storage).

    The key (limit, address or account) is stored only as its SHA-256: no address or email here.
    """

    __tablename__ = "rate_limit_count"

    key_hash: str = Field(max_length=64, primary_key=True)
    count: int
    window_ends: float = Field(index=True)  # Unix time; ended windows are deleted by the next count
