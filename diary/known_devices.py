"""Devices a patient has logged in from before: OWASP's "device cookie", so that a stranger's
password guesses cannot lock the patient out of their own diary.

A successful login or sign-up gives the browser a signed cookie that names the account (by a
keyed digest of its email, so the cookie carries no address) and a random id for the device. A
login attempt carrying a valid cookie for the email typed is counted per device (diary.ratelimit);
every other attempt, a stranger's guess or the patient on a new device, is counted per account and
per address as before. Guesses from elsewhere stay throttled while the patient's own phone still
gets in with the right password, and a stolen cookie gives its thief no more guesses than anyone.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app, request
from itsdangerous import BadData, URLSafeTimedSerializer

COOKIE_NAME = "diary_device"
LIFETIME = timedelta(days=365)  # renewed at every login
COOKIE_PATH = "/login"  # sent only where it counts, never with diary pages


def signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="known-device")


def account_digest(email: str) -> str:
    return hmac.new(current_app.secret_key.encode(), email.encode(), hashlib.sha256).hexdigest()[:32]


def device_of(email: str) -> str | None:
    """This device's id if it carries a valid cookie for the account ``email``, else None."""
    cookie = request.cookies.get(COOKIE_NAME)
    if not cookie or not email:
        return None
    try:
        account, device = signer().loads(cookie, max_age=int(LIFETIME.total_seconds()))
    except (BadData, ValueError, TypeError):  # forged, expired, signed with an old key, misshapen
        return None
    return device if hmac.compare_digest(str(account), account_digest(email)) else None


def remember_device(response, email: str):
    """Mark this browser as a device the account ``email`` has logged in from; a new id each time."""
    cookie = signer().dumps([account_digest(email), secrets.token_urlsafe(16)])
    response.set_cookie(COOKIE_NAME, cookie, max_age=int(LIFETIME.total_seconds()),
                        path=COOKIE_PATH, httponly=True, samesite="Lax",
                        secure=current_app.config["HTTPS"])
    return response
