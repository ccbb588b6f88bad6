"""Accounts: register, log in (with remember me), log out, profile, password, deletion."""

import re
from dataclasses import dataclass, fields
from hmac import compare_digest

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy import bindparam, update
from sqlmodel import delete, select

from diary import second_factor
from diary.clinic.accounts import CLINICIAN_SESSION
from diary.days import is_time_zone
from diary.time_zones import canonical_zone, zone_table
from diary.db import erase_deleted_rows, get_session
from diary.forms import FormReader
from diary.loaded_history import forget_patient
from diary.models import Invite, Patient, new_session_secret
from diary.registration import InviteRefused, find_invite, registration_mode, use_invite
from diary.known_devices import remember_device
from diary.ratelimit import (
    login_limit_per_device, login_limit_per_email, login_limit_per_ip, register_limit_per_ip,
)
from diary.security import hash_password, safe_next, verify_password
from diary.summaries.store import summary_due

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please log in to see your diary."
login_manager.session_protection = "basic"

PASSWORD_MIN = 8
PASSWORD_MAX = 200
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class SignedInPatient:
    """``current_user``: the logged-in patient's account values, read once per request.

    A plain row, not an ORM object: every page reads it, and one SELECT of these columns costs
    less than half of an ORM load. Views that change the account load the row: ``account_row()``.
    """

    id: int
    email: str
    display_name: str
    time_zone: str
    session_secret: str
    trends_before_days: int
    trends_after_days: int
    data_version: int
    questionnaire_interval_days: int | None  # None: the questionnaires are not offered

    is_active = is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return Patient.get_id(self)  # the same "id:secret" as the account row gives at login


SIGNED_IN_PATIENT = select(*(Patient.__table__.c[field.name] for field in fields(SignedInPatient))).where(
    Patient.__table__.c.id == bindparam("patient_id"))


@login_manager.user_loader
def load_user(user_id: str) -> SignedInPatient | None:
    """Sessions and remember-me cookies carry "id:secret". The id alone would open whichever
    account holds it now; the secret is the account's own (never another's, ids or not), and
    replacing it ends every session of the account."""
    patient_id, _, secret = user_id.partition(":")
    if not (patient_id.isdigit() and secret):
        return None
    row = get_session().connection().execute(SIGNED_IN_PATIENT, {"patient_id": int(patient_id)}).first()
    if row is None or not compare_digest(row.session_secret, secret):
        return None
    return SignedInPatient(*row)


def start_session(user: Patient, remember: bool = False) -> None:
    """Log in with a new session: nothing from before (a CSRF token someone planted) carries over."""
    session.clear()
    login_user(user, remember=remember)


def end_sessions(user: Patient) -> None:
    """End every session and remember-me cookie of the account, on every device."""
    user.session_secret = new_session_secret()


def end_every_session(database) -> int:
    """A new secret for every account (after a restore): everyone logs in again. The count."""
    patients = Patient.__table__
    rows = [{"account": patient_id, "secret": new_session_secret()}
            for patient_id in database.exec(select(Patient.id))]
    if rows:
        database.connection().execute(
            update(patients).where(patients.c.id == bindparam("account"))
            .values(session_secret=bindparam("secret")), rows)
    database.commit()
    return len(rows)


def account_row() -> Patient:
    """The logged-in patient's account as an ORM object, for the views that change it."""
    return get_session().get(Patient, current_user.id)


def read_email(reader: FormReader) -> str | None:
    email = reader.text("email", "Email address", max_length=254, required=True)
    if email and not EMAIL_PATTERN.match(email):
        reader.fail("email", "Enter an email address like name@example.com")
        return None
    return email.lower() if email else None


def read_new_password(reader: FormReader, name: str = "password") -> str | None:
    password = reader.form.get(name) or ""
    if len(password) < PASSWORD_MIN:
        reader.fail(name, f"Password must be at least {PASSWORD_MIN} characters")
        return None
    if len(password) > PASSWORD_MAX:
        reader.fail(name, f"Password must be {PASSWORD_MAX} characters or fewer")
        return None
    return password


def read_time_zone(reader: FormReader) -> str | None:
    """A zone of the list; an alias ("ROC", from an old browser or a bookmark) as the zone it names."""
    time_zone = canonical_zone(reader.raw("time_zone"), *zone_table())
    if time_zone is None or not is_time_zone(time_zone):
        reader.fail("time_zone", "Choose your time zone from the list")
        return None
    return time_zone


@bp.route("/register", methods=("GET", "POST"))
@register_limit_per_ip
def register():
    database = get_session()
    mode = registration_mode(database)
    if mode == "closed":
        return render_template("auth/register_closed.html"), 403
    if request.method == "GET":
        return render_template("auth/register.html", values={}, errors={}, invite_mode=mode == "invite")
    reader = FormReader(request.form)
    # Read in the order of the form, so the error summary lists problems top to bottom.
    invite = read_invite(reader, database) if mode == "invite" else None
    display_name = reader.text("display_name", "Your name", max_length=80, required=True)
    email = read_email(reader)
    password = read_new_password(reader)
    time_zone = read_time_zone(reader)
    if reader.ok:
        user = Patient(email=email, display_name=display_name, time_zone=time_zone,
                    password_hash=hash_password(password))
        database.add(user)
        try:
            if invite is not None:
                use_invite(database, invite)  # in the same transaction: both or neither
            database.commit()
        except IntegrityError:
            database.rollback()
            reader.fail("email", "An account with this email already exists. Log in instead.")
        except InviteRefused as refusal:
            database.rollback()
            reader.fail("invite_code", refusal.message)
        else:
            current_app.logger.info("Patient %s registered (registration %s)", user.id, mode)
            start_session(user)
            flash("Welcome. Your diary is ready: log today's pain below.", "success")
            return remember_device(redirect(url_for("entries.today")), user.email)
    values = {key: value for key, value in request.form.items() if "password" not in key}
    return render_template("auth/register.html", values=values, errors=reader.errors,
                           invite_mode=mode == "invite"), 422


