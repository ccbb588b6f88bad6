"""Reminders to log: daily at the patient's chosen times, after an infusion (2 h, 24 h) and when
the impression of change is due, by Web Push and e-mail. ``admin send-reminders`` sends them."""

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from diary import days
from diary.db import get_engine


@click.command("send-reminders")
@with_appcontext
def send_reminders_command():
    """Send the reminders that are due now (run it every minute; safe to run twice at once)."""
    from diary.admin import database
    from diary.reminders.delivery import Postman, send_due

    database()  # stops with a clear message when the database needs migrating first
    postman = Postman(current_app._get_current_object())
    try:
        with get_engine().connect() as connection:
            sent = send_due(current_app, connection, days.utc_now(), postman)
    finally:
        postman.close()
    click.echo(f"{len(sent)} reminder{'s' if len(sent) != 1 else ''} sent.")


def init_app(app: Flask) -> None:
    from diary.admin import admin
    from diary.reminders import views

    app.register_blueprint(views.bp)
    admin.add_command(send_reminders_command)
