"""Forgot password: a single-use link by e-mail, valid for an hour, of which only a hash is kept.

The page answers the same whether or not the address has an account, after the same work: the
account is looked up, the link stored and the e-mail sent only after the response has gone out.
The requests are rate-limited. Setting a new password ends every session of the account (its
session secret is replaced). Without ``DIARY_SMTP_HOST`` the page says to ask the server's admin
instead."""

import hashlib
import secrets
from datetime import timedelta, timezone
from functools import partial

from flask import (
    Blueprint, current_app, flash, make_response, redirect, render_template, request, url_for,
)
from sqlalchemy import update
from sqlmodel import delete, select

from diary.auth import EMAIL_PATTERN, end_sessions, read_new_password
from diary import days, mail
from diary.db import get_session
from diary.forms import FormReader
from diary.models import PasswordReset, Patient
from diary.ratelimit import email_key, limit_from, limiter
from diary.security import hash_password

bp = Blueprint("password_reset", __name__, url_prefix="/password")

VALID_FOR = timedelta(hours=1)
SENT = ("If an account uses that address, we have sent it a link to choose a new password. "
        "It works once, within the hour. Check your spam folder if it does not arrive.")

forgot_limit_per_ip = limiter.limit(limit_from("RATELIMIT_RESET_PER_IP"), methods=["POST"])
forgot_limit_per_email = limiter.limit(limit_from("RATELIMIT_RESET_PER_EMAIL"), methods=["POST"],
                                       key_func=lambda: "reset-" + email_key())
# Wrong or used tokens from one address: a link is unguessable, a scan is not.
token_limit_per_ip = limiter.limit(limit_from("RATELIMIT_SHARE_TOKEN_PER_IP"),
                                   deduct_when=lambda response: response.status_code in (404, 410))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_reset(patient_id: int, token: str | None = None) -> str:
    """A new link's token; its hash is stored, the token itself only e-mailed."""
    token = token or secrets.token_urlsafe(32)
    database = get_session()
    database.add(PasswordReset(patient_id=patient_id, token_hash=token_hash(token),
                               expires_at=days.utc_now() + VALID_FOR))
    database.commit()
    return token


def usable_reset(token: str) -> PasswordReset | None:
    reset = get_session().exec(select(PasswordReset).where(PasswordReset.token_hash == token_hash(token))).first()
    if reset is None or reset.used_at is not None:
        return None
    # SQLite hands a stored UTC instant back without its zone.
    expires_at = reset.expires_at if reset.expires_at.tzinfo else reset.expires_at.replace(tzinfo=timezone.utc)
    return reset if expires_at > days.utc_now() else None


def use_reset(reset: PasswordReset, new_password: str) -> bool:
    """Set the password, once: of two submits of the same link only one UPDATE finds it unused."""
    database = get_session()
    table = PasswordReset.__table__
    claimed = database.connection().execute(
        update(table).where(table.c.id == reset.id, table.c.used_at.is_(None)).values(used_at=days.utc_now()))
    if claimed.rowcount != 1:
        database.rollback()
        return False
    user = database.get(Patient, reset.patient_id)
    user.password_hash = hash_password(new_password)
    end_sessions(user)  # every device logs in again, with the new password
    database.add(user)
    # The patient's other links go too: the one just used was enough.
    database.exec(delete(PasswordReset).where(PasswordReset.patient_id == user.id, PasswordReset.id != reset.id))
    database.commit()
    return True


def mail_link_if_known(app, email: str, token: str, link: str) -> None:
    """After the response: the link stored and mailed, if the address has an account."""
    with app.app_context():
        user = get_session().exec(select(Patient).where(Patient.email == email)).first()
        if user is None:
            return
        create_reset(user.id, token)
        try:
            mail.send(app, user.email, "Choose a new password for your pain diary",
                      f"Someone asked to choose a new password for your pain diary.\n\n"
                      f"To choose one, open this link within the hour (it works once):\n{link}\n\n"
                      f"If it was not you, ignore this e-mail: your password stays as it is.\n")
        except OSError as error:  # the mail server is down: the admin must know
            app.logger.error("Password reset e-mail not sent: %s", type(error).__name__)


@bp.route("/forgot", methods=("GET", "POST"))
@forgot_limit_per_ip
@forgot_limit_per_email
def forgot():
    if not mail.mail_configured():
        return render_template("password_reset/ask_admin.html")
    if request.method == "GET":
        return render_template("password_reset/forgot.html", values={}, errors={})
    email = (request.form.get("email") or "").strip().lower()[:254]
    if not EMAIL_PATTERN.match(email):
        errors = {"email": "Enter an email address like name@example.com"}
        return render_template("password_reset/forgot.html", values={"email": email}, errors=errors), 422
    # The same page after the same work, whoever asks: a link is made for every request, and
    # only once the page has gone out does the server look for an account to mail it to. A
    # reply that took longer when an e-mail was sent would tell who has an account.
    token = secrets.token_urlsafe(32)
    link = f"{current_app.config['PUBLIC_URL']}{url_for('password_reset.reset', token=token)}"
    response = make_response(render_template("password_reset/sent.html", message=SENT))
    response.call_on_close(partial(mail_link_if_known, current_app._get_current_object(), email, token, link))
    return response


@bp.route("/reset/<secret:token>", methods=("GET", "POST"))
@token_limit_per_ip
def reset(token: str):
    found = usable_reset(token)
    if found is None:
        return render_template("password_reset/expired.html"), 410
    if request.method == "GET":
        return render_template("password_reset/reset.html", errors={})
    reader = FormReader(request.form)
    new_password = read_new_password(reader)
    if not reader.ok:
        return render_template("password_reset/reset.html", errors=reader.errors), 422
    if not use_reset(found, new_password):
        return render_template("password_reset/expired.html"), 410
    flash("Your new password is set, and every device was logged out. Log in with it now.", "success")
    return redirect(url_for("auth.login"))


def init_app(app) -> None:
    app.register_blueprint(bp)
