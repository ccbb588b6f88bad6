"""Clinician accounts and their sessions, kept apart from the patients'.

A patient's session is flask-login's (``current_user``, "id:secret" of a ``patient`` row). A
clinician's lives under its own session key, ``CLINICIAN_SESSION``, holding the id of a
``clinician`` row, its session secret and whether the second factor was passed. flask-login
never sees a clinician, so every patient route (``login_required``) treats a clinician like a
visitor who has not logged in; ``clinician_required`` never sees a patient. No code reads an id
of one kind as the other's, and logging in as one ends a session of the other in that browser.

A clinician must use a second factor (diary.second_factor, ``CLINICIANS`` tables): after the
password, the code from their app, or, at the first login, setting the app up, which ends with a
code too. Until then the session opens only the set-up pages.
"""

from datetime import timedelta
from functools import wraps
from hmac import compare_digest

from flask import g, redirect, request, session, url_for
from flask_login import logout_user
from sqlmodel import Session, select

from diary import days, second_factor
from diary.db import get_session
from diary.models import Clinician, new_session_secret
from diary.security import hash_password, safe_next

CLINICIAN_SESSION = "clinician"
PENDING_LOGIN = "clinic_login"  # a login waiting for its code (the rate limit reads it too)


class EmailTaken(Exception):
    """Another clinician account has this email."""


def create_clinician(database: Session, email: str, display_name: str, password: str) -> Clinician:
    """A new clinician account; the caller commits (with an invite's use, for one)."""
    if clinician_by_email(database, email) is not None:
        raise EmailTaken(email)
    clinician = Clinician(email=email, display_name=display_name, password_hash=hash_password(password))
    database.add(clinician)
    return clinician


def clinician_by_email(database: Session, email: str) -> Clinician | None:
    return database.exec(select(Clinician).where(Clinician.email == email.strip().lower())).first()


def end_clinician_sessions(clinician: Clinician) -> None:
    """Every session of the account ends at its next request; the caller commits."""
    clinician.session_secret = new_session_secret()


# --- The session ---------------------------------------------------------------------------------

def start_clinician_session(clinician: Clinician, verified: bool) -> None:
    """A fresh session for the clinician: nothing from before carries over, a patient's login in
    this browser (and its remember-me cookie) included."""
    session.clear()
    logout_user()
    session[CLINICIAN_SESSION] = {"id": clinician.id, "secret": clinician.session_secret,
                                  "verified": verified}


def mark_verified() -> None:
    session[CLINICIAN_SESSION] = {**session[CLINICIAN_SESSION], "verified": True}


def end_clinician_session() -> None:
    session.clear()


def signed_in_clinician() -> Clinician | None:
    """The clinician of this session, second factor passed or not; None for anyone else."""
    if "clinician" not in g:
        g.clinician = None
        held = session.get(CLINICIAN_SESSION)
        if isinstance(held, dict) and isinstance(held.get("id"), int):
            clinician = get_session().get(Clinician, held["id"])
            if clinician is not None and compare_digest(clinician.session_secret, str(held.get("secret"))):
                g.clinician = clinician
    return g.clinician


def is_verified() -> bool:
    return signed_in_clinician() is not None and bool(session[CLINICIAN_SESSION].get("verified"))


def current_clinician() -> Clinician:
    """The clinician of a view under ``clinician_required``."""
    return signed_in_clinician()


def clinician_required(view):
    """A clinician who passed the second factor; others go to the clinic's login (or, logged in
    with the password only, to setting up the second factor)."""
    @wraps(view)
    def checked(*args, **kwargs):
        if signed_in_clinician() is None:
            return redirect(url_for("clinic.login", next=safe_next(request.full_path.rstrip("?"))))
        if not is_verified():
            return redirect(url_for("clinic.two_step"))
        return view(*args, **kwargs)
    return checked


def password_checked(view):
    """A clinician who is logged in with the password, second factor passed or not: the pages
    that set it up."""
    @wraps(view)
    def checked(*args, **kwargs):
        if signed_in_clinician() is None:
            return redirect(url_for("clinic.login"))
        return view(*args, **kwargs)
    return checked


# --- The login between password and code ----------------------------------------------------------

def await_code(clinician: Clinician, next_url: str | None) -> None:
    session.clear()
    logout_user()
    session[PENDING_LOGIN] = {
        "clinician": clinician.id, "secret": clinician.session_secret, "next": next_url,
        "until": (days.utc_now() + timedelta(minutes=second_factor.LOGIN_STEP_MINUTES)).timestamp(),
    }


def pending_clinician(database: Session) -> tuple[Clinician, dict] | None:
    """The clinician whose code is awaited, and the waiting login, if it has not run out."""
    pending = session.get(PENDING_LOGIN)
    if not isinstance(pending, dict) or pending.get("until", 0) <= days.utc_now().timestamp():
        return None
    clinician = database.get(Clinician, pending["clinician"])
    if clinician is None or not compare_digest(clinician.session_secret, pending["secret"]):
        return None
    return clinician, pending
