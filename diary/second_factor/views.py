"""The second factor's pages: setting it up from the account page, and the login's code step."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from diary import second_factor
from diary.auth import PASSWORD_MAX, account_row, start_session
from diary.db import get_session
from diary.known_devices import remember_device
from diary.qr import qr_svg
from diary.ratelimit import FAILED_LOGIN, second_factor_limit_per_account, second_factor_limit_per_ip
from diary.security import verify_password

bp = Blueprint("second_factor", __name__)

NEW_CODES_KEY = "new_recovery_codes"  # the codes wait in the session until shown, once
WRONG_CODE = "This code is not right. Type the 6 digits your app shows now"


@bp.route("/login/code", methods=("GET", "POST"))
@second_factor_limit_per_ip
@second_factor_limit_per_account
def login_code():
    """The login's second step: the password was right, now the code from the app."""
    database = get_session()
    user = second_factor.pending_account(database)
    if user is None:
        session.pop(second_factor.PENDING_LOGIN, None)
        flash("Please log in again: the code was not entered within "
              f"{second_factor.LOGIN_STEP_MINUTES} minutes.", "error")
        return redirect(url_for("auth.login"))
    if request.method == "GET":
        return login_code_page({})
    accepted = second_factor.use_code_or_recovery_code(database, user.id, request.form.get("code") or "")
    if accepted is None:
        current_app.logger.warning("Wrong second-factor code from %s", request.remote_addr)
        errors = {"code": WRONG_CODE + ", or one of your recovery codes."}
        return login_code_page(errors), FAILED_LOGIN
    pending = second_factor.pending_login()
    start_session(user, remember=bool(pending["remember"]))
    current_app.logger.info("Patient %s logged in with a %s", user.id, accepted)
    if accepted == "recovery code":
        left = second_factor.unused_recovery_codes(database, user.id)
        flash(f"You used a recovery code; {left} are left. You can make new ones under "
              "Two-step login on your account page.", "success")
    return remember_device(redirect(pending["next"] or url_for("entries.today")), user.email)


def login_code_page(errors: dict) -> str:
    return render_template("second_factor/login_code.html", errors=errors,
                           code_url=url_for("second_factor.login_code"), start_again_url=url_for("auth.login"))


@bp.route("/account/two-step")
@login_required
def settings():
    return settings_page({})


def settings_page(errors: dict, status: int = 200):
    """Off: a button to set it up. Being set up: the QR code, the secret and the code field.
    On: the recovery codes left, and (with the password) new codes or turning it off."""
    database = get_session()
    factor = second_factor.factor_of(database, current_user.id)
    context = {"factor": factor, "errors": errors}
    if factor is not None and factor.confirmed_at is None:
        # The only time the secret is on a page: while the app is being set up.
        context.update(qr=qr_svg(second_factor.setup_uri(factor, current_user.email),
                                 "QR code to scan with your authenticator app"),
                       secret=second_factor.grouped(factor.secret))
    elif factor is not None:
        context["codes_left"] = second_factor.unused_recovery_codes(database, current_user.id)
    return render_template("second_factor/settings.html", **context), status


@bp.route("/account/two-step/start", methods=("POST",))
@login_required
def start():
    second_factor.start_setup(get_session(), current_user.id)
    return redirect(url_for("second_factor.settings"))


@bp.route("/account/two-step/confirm", methods=("POST",))
@login_required
def confirm():
    database = get_session()
    if second_factor.factor_of(database, current_user.id) is None:
        return redirect(url_for("second_factor.settings"))
    codes = second_factor.confirm_setup(database, current_user.id, request.form.get("code") or "")
    if codes is None:
        return settings_page({"code": WRONG_CODE + "."}, 422)
    current_app.logger.info("Patient %s turned on two-step login", current_user.id)
    session[NEW_CODES_KEY] = codes
    return redirect(url_for("second_factor.recovery_codes"))


def password_is_right(field: str) -> bool:
    return verify_password(account_row().password_hash, (request.form.get(field) or "")[:PASSWORD_MAX])


@bp.route("/account/two-step/recovery-codes", methods=("GET", "POST"))
@login_required
def recovery_codes():
    """GET: the new codes, once. POST (with the password): replace them all."""
    database = get_session()
    if not second_factor.is_on(database, current_user.id):
        return redirect(url_for("second_factor.settings"))
    if request.method == "POST":
        if not password_is_right("codes_password"):
            return settings_page({"codes_password": "Your password is not right"}, 422)
        session[NEW_CODES_KEY] = second_factor.new_recovery_codes(database, current_user.id)
        current_app.logger.info("Patient %s made new recovery codes", current_user.id)
        return redirect(url_for("second_factor.recovery_codes"))
    codes = session.pop(NEW_CODES_KEY, None)
    if not codes:
        return redirect(url_for("second_factor.settings"))
    return render_template("second_factor/recovery_codes.html", codes=codes,
                           done_url=url_for("second_factor.settings"))


@bp.route("/account/two-step/off", methods=("POST",))
@login_required
def turn_off():
    database = get_session()
    if not second_factor.is_on(database, current_user.id):
        return redirect(url_for("second_factor.settings"))
    if not password_is_right("off_password"):
        return settings_page({"off_password": "Your password is not right"}, 422)
    second_factor.turn_off(database, current_user.id)
    current_app.logger.info("Patient %s turned off two-step login", current_user.id)
    flash("Two-step login is off. Your password alone logs you in.", "success")
    return redirect(url_for("second_factor.settings"))


def init_app(app) -> None:
    app.register_blueprint(bp)
