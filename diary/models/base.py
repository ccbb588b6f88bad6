"""What every model module shares: constraint names Alembic can use, and UTC times of writing."""

import secrets
from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlmodel import SQLModel

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


def new_session_secret() -> str:
    """256 random bits, so no two accounts ever hold the same one."""
    return secrets.token_urlsafe(32)


def scale_check(column: str) -> CheckConstraint:
    return CheckConstraint(f"{column} BETWEEN 0 AND 10", name=f"{column}_0_to_10")
