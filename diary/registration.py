"""Who may create an account: open, by invite code, or closed; and the invite codes themselves.

The mode lives in the database (``site_setting``), not in a setting, so an admin can change it on a
running server with ``flask --app wsgi admin registration invite``; every worker reads it per
request. Until an admin chooses, registration is open, so a new install can create its first
account from the browser.

An invite code is random, shown once, and stored only as its SHA-256: codes carry about 59 bits of
randomness, so a plain hash is enough (no salt or slow hash needed) and a stolen database holds no
usable code. Codes are written for typing from paper: no 0/O, 1/I/L, grouped in fours, and
accepted with any case, spaces or dashes.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, select

from diary.models import Invite, SiteSetting, utcnow
from diary.security import hash_random_code

MODES = ("open", "invite", "closed")
DEFAULT_MODE = "open"
MODE_SETTING = "registration"

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 characters that cannot be misread
CODE_GROUPS, CODE_GROUP_LENGTH = 3, 4
# Who an invite is for: a patient's diary (/register) or a clinician's account (/clinic/register).
KINDS = ("patient", "clinician")


def registration_mode(session: Session) -> str:
    setting = session.get(SiteSetting, MODE_SETTING)
    if setting is None:
        return DEFAULT_MODE
    # A value edited by hand into nonsense closes registration rather than opening it.
    return setting.value if setting.value in MODES else "closed"


def set_registration_mode(session: Session, mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"registration mode must be one of {', '.join(MODES)}")
    setting = session.get(SiteSetting, MODE_SETTING) or SiteSetting(name=MODE_SETTING, value=mode)
    setting.value, setting.updated_at = mode, utcnow()
    session.add(setting)
    session.commit()


def new_code() -> str:
    groups = ("".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
              for _ in range(CODE_GROUPS))
    return "-".join(groups)


def normalise_code(code: str) -> str:
    """What the patient typed, as the code was generated: upper case, no spaces or dashes."""
    return "".join(code.split()).replace("-", "").upper()


def hash_code(code: str) -> str:
    return hash_random_code(normalise_code(code))


def create_invite(session: Session, *, expires_days: int | None, max_uses: int | None,
                  kind: str = "patient") -> tuple[str, Invite]:
    """A new invite of ``kind`` (KINDS); returns the code (the only time it exists in clear) and its row."""
    code = new_code()
    expires_at = utcnow() + timedelta(days=expires_days) if expires_days else None
    invite = Invite(code_hash=hash_code(code), expires_at=expires_at, max_uses=max_uses, kind=kind)
    session.add(invite)
    session.commit()
    return code, invite


def invite_state(invite: Invite, now: datetime) -> str:
    """One word for an invite: usable, revoked, expired or used."""
    if invite.revoked_at is not None:
        return "revoked"
    if invite.expires_at is not None and invite.expires_at <= now:
        return "expired"
    if invite.max_uses is not None and invite.uses >= invite.max_uses:
        return "used"
    return "usable"


# Shown next to the invite code field, in the patient's words.
REFUSALS = {
    "missing": "Enter the invite code your clinic gave you",
    "unknown": "This invite code is not right. Check it against the one you were given",
    "revoked": "This invite code was withdrawn. Ask your clinic for a new one",
    "expired": "This invite code has expired. Ask your clinic for a new one",
    "used": "This invite code has already been used. Ask your clinic for a new one",
}


@dataclass
class InviteRefused(Exception):
    reason: str  # a key of REFUSALS

    @property
    def message(self) -> str:
        return REFUSALS[self.reason]


def find_invite(session: Session, code: str, kind: str = "patient") -> Invite:
    """The usable invite of ``kind`` with this code, or InviteRefused saying why not (a code of
    the other kind is unknown here)."""
    if not normalise_code(code):
        raise InviteRefused("missing")
    invite = session.exec(select(Invite).where(Invite.code_hash == hash_code(code),
                                               Invite.kind == kind)).first()
    if invite is None:
        raise InviteRefused("unknown")
    state = invite_state(invite, utcnow())
    if state != "usable":
        raise InviteRefused(state)
    return invite


def use_invite(session: Session, invite: Invite) -> None:
    """Count one use inside the caller's transaction; refuses if a parallel sign-up took the last one.

    The condition sits in the UPDATE itself, so two patients racing for a single-use code cannot
    both get it. The caller commits (with the new account) or rolls back (nothing counted).
    """
    result = session.exec(
        update(Invite)
        .where(Invite.id == invite.id, Invite.revoked_at.is_(None),
               (Invite.max_uses.is_(None)) | (Invite.uses < Invite.max_uses))
        .values(uses=Invite.uses + 1)
    )
    if result.rowcount != 1:
        raise InviteRefused("used")


def revoke_invite(session: Session, code_or_id: str) -> Invite | None:
    """Revoke by the code itself or by the number ``invite list`` shows; None if no such invite."""
    text = code_or_id.strip().lstrip("#")
    if text.isdigit() and len(text) < CODE_GROUPS * CODE_GROUP_LENGTH:
        invite = session.get(Invite, int(text))
    else:
        invite = session.exec(select(Invite).where(Invite.code_hash == hash_code(text))).first()
    if invite is not None and invite.revoked_at is None:
        invite.revoked_at = utcnow()
        session.add(invite)
        session.commit()
    return invite


def all_invites(session: Session) -> list[Invite]:
    return list(session.exec(select(Invite).order_by(Invite.id)))
