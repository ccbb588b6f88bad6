"""Passwords and random codes hashed, CSRF, safe redirects and the security headers on every response."""

import hashlib
from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()

# Scripts only from our own files; no inline script, no eval. plotly.js injects inline <style>
# elements (plotly.js issue 2355), so styles alone may be inline.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))


def password_hasher() -> PasswordHasher:
    """argon2id; tests lower the cost through the ARGON2_* config keys."""
    config = current_app.config
    return PasswordHasher(
        time_cost=config.get("ARGON2_TIME_COST", 3),
        memory_cost=config.get("ARGON2_MEMORY_COST", 65536),
        parallelism=config.get("ARGON2_PARALLELISM", 4),
    )


def hash_password(password: str) -> str:
    return password_hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; with no hash (unknown email) spend the same time and say no."""
    hasher = password_hasher()
    try:
        return hasher.verify(password_hash or dummy_hash(hasher), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def hash_random_code(code: str) -> str:
    """SHA-256 of a code the server drew at random (invite codes, recovery codes).

    A slow hash protects what people choose; a random code of 59 bits or more has nothing to
    guess from, and a fast hash can be looked up directly instead of tried row by row (ten
    argon2 checks took 14 s under load)."""
    return hashlib.sha256(code.encode()).hexdigest()


def dummy_hash(hasher: PasswordHasher) -> str:
    key = ("dummy_hash", hasher.time_cost, hasher.memory_cost)
    cache = current_app.extensions.setdefault("diary_dummy_hash", {})
    if key not in cache:
        cache[key] = hasher.hash("not a real password")
    return cache[key]


def safe_next(target: str | None) -> str | None:
    """A local path to go back to after login, or None; never another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def add_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config["HTTPS"]:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def init_app(app: Flask) -> None:
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=app.config["HTTPS"],
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=app.config["HTTPS"],
        WTF_CSRF_TIME_LIMIT=None,  # a form left open overnight still saves; the token is per session
    )
    csrf.init_app(app)
    app.after_request(add_security_headers)
