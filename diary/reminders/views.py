"""The reminder settings page, this device's push subscription, "not today", and the one-tap
unsubscribe link of the reminder e-mails (no login needed: the signed link is the key)."""

import base64
import binascii
from datetime import time
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from diary.access import owned_or_404
from diary.days import patient_today
from diary.forms import FormReader
from diary.mail import mail_configured
from diary.models import PushSubscription
from diary.reminders import queries, vapid
from diary.reminders.delivery import unsubscribed_patient
from diary.reminders.due import format_times, parse_times
from diary.security import csrf

bp = Blueprint("reminders", __name__, url_prefix="/reminders")

TIME_FIELDS = ("time_1", "time_2", "time_3")


def read_time(reader: FormReader, name: str, label: str) -> time | None:
    text = reader.raw(name)
    if not text:
        return None
    try:
        return time.fromisoformat(text).replace(second=0, microsecond=0, tzinfo=None)
    except ValueError:
        reader.fail(name, f"{label}: enter a time like 08:30")
        return None


def settings_values(setting) -> dict:
    times = [moment.strftime("%H:%M") for moment in parse_times(setting.times)]
    values = {name: times[index] if index < len(times) else "" for index, name in enumerate(TIME_FIELDS)}
    values.update(
        by_email="yes" if setting.by_email else "", by_push="yes" if setting.by_push else "",
        after_infusion="yes" if setting.after_infusion else "",
        quiet_from=setting.quiet_from.strftime("%H:%M") if setting.quiet_from else "",
        quiet_until=setting.quiet_until.strftime("%H:%M") if setting.quiet_until else "")
    return values


def render_settings(values: dict, errors: dict, status: int = 200):
    setting = queries.settings_of(current_user.id)
    today = patient_today(current_user)
    return render_template(
        "reminders/settings.html", values=values, errors=errors, email_offered=mail_configured(),
        devices=queries.devices_of(current_user.id), snoozed=setting.snoozed_day == today,
        vapid_public_key=vapid.public_key(current_app.instance_path)), status


@bp.route("", methods=("GET", "POST"))
@login_required
def settings():
    if request.method == "GET":
        return render_settings(settings_values(queries.settings_of(current_user.id)), {})
    reader = FormReader(request.form)
    times = [read_time(reader, name, f"Time {index}") for index, name in enumerate(TIME_FIELDS, 1)]
    quiet_from = read_time(reader, "quiet_from", "Quiet from")
    quiet_until = read_time(reader, "quiet_until", "Quiet until")
    if (quiet_from is None) != (quiet_until is None) and reader.ok:
        reader.fail("quiet_from" if quiet_from is None else "quiet_until",
                    "Enter both ends of the quiet hours, or neither")
    by_email = request.form.get("by_email") == "yes" and mail_configured()
    by_push = request.form.get("by_push") == "yes"
    if not reader.ok:
        return render_settings(dict(request.form), reader.errors, 422)
    queries.save_settings(current_user.id, times=format_times(moment for moment in times if moment),
                          by_email=by_email, by_push=by_push, quiet_from=quiet_from,
                          quiet_until=quiet_until, after_infusion=request.form.get("after_infusion") == "yes")
    flash("Your reminder settings are saved.", "success")
    return redirect(url_for("reminders.settings"))


@bp.route("/snooze", methods=("POST",))
@login_required
def snooze():
    """"Not today": no more reminders until midnight in the patient's time zone."""
    queries.save_settings(current_user.id, snoozed_day=patient_today(current_user))
    flash("No more reminders today.", "success")
    return redirect(url_for("reminders.settings"))


def base64url_bytes(text: str) -> bytes | None:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None


def device_name(user_agent: str) -> str:
    """A name the patient recognises in the list of devices, from the browser's User-Agent."""
    browser = next((name for token, name in (("Edg/", "Edge"), ("Firefox/", "Firefox"),
                                             ("Chrome/", "Chrome"), ("Safari/", "Safari"))
                    if token in user_agent), "A browser")
    system = next((name for token, name in (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"),
                                            ("Windows", "Windows"), ("Mac OS", "Mac"), ("Linux", "Linux"))
                   if token in user_agent), "")
    return f"{browser} on {system}" if system else browser


@bp.route("/devices", methods=("POST",))
@login_required
def add_device():
    """This device's push subscription, sent by static/js/app.js after the browser made it."""
    endpoint = (request.form.get("endpoint") or "").strip()
    public_key = base64url_bytes(request.form.get("p256dh") or "")
    auth = base64url_bytes(request.form.get("auth") or "")
    parts = urlsplit(endpoint)
    # Push services are reached over HTTPS; anything else would make the server post elsewhere.
    allowed_schemes = ("https", "http") if current_app.config.get("PUSH_HTTP_ALLOWED") else ("https",)
    if (parts.scheme not in allowed_schemes or not parts.hostname or len(endpoint) > 1000
            or not public_key or len(public_key) != 65 or public_key[0] != 4 or not auth or len(auth) != 16):
        errors = {"push": "This browser's push subscription could not be used. Try again, or choose e-mail."}
        return render_settings(settings_values(queries.settings_of(current_user.id)), errors, 422)
    queries.add_device(current_user.id, endpoint, request.form["p256dh"].strip(), request.form["auth"].strip(),
                       device_name(request.headers.get("User-Agent", ""))[:120])
    setting = queries.settings_of(current_user.id)
    if not setting.by_push:
        queries.save_settings(current_user.id, by_push=True)
    flash("This device will show your reminders.", "success")
    return redirect(url_for("reminders.settings"))


@bp.route("/devices/<int:subscription_id>/delete", methods=("POST",))
@login_required
def remove_device(subscription_id: int):
    queries.remove_device(owned_or_404(PushSubscription, subscription_id))
    flash("That device will no longer show reminders.", "success")
    return redirect(url_for("reminders.settings"))


@bp.route("/unsubscribe/<secret:token>", methods=("GET", "POST"))
@csrf.exempt  # the link in the e-mail is the proof; mail apps post here without a session (RFC 8058)
def unsubscribe(token: str):
    patient_id = unsubscribed_patient(current_app, token)
    if patient_id is None:
        return render_template("reminders/unsubscribe.html", state="unknown"), 404
    if request.method == "GET":  # link checkers open links: only the button's POST changes anything
        return render_template("reminders/unsubscribe.html", state="ask")
    queries.stop_emails(patient_id)
    return render_template("reminders/unsubscribe.html", state="done")
