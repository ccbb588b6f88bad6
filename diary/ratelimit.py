"""Throttling guessers: password and code guessing at login, mass sign-ups, and share-token guessing.

Flask-Limiter counts attempts in the storage named by ``DIARY_RATELIMIT_STORAGE_URL``: by default
the diary's own database (diary.ratelimit_storage), one count for every worker, so the limits are
the README's whatever ``DIARY_WORKERS`` is and however many servers share the database;
``redis://`` counts in Redis instead. A request over a limit gets the 429 page from diary.errors.

Failed logins are counted per address and per account, except from a device that has logged in
to that account before (diary.known_devices): its attempts are counted per device instead, so a
stranger's guesses, even from the same address, never lock the patient out of their own phone.

The limits themselves are app.config keys (``LIMITS`` below) so tests can make them tiny; the
defaults let a patient who mistypes a few times through and stop a script.
"""

import hashlib

from flask import Flask, current_app, g, request, session
from flask_limiter import Limiter
from flask_login import current_user
from flask_limiter.util import get_remote_address
from limits.errors import ConfigurationError

from diary import ratelimit_storage  # noqa: F401  registers the database:// storage
from diary.config import SettingError
from diary.known_devices import device_of

# app.config key -> default. Syntax: the `limits` package's "N per period".
LIMITS = {
    # Only failed logins count (a patient who logs in on three devices is never slowed down).
    "RATELIMIT_LOGIN_PER_IP": "30 per 15 minutes",
    # Guessing one patient's password from many addresses (devices that have logged in to the
    # account before are counted on their own, below, so this never locks the patient out).
    "RATELIMIT_LOGIN_PER_EMAIL": "10 per 15 minutes",
    # Wrong codes at the login's second step, per account: 10**6 codes, a few tries each window.
    "RATELIMIT_SECOND_FACTOR_PER_ACCOUNT": "10 per 15 minutes",
    # Failed logins from one device that has logged in to the account before.
    "RATELIMIT_LOGIN_PER_DEVICE": "10 per 15 minutes",
    # Every sign-up attempt counts: the "already exists" answer must not be an email oracle.
    "RATELIMIT_REGISTER_PER_IP": "20 per hour",
    # Wrong share tokens (404/410) from one address: a link is unguessable, a scan is not.
    "RATELIMIT_SHARE_TOKEN_PER_IP": "30 per 15 minutes",
    # Forgot-password e-mails: a few per address (each one lands in someone's inbox), more per IP.
    "RATELIMIT_RESET_PER_IP": "10 per hour",
    "RATELIMIT_RESET_PER_EMAIL": "3 per hour",
    # Wrong clinician connection codes (diary.clinic), per patient account and per address: a
    # code has about 40 bits, so a few tries an hour find none.
    "RATELIMIT_CONNECTION_CODE_PER_ACCOUNT": "10 per hour",
    "RATELIMIT_CONNECTION_CODE_PER_IP": "30 per hour",
}

# Responses that mean "that was a wrong guess" and so count against the limit.
FAILED_LOGIN = 401
WRONG_TOKEN = (404, 410)

limiter = Limiter(get_remote_address)


def limit_from(config_key: str):
    """The limit for one rule, read per request so each app (and each test) can set its own."""
    return lambda: current_app.config[config_key]


def submitted_email() -> str:
    """The email typed into the login form, normalised as login does."""
    return (request.form.get("email") or "").strip().lower()[:254]


def email_key() -> str:
    # Hashed: Flask-Limiter logs the key of a limit that is exceeded, and an email is personal.
    return "email:" + hashlib.sha256(submitted_email().encode()).hexdigest()


def known_device() -> str | None:
    """The id of this device if it has logged in before to the account being tried."""
    if "known_device" not in g:
        g.known_device = device_of(submitted_email())
    return g.known_device


def from_known_device() -> bool:
    return known_device() is not None


def from_elsewhere() -> bool:
    return known_device() is None


def device_key() -> str:
    return "device:" + known_device()


def failed_login(response) -> bool:
    return response.status_code == FAILED_LOGIN


# From a known device, only that device's own failures count: neither the address (a stranger
# may share it) nor the account (a stranger may be guessing it) can lock it out.
login_limit_per_ip = limiter.limit(
    limit_from("RATELIMIT_LOGIN_PER_IP"), methods=["POST"], deduct_when=failed_login,
    exempt_when=from_known_device)
