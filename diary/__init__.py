"""The pain diary: ``create_app`` builds the Flask app from settings and registers each concern."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

# Flask is imported inside create_app, so that the pure packages (diary.trends, diary.days) can
# be imported without it.
if TYPE_CHECKING:
    from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None, instance_path: str | None = None) -> Flask:
    """Build the app: defaults, then DIARY_* environment variables, then ``config`` (tests)."""
    from flask import Flask

    from diary.config import load_settings, prepare_instance_folder, setting_value

    instance_path = instance_path or setting_value("DIARY_INSTANCE_PATH", os.environ) or ROOT / "instance"
    app = Flask(__name__, instance_path=os.path.abspath(instance_path),
                template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"))
    prepare_instance_folder(app.instance_path)

    app.config.update(load_settings(os.environ, app.instance_path))
    app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024  # forms are small; imports stay below this
    if config:
        app.config.update(config)

    from diary import (
        admin, auth, clinic, clinicians, db, errors, installable, loaded_history, password_reset,
        questionnaires, ratelimit, reminders, secret_links, security, server, templating, treatments,
        trends_views,
    )
    from diary.entries import views as entries
    from diary.second_factor import views as second_factor_views
    from diary.sharing import views as sharing

    server.init_app(app)
    secret_links.register_converter(app)
    db.init_app(app)
    loaded_history.init_app(app)
    security.init_app(app)
    ratelimit.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    installable.init_app(app)
    auth.init_app(app)
    second_factor_views.init_app(app)
    app.register_blueprint(entries.bp)
    app.register_blueprint(trends_views.bp)
    admin.init_app(app)
    app.register_blueprint(sharing.bp)
    treatments.init_app(app)
    questionnaires.init_app(app)
    reminders.init_app(app)
    password_reset.init_app(app)
    clinic.init_app(app)
    clinicians.init_app(app)
    secret_links.init_app(app)  # last: it reads every route
    return app
