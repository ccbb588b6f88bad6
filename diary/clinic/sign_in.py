"""The clinic's sign-in pages: log in (password, then the code), register with a clinician
invite, set up the second factor (required before anything else), recovery codes, log out."""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from sqlalchemy.exc import IntegrityError

from diary import second_factor
from diary.auth import PASSWORD_MAX, read_email, read_new_password
from diary.clinic import accounts
from diary.clinic.accounts import clinician_required, password_checked, signed_in_clinician
from diary.clinic.views import bp
from diary.db import get_session
from diary.forms import FormReader
from diary.qr import qr_svg
from diary.ratelimit import (
    FAILED_LOGIN, clinician_code_limit_per_account, clinician_login_limit_per_email,
    clinician_login_limit_per_ip, register_limit_per_ip, second_factor_limit_per_ip,
)
from diary.registration import InviteRefused, find_invite, use_invite
from diary.second_factor import CLINICIANS
from diary.security import safe_next, verify_password

NEW_CODES_KEY = "new_clinician_recovery_codes"  # shown once, from the session
WRONG_CODE = "This code is not right. Type the 6 digits your app shows now"


@bp.route("/login", methods=("GET", "POST"))
@clinician_login_limit_per_ip
@clinician_login_limit_per_email
def login():
    if request.method == "GET":
        return render_template("clinic/login.html", values={}, errors={})
    database = get_session()
    email = (request.form.get("email") or "").strip().lower()[:254]
    password = (request.form.get("password") or "")[:PASSWORD_MAX]
    clinician = accounts.clinician_by_email(database, email) if email else None
    # Always verify a hash, so timing and wording never tell whether the email is registered.
    if verify_password(clinician.password_hash if clinician else None, password) and clinician:
        next_url = safe_next(request.args.get("next"))
        if second_factor.is_on(database, clinician.id, CLINICIANS):
            accounts.await_code(clinician, next_url)
            return redirect(url_for("clinic.login_code"))
        accounts.start_clinician_session(clinician, verified=False)
        current_app.logger.info("Clinician %s logged in to set up two-step login", clinician.id)
        return redirect(url_for("clinic.two_step"))
    current_app.logger.warning("Failed clinician login from %s", request.remote_addr)
    errors = {"email": "Email or password is not right. Please try again."}
    return render_template("clinic/login.html", values={"email": email}, errors=errors), FAILED_LOGIN


@bp.route("/login/code", methods=("GET", "POST"))
@second_factor_limit_per_ip
@clinician_code_limit_per_account
def login_code():
    database = get_session()
    waiting = accounts.pending_clinician(database)
    if waiting is None:
        session.pop(accounts.PENDING_LOGIN, None)
        flash("Please log in again: the code was not entered within "
              f"{second_factor.LOGIN_STEP_MINUTES} minutes.", "error")
        return redirect(url_for("clinic.login"))
    if request.method == "GET":
        return login_code_page({})
    clinician, pending = waiting
    accepted = second_factor.use_code_or_recovery_code(
        database, clinician.id, request.form.get("code") or "", CLINICIANS)
    if accepted is None:
        current_app.logger.warning("Wrong clinician second-factor code from %s", request.remote_addr)
        errors = {"code": WRONG_CODE + ", or one of your recovery codes."}
        return login_code_page(errors), FAILED_LOGIN
    accounts.start_clinician_session(clinician, verified=True)
    current_app.logger.info("Clinician %s logged in with a %s", clinician.id, accepted)
    if accepted == "recovery code":
        left = second_factor.unused_recovery_codes(database, clinician.id, CLINICIANS)
        flash(f"You used a recovery code; {left} are left. Make new ones under Two-step login.", "success")
    return redirect(pending["next"] or url_for("clinic.home"))


def login_code_page(errors: dict) -> str:
    """The patients' page of the second step (templates/second_factor), pointing to the clinic's."""
    return render_template("second_factor/login_code.html", errors=errors,
                           code_url=url_for("clinic.login_code"), start_again_url=url_for("clinic.login"))


@bp.route("/logout", methods=("POST",))
def logout():
    clinician = signed_in_clinician()
    if clinician is None:  # a patient's session (or none) is not this page's to end
        return redirect(url_for("clinic.login"))
    accounts.end_clinician_sessions(clinician)  # a new secret: a copied cookie stops working too
    get_session().add(clinician)
    get_session().commit()
    accounts.end_clinician_session()
    flash("You are logged out, on this device and on any other.", "success")
    return redirect(url_for("clinic.login"))


