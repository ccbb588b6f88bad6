"""The second factor: TOTP codes from an authenticator app, and one-time recovery codes.

A part of the auth concern that any kind of account can use: patients may turn it on, clinicians
must (diary.clinic). Each kind keeps its authenticators and codes in its own tables (``Holder``:
``PATIENTS``, ``CLINICIANS``), so an account id of one kind never reaches the other's. The secret is made here, shown once as a QR code while the patient sets
the app up, and guards the login only after a code from the app was typed back. Codes follow
RFC 6238 (30-second steps, six digits); one step of clock drift either way is accepted, and
each step's code at most once: the last accepted step is stored and only a later one passes.

Recovery codes are random and written for typing from paper (as invite codes are, about 59
bits); only their SHA-256 is stored (diary.security.hash_random_code: nothing to guess from, so
no slow hash; and a stolen database holds the TOTP secret itself in any case), and each opens
the account once.

Between the password and the code, the login waits in the session (``await_code``), bound to
the account's session secret and for at most ``LOGIN_STEP_MINUTES``.
"""

from dataclasses import dataclass
from datetime import timedelta
from hmac import compare_digest

import pyotp
from flask import session
from sqlalchemy import delete, update
from sqlmodel import Session, select

from diary import days
from diary.models import (
    ClinicianRecoveryCode, ClinicianSecondFactor, RecoveryCode, SecondFactor, Patient, utcnow,
)
from diary.registration import hash_code, new_code

ISSUER = "Pain diary"  # the name the authenticator app lists the account under
STEP_SECONDS = 30
DRIFT_STEPS = 1  # a phone clock a little fast or slow still works
RECOVERY_CODE_COUNT = 10
LOGIN_STEP_MINUTES = 5
PENDING_LOGIN = "second_factor_login"  # session key of a login waiting for its code


@dataclass(frozen=True)
class Holder:
    """A kind of account: the tables of its authenticators and recovery codes, and their column
    naming the account."""

    factor: type
    recovery_code: type
    account: str

    def factor_account(self):
        return getattr(self.factor, self.account)

    def code_account(self):
        return getattr(self.recovery_code, self.account)


PATIENTS = Holder(SecondFactor, RecoveryCode, "patient_id")
CLINICIANS = Holder(ClinicianSecondFactor, ClinicianRecoveryCode, "clinician_id")


def factor_of(database: Session, account_id: int, holder: Holder = PATIENTS):
    """The account's authenticator, confirmed or still being set up, or None."""
    return database.get(holder.factor, account_id)


def is_on(database: Session, account_id: int, holder: Holder = PATIENTS) -> bool:
    factor = factor_of(database, account_id, holder)
    return factor is not None and factor.confirmed_at is not None


def start_setup(database: Session, account_id: int, holder: Holder = PATIENTS):
    """A fresh secret for an account without a confirmed authenticator (a second start replaces
    the first: a QR code that was never confirmed is worth nothing)."""
    factor = factor_of(database, account_id, holder)
    if factor is not None and factor.confirmed_at is not None:
        return factor
    if factor is None:
        factor = holder.factor(**{holder.account: account_id}, secret=pyotp.random_base32())
    else:
        factor.secret, factor.created_at, factor.last_used_step = pyotp.random_base32(), utcnow(), None
    database.add(factor)
    database.commit()
    return factor


def setup_uri(factor, email: str) -> str:
    """The otpauth:// address the QR code holds."""
    return pyotp.TOTP(factor.secret, interval=STEP_SECONDS).provisioning_uri(name=email, issuer_name=ISSUER)


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it into the app by hand."""
    return " ".join(secret[start:start + 4] for start in range(0, len(secret), 4))


def matching_step(secret: str, code: str) -> int | None:
    """The time step (now, or one either side) whose code this is, or None."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    now = int(days.utc_now().timestamp()) // STEP_SECONDS
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if compare_digest(totp.generate_otp(step), code):
            return step
    return None


