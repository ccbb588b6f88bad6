"""Error pages: every failure gets a page in plain words and the right status, never a stack trace."""

from flask import Flask, current_app, render_template
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from limits.errors import StorageError
from werkzeug.exceptions import HTTPException

from diary.db import get_session

MESSAGES = {
    400: ("Something in that request was not right", "Please go back and try again."),
    404: ("Page not found", "There is nothing here, or it is not yours to see."),
    405: ("That action is not allowed here", "Please use the buttons on the page."),
    410: ("This link has expired or was revoked", "Ask for a new link."),
    413: ("That was too much to send at once", "Please shorten your notes and try again."),
    429: ("Too many attempts", "Please wait a minute and try again."),
    500: ("Something went wrong on our side", "Your last change may not have been saved. Please try again."),
}


def render_error(status: int, title: str | None = None, detail: str | None = None):
    default_title, default_detail = MESSAGES.get(status, MESSAGES[400])
    return render_template("errors/error.html", status=status, title=title or default_title,
                           detail=detail or default_detail), status


def handle_http_error(error: HTTPException):
    return render_error(error.code or 500)


def handle_csrf_error(error: CSRFError):
    return render_error(400, "This form has expired",
                        "For your safety the form could not be sent. Reload the page and try again; "
                        "what you typed may need to be entered again.")


def handle_rate_limit(error: RateLimitExceeded):
    """Say how long to wait, from the limit's own window, and nothing about why."""
    minutes = max(1, -(-error.limit.limit.get_expiry() // 60))
    wait = "a minute" if minutes == 1 else f"{minutes} minutes"
    body, status = render_error(429, "Too many attempts",
                                f"For your safety this is paused for a while. Please wait {wait} "
                                "and try again.")
    return body, status, {"Retry-After": str(minutes * 60)}


def handle_rate_limit_storage_down(error: StorageError):
    """The store counting attempts (Redis, say) does not answer: the guarded action waits, so a
    guesser gains nothing from the outage; /health reports it (diary.server)."""
    current_app.logger.error("Rate-limit storage unavailable: %s", type(error.storage_error).__name__)
    get_session().rollback()
    return render_error(503, "Paused for a few minutes",
                        "For your safety this needs a part of the server that is not answering "
                        "right now. Please try again in a few minutes; your diary is safe.")


def handle_unexpected_error(error: Exception):
    current_app.logger.exception("Unhandled error")
    get_session().rollback()
    return render_error(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(RateLimitExceeded, handle_rate_limit)
    app.register_error_handler(StorageError, handle_rate_limit_storage_down)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)