@bp.route("/register", methods=("GET", "POST"))
@register_limit_per_ip
def register():
    """A clinician's account from an invite of the clinician kind, whatever the registration mode."""
    if request.method == "GET":
        return render_template("clinic/register.html", values={}, errors={})
    database = get_session()
    reader = FormReader(request.form)
    invite = None
    try:
        invite = find_invite(database, reader.raw("invite_code"), kind="clinician")
    except InviteRefused as refusal:
        reader.fail("invite_code", refusal.message.replace("your clinic", "the diary's admin"))
    display_name = reader.text("display_name", "Your name", max_length=80, required=True)
    email = read_email(reader)
    password = read_new_password(reader)
    if reader.ok:
        try:
            clinician = accounts.create_clinician(database, email, display_name, password)
            use_invite(database, invite)  # in the same transaction: both or neither
            database.commit()
        except (accounts.EmailTaken, IntegrityError):
            database.rollback()
            reader.fail("email", "A clinician account with this email already exists. Log in instead.")
        except InviteRefused as refusal:
            database.rollback()
            reader.fail("invite_code", refusal.message.replace("your clinic", "the diary's admin"))
        else:
            current_app.logger.info("Clinician %s registered with an invite", clinician.id)
            accounts.start_clinician_session(clinician, verified=False)
            return redirect(url_for("clinic.two_step"))
    values = {key: value for key, value in request.form.items() if "password" not in key}
    return render_template("clinic/register.html", values=values, errors=reader.errors), 422


@bp.route("/two-step")
@password_checked
def two_step():
    return two_step_page({})


def two_step_page(errors: dict, status: int = 200):
    """Not set up: why it is needed and a button. Being set up: the QR code and the code field.
    On: the recovery codes left and new ones (with the password)."""
    database, clinician = get_session(), signed_in_clinician()
    factor = second_factor.factor_of(database, clinician.id, CLINICIANS)
    context = {"factor": factor, "errors": errors, "verified": accounts.is_verified()}
    if factor is not None and factor.confirmed_at is None:
        context.update(qr=qr_svg(second_factor.setup_uri(factor, clinician.email),
                                 "QR code to scan with your authenticator app"),
                       secret=second_factor.grouped(factor.secret))
    elif factor is not None:
        context["codes_left"] = second_factor.unused_recovery_codes(database, clinician.id, CLINICIANS)
    return render_template("clinic/two_step.html", **context), status


@bp.route("/two-step/start", methods=("POST",))
@password_checked
def start_two_step():
    second_factor.start_setup(get_session(), signed_in_clinician().id, CLINICIANS)
    return redirect(url_for("clinic.two_step"))


@bp.route("/two-step/confirm", methods=("POST",))
@password_checked
def confirm_two_step():
    database, clinician = get_session(), signed_in_clinician()
    if second_factor.factor_of(database, clinician.id, CLINICIANS) is None:
        return redirect(url_for("clinic.two_step"))
    codes = second_factor.confirm_setup(database, clinician.id, request.form.get("code") or "", CLINICIANS)
    if codes is None:
        return two_step_page({"code": WRONG_CODE + "."}, 422)
    current_app.logger.info("Clinician %s turned on two-step login", clinician.id)
    accounts.mark_verified()  # the code from the new app is this session's second factor
    session[NEW_CODES_KEY] = codes
    return redirect(url_for("clinic.recovery_codes"))


@bp.route("/two-step/recovery-codes", methods=("GET", "POST"))
@clinician_required
def recovery_codes():
    """GET: the new codes, once. POST (with the password): replace them all."""
    database, clinician = get_session(), signed_in_clinician()
    if request.method == "POST":
        password = (request.form.get("codes_password") or "")[:PASSWORD_MAX]
        if not verify_password(clinician.password_hash, password):
            return two_step_page({"codes_password": "Your password is not right"}, 422)
        session[NEW_CODES_KEY] = second_factor.new_recovery_codes(database, clinician.id, CLINICIANS)
        return redirect(url_for("clinic.recovery_codes"))
    codes = session.pop(NEW_CODES_KEY, None)
    if not codes:
        return redirect(url_for("clinic.two_step"))
    return render_template("second_factor/recovery_codes.html", codes=codes, done_url=url_for("clinic.home"))
