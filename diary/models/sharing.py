"""Share links: read-only access to a diary for a clinician without an account."""

from datetime import date, datetime

from sqlalchemy import false
from sqlmodel import Field, SQLModel

from diary.models.base import utcnow


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
    # The patient's notes are private unless the patient chose to show them with this link.
    include_notes: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
