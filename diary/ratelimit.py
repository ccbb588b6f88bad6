"""Throttling guessers: password and code guessing at login, mass sign-ups, and share-token guessing.

Flask-Limiter counts attempts in the storage named by ``DIARY_RATELIMIT_STORAGE_URL`` (memory by
default: one count per server process; a shared ``redis://`` or ``memcached://`` storage makes the
count exact across gunicorn workers). A request over a limit gets the 429 page from diary.errors.

The limits themselves are app.config keys (``LIMITS`` below) so tests can make them tiny; the
defaults let a patient who mistypes a few times through and stop a script.
"""

from flask import Flask, current_app, request, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.errors import ConfigurationError

from diary.config import SettingError

# app.config key -> default. Syntax: the `limits` package's "N per period".
LIMITS = {
    # Only failed logins count (a patient who logs in on three devices is never slowed down).
    "RATELIMIT_LOGIN_PER_IP": "30 per 15 minutes",
    # Guessing one patient's password from many addresses; also what locks a patient out for at
    # most this window when someone else tries their email, so it stays short.
    "RATELIMIT_LOGIN_PER_EMAIL": "10 per 15 minutes",
    # Wrong codes at the login's second step, per account: 10**6 codes, a few tries each window.
    "RATELIMIT_SECOND_FACTOR_PER_ACCOUNT": "10 per 15 minutes",
    # Every sign-up attempt counts: the "already exists" answer must not be an email oracle.
    "RATELIMIT_REGISTER_PER_IP": "20 per hour",
    # Wrong share tokens (404/410) from one address: a link is unguessable, a scan is not.
    "RATELIMIT_SHARE_TOKEN_PER_IP": "30 per 15 minutes",
    # Forgot-password e-mails: a few per address (each one lands in someone's inbox), more per IP.
    "RATELIMIT_RESET_PER_IP": "10 per hour",
    "RATELIMIT_RESET_PER_EMAIL": "3 per hour",
}

# Responses that mean "that was a wrong guess" and so count against the limit.
FAILED_LOGIN = 401
WRONG_TOKEN = (404, 410)

limiter = Limiter(get_remote_address)


def limit_from(config_key: str):
    """The limit for one rule, read per request so each app (and each test) can set its own."""
    return lambda: current_app.config[config_key]


def submitted_email() -> str:
    """The email typed into the login form, normalised as login does, as the counting key."""
    return "email:" + (request.form.get("email") or "").strip().lower()[:254]


login_limit_per_ip = limiter.limit(
    limit_from("RATELIMIT_LOGIN_PER_IP"), methods=["POST"],
    deduct_when=lambda response: response.status_code == FAILED_LOGIN)
login_limit_per_email = limiter.limit(
    limit_from("RATELIMIT_LOGIN_PER_EMAIL"), methods=["POST"], key_func=submitted_email,
    deduct_when=lambda response: response.status_code == FAILED_LOGIN)
# The second step of a login (diary.second_factor.views): wrong codes count per address, as
# wrong passwords do, and per account, whose id waits in the session.
second_factor_limit_per_ip = limiter.limit(
    limit_from("RATELIMIT_LOGIN_PER_IP"), methods=["POST"],
    deduct_when=lambda response: response.status_code == FAILED_LOGIN)
second_factor_limit_per_account = limiter.limit(
    limit_from("RATELIMIT_SECOND_FACTOR_PER_ACCOUNT"), methods=["POST"],
    key_func=lambda: f"second-factor:{(session.get('second_factor_login') or {}).get('patient')}",
    deduct_when=lambda response: response.status_code == FAILED_LOGIN)
register_limit_per_ip = limiter.limit(limit_from("RATELIMIT_REGISTER_PER_IP"), methods=["POST"])

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
    # One Limiter serves every app of the process (its decorators are module-level); each app
    # decides for itself whether limits apply.
    app.config.setdefault("RATELIMIT_ENABLED", True)
    try:
        limiter.init_app(app)
    except ConfigurationError as error:  # an unknown scheme, or its client library missing
        raise SettingError(f"DIARY_RATELIMIT_STORAGE_URL cannot be used ({error}): use memory://, "
                           "or redis://host:6379 or memcached://host:11211 with its client "
                           "library installed") from None
