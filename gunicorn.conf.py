"""The production server: `.venv/bin/gunicorn --config gunicorn.conf.py wsgi:app`.

Where it listens, how many workers and how much it logs come from the DIARY_* settings
(diary/config.py, README "Settings"). Pending migrations are applied once, in the master process,
before any worker starts; so upgrading is: git pull, restart. SIGTERM (systemctl stop) lets
requests in flight finish, then exits. A mistake in the settings, the folders or the database's
release stops the start with one line and its own exit status (diary.config.StartupError).
"""

import os

from diary.config import one_line_on_startup_error, setting_value
from diary.server import log_config

with one_line_on_startup_error():
    bind = setting_value("DIARY_BIND", os.environ)
    workers = setting_value("DIARY_WORKERS", os.environ)
    log_level = setting_value("DIARY_LOG_LEVEL", os.environ)
graceful_timeout = 20  # seconds a stopping worker gets to finish its request; systemd waits 90
# gunicorn's control socket (for gunicornc) is unused here; off, so two diaries on one machine
# never fight over ~/.gunicorn/gunicorn.ctl.
control_socket_disable = True

# Proxy headers are read in one place only: the app's ProxyFix, per DIARY_TRUSTED_PROXIES.
# gunicorn would otherwise believe X-Forwarded-Proto from any local process.
secure_scheme_headers = {}
forwarder_headers = ""

accesslog = "-"
# Address, method, path without its query string, status, bytes, time: never bodies or query text.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
logconfig_dict = log_config(log_level)


def on_starting(server):
    """Check the settings and migrate before forking: a typo stops the start with its message."""
    from diary import create_app
    from diary.db import upgrade
    from diary.summaries.store import refresh_all
    from sqlmodel import Session

    with one_line_on_startup_error():
        # Also creates the instance folder and secret key once, before workers could race for them.
        engine = create_app().extensions["diary_engine"]
        upgrade(engine)
        # The clinic's dashboard reads stored summaries; those missing or computed by older
        # rules (after an upgrade) are computed now, so its first request is as fast as any.
        with Session(engine) as session:
            refresh_all(session)
    engine.dispose()  # workers open their own connections; none may be shared across fork