def use_code(database: Session, factor, code: str, holder: Holder = PATIENTS) -> bool:
    """Accept a code once: only a step later than the last accepted one passes.

    The condition sits in the UPDATE, so two requests racing with one code cannot both win."""
    step = matching_step(factor.secret, code)
    if step is None:
        return False
    model = holder.factor
    result = database.exec(
        update(model)
        .where(holder.factor_account() == getattr(factor, holder.account),
               model.last_used_step.is_(None) | (model.last_used_step < step))
        .values(last_used_step=step))
    database.commit()
    database.expire_all()
    return result.rowcount == 1


def confirm_setup(database: Session, account_id: int, code: str,
                  holder: Holder = PATIENTS) -> list[str] | None:
    """Turn the authenticator on if ``code`` is right; its new recovery codes, else None."""
    factor = factor_of(database, account_id, holder)
    if factor is None or factor.confirmed_at is not None or not use_code(database, factor, code, holder):
        return None
    factor = factor_of(database, account_id, holder)
    factor.confirmed_at = utcnow()
    database.add(factor)
    return new_recovery_codes(database, account_id, holder)  # commits both


def new_recovery_codes(database: Session, account_id: int, holder: Holder = PATIENTS) -> list[str]:
    """Replace the account's recovery codes; the codes themselves, to show once."""
    codes = [new_code() for _ in range(RECOVERY_CODE_COUNT)]
    database.exec(delete(holder.recovery_code).where(holder.code_account() == account_id))
    database.add_all(holder.recovery_code(**{holder.account: account_id}, code_hash=hash_code(code))
                     for code in codes)
    database.commit()
    return codes


def unused_recovery_codes(database: Session, account_id: int, holder: Holder = PATIENTS) -> int:
    model = holder.recovery_code
    return len(database.exec(select(model.id).where(
        holder.code_account() == account_id, model.used_at.is_(None))).all())


def use_recovery_code(database: Session, account_id: int, typed: str, holder: Holder = PATIENTS) -> bool:
    """Accept an unused recovery code once (the UPDATE's condition settles a race)."""
    model = holder.recovery_code
    result = database.exec(
        update(model)
        .where(holder.code_account() == account_id, model.code_hash == hash_code(typed),
               model.used_at.is_(None))
        .values(used_at=utcnow()))
    database.commit()
    return result.rowcount == 1


def use_code_or_recovery_code(database: Session, account_id: int, typed: str,
                              holder: Holder = PATIENTS) -> str | None:
    """"code" or "recovery code" for whichever was accepted, or None."""
    factor = factor_of(database, account_id, holder)
    if factor is None or factor.confirmed_at is None:
        return None
    digits = "".join(typed.split())
    if len(digits) == 6 and digits.isdigit():  # recovery codes are 12 characters
        return "code" if use_code(database, factor, typed, holder) else None
    return "recovery code" if use_recovery_code(database, account_id, typed, holder) else None


def turn_off(database: Session, account_id: int, holder: Holder = PATIENTS) -> bool:
    """Remove the account's authenticator and recovery codes; whether it had one."""
    database.exec(delete(holder.recovery_code).where(holder.code_account() == account_id))
    removed = database.exec(delete(holder.factor).where(holder.factor_account() == account_id))
    database.commit()
    return removed.rowcount == 1


# --- The login between password and code --------------------------------------------------------

def await_code(user: Patient, remember: bool, next_url: str | None) -> None:
    """The password was right: remember, in a fresh session, whose code is awaited."""
    session.clear()
    session[PENDING_LOGIN] = {
        "patient": user.id, "secret": user.session_secret, "remember": remember, "next": next_url,
        "until": (days.utc_now() + timedelta(minutes=LOGIN_STEP_MINUTES)).timestamp(),
    }


def pending_login() -> dict | None:
    """The login waiting for a code, if one is and it has not run out."""
    pending = session.get(PENDING_LOGIN)
    if not isinstance(pending, dict) or pending.get("until", 0) <= days.utc_now().timestamp():
        return None
    return pending


def pending_account(database: Session) -> Patient | None:
    """The account of the waiting login, if it still holds the secret it had at the password
    (a logout everywhere or a new password in between ends the waiting login too)."""
    pending = pending_login()
    if pending is None:
        return None
    user = database.get(Patient, pending["patient"])
    if user is None or not compare_digest(user.session_secret, pending["secret"]):
        return None
    return user