login_limit_per_email = limiter.limit(
    limit_from("RATELIMIT_LOGIN_PER_EMAIL"), methods=["POST"], key_func=email_key,
    deduct_when=failed_login, exempt_when=from_known_device)
login_limit_per_device = limiter.limit(
    limit_from("RATELIMIT_LOGIN_PER_DEVICE"), methods=["POST"], key_func=device_key,
    deduct_when=failed_login, exempt_when=from_elsewhere)
# The second step of a login (diary.second_factor.views): wrong codes count per address, as
# wrong passwords do, and per account, whose id waits in the session.
second_factor_limit_per_ip = limiter.limit(
    limit_from("RATELIMIT_LOGIN_PER_IP"), methods=["POST"],
    deduct_when=failed_login)
second_factor_limit_per_account = limiter.limit(
    limit_from("RATELIMIT_SECOND_FACTOR_PER_ACCOUNT"), methods=["POST"],
    key_func=lambda: f"second-factor:{(session.get('second_factor_login') or {}).get('patient')}",
    deduct_when=failed_login)
register_limit_per_ip = limiter.limit(limit_from("RATELIMIT_REGISTER_PER_IP"), methods=["POST"])

# Clinicians log in on their own page (diary.clinic): the same limits, counted apart from the
# patients' (no known-device exemption: clinicians are few and must use their second factor).
clinician_login_limit_per_ip = limiter.limit(
    limit_from("RATELIMIT_LOGIN_PER_IP"), methods=["POST"], deduct_when=failed_login)
clinician_login_limit_per_email = limiter.limit(
    limit_from("RATELIMIT_LOGIN_PER_EMAIL"), methods=["POST"], key_func=lambda: "clinician-" + email_key(),
    deduct_when=failed_login)
clinician_code_limit_per_account = limiter.limit(
    limit_from("RATELIMIT_SECOND_FACTOR_PER_ACCOUNT"), methods=["POST"],
    key_func=lambda: f"clinician-second-factor:{(session.get('clinic_login') or {}).get('clinician')}",
    deduct_when=failed_login)


def wrong_connection_code(response) -> bool:
    return response.status_code == 422


def patient_key() -> str:
    """The patient typing a connection code (only logged-in patients reach the form)."""
    return f"connection-code:{current_user.id if current_user.is_authenticated else ''}"


connection_code_limit_per_account = limiter.limit(
    limit_from("RATELIMIT_CONNECTION_CODE_PER_ACCOUNT"), methods=["POST"], key_func=patient_key,
    deduct_when=wrong_connection_code)
connection_code_limit_per_ip = limiter.limit(
    limit_from("RATELIMIT_CONNECTION_CODE_PER_IP"), methods=["POST"], deduct_when=wrong_connection_code)

# For the sharing views: put ``@limit_share_token_guessing`` under the route decorator of every
# view that looks a share token up. Only wrong tokens count, so a clinician opening a real link
# again and again is never blocked.
limit_share_token_guessing = limiter.limit(
    limit_from("RATELIMIT_SHARE_TOKEN_PER_IP"),
    deduct_when=lambda response: response.status_code in WRONG_TOKEN)


def init_app(app: Flask) -> None:
    for key, default in LIMITS.items():
        app.config.setdefault(key, default)
    app.config["RATELIMIT_STORAGE_URI"] = app.config["RATELIMIT_STORAGE_URL"]
    # A storage that fails raises limits' StorageError, which diary.errors answers with a 503.
    app.config["RATELIMIT_STORAGE_OPTIONS"] = {"wrap_exceptions": True}
    # One Limiter serves every app of the process (its decorators are module-level); each app
    # decides for itself whether limits apply.
    app.config.setdefault("RATELIMIT_ENABLED", True)
    try:
        limiter.init_app(app)
    except ConfigurationError as error:  # an unknown scheme, or its client library missing
        raise SettingError(f"DIARY_RATELIMIT_STORAGE_URL cannot be used ({error}): use "
                           "database:// (the default) or redis://host:6379/0") from None


def storage_answers() -> bool:
    """Whether the store counting attempts answers (for /health)."""
    return limiter.storage.check()
