"""Running as a service: the log format, trusting a reverse proxy, and the health check.

Logs are one readable line each on stdout (systemd's journal keeps them). They name patients by id
only and never carry form bodies, passwords or diary answers: SQLAlchemy's statement log would
print every value written, so it is held at WARNING whatever the log level, and engines hide SQL
parameters in error messages (diary.db). Nor do they carry the secret part of a link: every line
passes diary.secret_links.HideSecretLinks.
"""

import logging
import sys

from flask import Blueprint, Flask, current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.middleware.proxy_fix import ProxyFix

from diary.db import get_engine

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
    logging.basicConfig(stream=sys.stdout, level=app.config["LOG_LEVEL"], format=LOG_FORMAT)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def trust_proxies(app: Flask) -> None:
    """Believe X-Forwarded-For/-Proto/-Host from exactly the configured number of proxies."""
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)


@bp.route("/health")
def health():
    """For uptime monitors and the proxy: "ok" when the database answers. No login, no data."""
    headers = {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        current_app.logger.error("Health check: the database does not answer (%s)",
                                 type(error).__name__)
        return "database unavailable", 503, headers
    return "ok", 200, headers


def init_app(app: Flask) -> None:
    configure_logging(app)
    trust_proxies(app)
    app.register_blueprint(bp)
