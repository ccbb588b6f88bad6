"""Share links: created with a random token shown once, kept only as its hash, revocable.

A token carries 192 random bits (``secrets``); the database keeps its SHA-256, so a copy of the
database opens nothing. A link works until it expires or is revoked, whichever comes first.
"""

import hashlib
import secrets
from datetime import date, datetime, timedelta

from sqlmodel import select

from diary.db import get_session
from diary.models import ShareLink, utcnow

EXPIRY_CHOICES = (7, 30, 90)  # days; the form offers these
MAX_EXPIRY = timedelta(days=365)
LABEL_MAX = 80


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_link(patient_id: int, label: str, expires_in_days: int,
                period_start: date | None = None, period_end: date | None = None,
                include_notes: bool = False) -> tuple[ShareLink, str]:
    """Store a new link and return it with its token (the only time the token exists)."""
    token = secrets.token_urlsafe(24)
    now = utcnow()
    link = ShareLink(patient_id=patient_id, label=label, token_hash=hash_token(token),
                     created_at=now, expires_at=now + min(timedelta(days=expires_in_days), MAX_EXPIRY),
                     period_start=period_start, period_end=period_end, include_notes=include_notes)
    session = get_session()
    session.add(link)
    session.commit()
    return link, token


def status(link: ShareLink, now: datetime | None = None) -> str:
    """"revoked", "expired" or "active"."""
    now = now or utcnow()
    if link.revoked_at is not None:
        return "revoked"
    if link.expires_at <= now:
        return "expired"
    return "active"


def link_for_token(token: str) -> ShareLink | None:
    """The link a token opens, whatever its status; None when no link has that token."""
    if not token or len(token) > 100:
        return None
    return get_session().exec(select(ShareLink).where(ShareLink.token_hash == hash_token(token))).first()


def record_opening(link: ShareLink) -> None:
    link.open_count += 1
    link.last_opened_at = utcnow()
    session = get_session()
    session.add(link)
    session.commit()


def revoke(link: ShareLink) -> None:
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        session = get_session()
        session.add(link)
        session.commit()


def links_of(patient_id: int) -> list[ShareLink]:
    return list(get_session().exec(
        select(ShareLink).where(ShareLink.patient_id == patient_id).order_by(ShareLink.created_at.desc())))
