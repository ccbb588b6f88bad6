"""Running as a service: the log format, trusting a reverse proxy and host names, the health check.

Logs are one readable line each on stdout under gunicorn (systemd's journal keeps them), and on
stderr for commands (``flask --app wsgi admin ...``), whose stdout carries only their results. They name patients by id
only and never carry form bodies, passwords or diary answers: SQLAlchemy's statement log would
print every value written, so it is held at WARNING whatever the log level, and engines hide SQL
parameters in error messages (diary.db). Nor do they carry the secret part of a link: every line
passes diary.secret_links.HideSecretLinks.
"""

import logging
import sys

from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, request
from flask.globals import request_ctx
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

from diary.db import get_engine
from diary.errors import render_error
from diary.notices import notice_untrusted_proxy
from diary.ratelimit import storage_answers

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Loggers that would write diary answers or form values into the log at INFO or DEBUG.
QUIET_LOGGERS = ("sqlalchemy",)

bp = Blueprint("server", __name__)


def log_config(level: str) -> dict:
    """A logging.config dictionary: everything, gunicorn's own lines too, one format on stdout."""
    level = level.upper()
    handler = {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "line",
               "filters": ["hide_secret_links"]}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"line": {"format": LOG_FORMAT}},
        "filters": {"hide_secret_links": {"()": "diary.secret_links.HideSecretLinks"}},
        "handlers": {"stdout": handler},
        "root": {"level": level, "handlers": ["stdout"]},
        "loggers": {
            "gunicorn.error": {"level": level, "handlers": [], "propagate": True},
            "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": True},
            **{name: {"level": "WARNING"} for name in QUIET_LOGGERS},
        },
    }


def configure_logging(app: Flask) -> None:
    # Under gunicorn the root logger is already set up from log_config; basicConfig then does nothing.
    # Otherwise this is a command (or `flask run`): its stdout is for its results, for scripts.
    logging.basicConfig(stream=sys.stderr, level=app.config["LOG_LEVEL"], format=LOG_FORMAT)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def trust_proxies(app: Flask) -> None:
    """Believe X-Forwarded-For/-Proto/-Host from exactly the configured number of proxies.

    With none configured, a request that came through a proxy anyway is noticed (diary.notices).
    """
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    else:
        app.before_request(notice_untrusted_proxy)


# Always allowed: `make run` and the health check on the server itself. (IPv6 [::1] cannot be
# listed: werkzeug's host check cuts every entry at its first colon.)
LOOPBACK_HOSTS = ("localhost", "127.0.0.1")


def trust_hosts(app: Flask) -> None:
    """Answer only requests addressed to this diary, so nothing is built from a made-up Host.

    Flask's TRUSTED_HOSTS check runs before routing; a refused request then gets the page below
    before any other hook (login, CSRF, rate limits) reads the host.
    """
    public_host = urlsplit(app.config["PUBLIC_URL"]).hostname
    app.config["TRUSTED_HOSTS"] = [*LOOPBACK_HOSTS, *([public_host] if public_host else []),
                                   *app.config["TRUSTED_HOST_NAMES"]]
    app.before_request(refuse_unknown_host)


def refuse_unknown_host():
    if not isinstance(request.routing_exception, SecurityError):
        return None
    # The page's links are paths: build them as for any allowed host.
    request_ctx.url_adapter = current_app.url_map.bind(
        LOOPBACK_HOSTS[0], script_name=request.script_root, url_scheme=request.scheme)
    static = current_app.static_url_path + "/"
    if request.path.startswith(static):  # the same files for every host: the page keeps its style
        return current_app.send_static_file(request.path.removeprefix(static))
    current_app.logger.warning("Refused a request for a host that is not allowed "
                               "(add it to DIARY_TRUSTED_HOSTS if it is this diary's)")
    return render_error(400, "This diary is not at this address",
                        "Open the diary at the address you were given.")


@bp.route("/health")
def health():
    """For uptime monitors and the proxy: "ok" when the database and the store counting
    attempts (the database itself, or Redis) answer. No login, no data."""
    headers = {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        current_app.logger.error("Health check: the database does not answer (%s)",
                                 type(error).__name__)
        return "database unavailable", 503, headers
    if not storage_answers():
        current_app.logger.error("Health check: the rate-limit storage does not answer")
        return "rate-limit storage unavailable", 503, headers
    return "ok", 200, headers


def init_app(app: Flask) -> None:
    configure_logging(app)
    trust_proxies(app)
    trust_hosts(app)
    app.register_blueprint(bp)