def read_invite(reader: FormReader, session) -> Invite | None:
    try:
        return find_invite(session, reader.raw("invite_code"))
    except InviteRefused as refusal:
        reader.fail("invite_code", refusal.message)
        return None


@bp.route("/login", methods=("GET", "POST"))
@login_limit_per_ip
@login_limit_per_email
@login_limit_per_device
def login():
    if request.method == "GET":
        return render_template("auth/login.html", values={}, errors={})
    email = (request.form.get("email") or "").strip().lower()[:254]
    password = (request.form.get("password") or "")[:PASSWORD_MAX]
    user = get_session().exec(select(Patient).where(Patient.email == email)).first() if email else None
    # Always verify a hash, so timing and wording never tell whether the email is registered.
    if verify_password(user.password_hash if user else None, password) and user:
        remember, next_url = request.form.get("remember") == "yes", safe_next(request.args.get("next"))
        if second_factor.is_on(get_session(), user.id):  # no session until the code is right
            second_factor.await_code(user, remember, next_url)
            return redirect(url_for("second_factor.login_code"))
        start_session(user, remember=remember)
        current_app.logger.info("Patient %s logged in", user.id)
        return remember_device(redirect(next_url or url_for("entries.today")), user.email)
    # Neither the email nor the password is logged: the address alone is personal data.
    current_app.logger.warning("Failed login from %s", request.remote_addr)
    errors = {"email": "Email or password is not right. Please try again."}
    return render_template("auth/login.html", values={"email": email}, errors=errors), 401


@bp.route("/logout", methods=("POST",))
def logout():
    if not current_user.is_authenticated and CLINICIAN_SESSION in session:
        # A clinician's session (diary.clinic) is not the patients' page to end.
        return redirect(url_for("auth.login"))
    if current_user.is_authenticated:
        # Sessions live in signed cookies: a copy taken before logging out (a shared computer,
        # a stolen cookie) would still work. A new secret ends every session of the patient on
        # the server's side, this one and those on other devices.
        user = account_row()
        end_sessions(user)
        get_session().add(user)
        get_session().commit()
    session.clear()
    logout_user()  # after clear(): it leaves the note that deletes the remember-me cookie
    flash("You are logged out, on this device and on any other.", "success")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=("GET", "POST"))
@login_required
def account():
    if request.method == "GET":
        zone = canonical_zone(current_user.time_zone, *zone_table()) or current_user.time_zone
        values = {"display_name": current_user.display_name, "time_zone": zone}
        return render_template("auth/account.html", values=values, errors={})
    reader = FormReader(request.form)
    display_name = reader.text("display_name", "Your name", max_length=80, required=True)
    time_zone = read_time_zone(reader)
    if not reader.ok:
        return render_template("auth/account.html", values=request.form, errors=reader.errors), 422
    user = account_row()
    user.display_name, user.time_zone = display_name, time_zone
    get_session().add(user)
    summary_due(get_session(), user.id)  # the dashboard's days are the patient's local days
    get_session().commit()
    flash("Your details are saved.", "success")
    return redirect(url_for("auth.account"))


@bp.route("/account/password", methods=("GET", "POST"))
@login_required
def change_password():
    if request.method == "GET":
        return render_template("auth/password.html", errors={})
    reader = FormReader(request.form)
    user = account_row()
    if not verify_password(user.password_hash, request.form.get("current_password") or ""):
        reader.fail("current_password", "Your current password is not right")
    new_password = read_new_password(reader, "new_password")
    if not reader.ok:
        return render_template("auth/password.html", errors=reader.errors), 422
    user.password_hash = hash_password(new_password)
    end_sessions(user)  # logs out every other session and remember-me cookie
    get_session().add(user)
    get_session().commit()
    start_session(user)
    flash("Your password is changed. Other devices have been logged out.", "success")
    return redirect(url_for("auth.account"))


@bp.route("/account/delete", methods=("GET", "POST"))
@login_required
def delete_account():
    """The confirmation page, then the deletion once the patient re-enters the password."""
    if request.method == "GET":
        return render_template("auth/delete.html", errors={})
    reader = FormReader(request.form)
    if not verify_password(account_row().password_hash, request.form.get("password") or ""):
        reader.fail("password", "Your password is not right")
        return render_template("auth/delete.html", errors=reader.errors), 422
    delete_patient(current_user.id)
    session.clear()
    logout_user()
    flash("Your account and your whole diary are deleted.", "success")
    return redirect(url_for("auth.login"))


def delete_patient(patient_id: int) -> None:
    """Delete a patient and, through ON DELETE CASCADE on every foreign key, all their rows.

    Their sessions end with the row (a new account never gets the id or the secret), and this
    process's cached copies of their diary go too."""
    database = get_session()
    database.exec(delete(Patient).where(Patient.id == patient_id))
    database.commit()
    erase_deleted_rows()
    forget_patient(patient_id)


def init_app(app) -> None:
    login_manager.init_app(app)
    app.register_blueprint(bp)
