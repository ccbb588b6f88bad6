"""Views for sharing: the patient's links and report, and the clinician's read-only view by token."""

import json
import uuid
from datetime import date
from decimal import Decimal

from flask import (
    Blueprint, current_app, flash, make_response, redirect, render_template, request,
    session, url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup

from diary.access import owned_or_404
from diary.charts import figures
from diary.db import get_session
from diary.days import local_now, patient_today
from diary.errors import render_error
from diary.fields import When
from diary.forms import FormReader
from diary.loaded_history import cached_load, derived, history_key, patient_history
from diary.models import Patient, ShareLink
from diary.notices import notice_share_link_from_request
from diary.qr import qr_svg
from diary.questionnaires.figure import questionnaire_figure
from diary.questionnaires.queries import all_answered
from diary.questionnaires.report import report_questionnaires
from diary.ratelimit import limit_share_token_guessing
from diary.sharing import export, fhir, importing, links
from diary.sharing.fhir.terminology import CODE_SYSTEM_PATH
from diary.sharing.report import build_report, restricted_to
from diary.treatments.forms import CHOICE_NAMES

bp = Blueprint("sharing", __name__)

NEW_LINK_KEY = "new_share_link"  # the token waits in the session until it is shown, once


def public_base() -> str:
    """The diary's public address: DIARY_PUBLIC_URL when set (behind a proxy), else the request's."""
    return (current_app.config.get("PUBLIC_URL") or request.host_url).rstrip("/")


def public_url(token: str) -> str:
    """The link a clinician opens."""
    if not current_app.config.get("PUBLIC_URL"):
        notice_share_link_from_request()
    return f"{public_base()}{url_for('sharing.shared', token=token)}"


def read_link_form(reader: FormReader, today: date):
    label = reader.text("label", "Who is it for", max_length=links.LABEL_MAX, required=True)
    days = reader.choice("expires_in_days", "How long it works",
                         [str(days) for days in links.EXPIRY_CHOICES], required=True)
    start = reader.day("period_start", "First day", latest=today, required=False)
    end = reader.day("period_end", "Last day", latest=today, required=False)
    if start and end and start > end:
        reader.fail("period_end", "Last day must be on or after the first day")
    include_notes = reader.choice("include_notes", "Your notes", ["yes"], required=False) == "yes"
    return label, int(days) if days else None, start, end, include_notes


@bp.route("/share", methods=("GET", "POST"))
@login_required
def index():
    values, errors, status = {"expires_in_days": "30"}, {}, 200
    if request.method == "POST":
        reader = FormReader(request.form)
        label, days, start, end, include_notes = read_link_form(reader, patient_today(current_user))
        if reader.ok:
            link, token = links.create_link(current_user.id, label, days, start, end, include_notes)
            session[NEW_LINK_KEY] = {"id": link.id, "token": token}
            return redirect(url_for("sharing.link", link_id=link.id))
        values, errors, status = request.form, reader.errors, 422
    all_links = links.links_of(current_user.id)
    return render_template("sharing/index.html", links=all_links, status_of=links.status,
                           values=values, errors=errors,
                           expiry_options=[(str(days), f"{days} days") for days in links.EXPIRY_CHOICES]), status


@bp.route("/share/<int:link_id>")
@login_required
def link(link_id: int):
    share_link = owned_or_404(ShareLink, link_id)
    new = session.get(NEW_LINK_KEY)
    full_url = None
    if new and new.get("id") == share_link.id:
        session.pop(NEW_LINK_KEY)
        full_url = public_url(new["token"])
    response = make_response(render_template(
        "sharing/link.html", link=share_link, status=links.status(share_link), full_url=full_url,
        qr=qr_svg(full_url) if full_url else None))
    response.headers["Cache-Control"] = "no-store"  # the link is shown once, never from a cache
    return response


@bp.route("/share/<int:link_id>/revoke", methods=("GET", "POST"))
@login_required
def revoke(link_id: int):
    share_link = owned_or_404(ShareLink, link_id)
    if request.method == "GET":
        return render_template("sharing/revoke.html", link=share_link)
    links.revoke(share_link)
    flash(f"The link for {share_link.label} no longer works.", "success")
    return redirect(url_for("sharing.index"))


def report_parts(patient, start: date | None = None, end: date | None = None,
                 include_notes: bool = False):
    """The report of the patient's diary between ``start`` and ``end``, its two charts and its body;
    with the patient's notes only when ``include_notes``.

    Built once per version of the patient's data (diary.loaded_history): a clinician's link is often
    opened again and again, and each build analyses the whole period and draws three years of days.
    Shared between requests, so never modified once built.
    """
    key = history_key(patient)

    def build():
        history = restricted_to(cached_load(patient, key), start, end)
        report = build_report(patient.display_name, history, CHOICE_NAMES["pgic"], include_notes)
        questionnaires = report_questionnaires(history.series, history.questionnaires)
        charts = report_charts(report, questionnaires)
        body = render_template("sharing/_report_body.html", report=report, charts=charts,
                               questionnaires=questionnaires)
        return report, charts, Markup(body)

    # Everything the body depends on besides the history is in the key: the name, the period and
    # whether notes are shown (two links of one patient may differ in each).
    return derived(key, ("report", patient.display_name, start, end, include_notes), build)


def report_charts(report, questionnaires) -> dict:
    """The timeline, before/after and questionnaire charts, drawn from the same analysis as the
    report's numbers."""
    charts = {}
    if questionnaires.answered:
        days = [item.day for item in questionnaires.answered]
        days += [day for item in report.history.series for day in (item.first_day, item.last_day)]
        charts["questionnaires"] = questionnaire_figure(
            list(questionnaires.answered), report.history.series, min(days), max(days))
    if report.first_day or report.trends.series:
        days = [day for day in (report.first_day, report.last_day) if day]
        days += [s.series.first_day for s in report.trends.series]
        charts["timeline"] = figures.timeline(report.trends, report.history, min(days),
                                              max(days))
    if report.trends.series:
        charts["before_after"] = figures.before_after(report.trends)
    return charts


def render_report(report, charts: dict, body: Markup, **context) -> str:
    return render_template("sharing/report.html", report=report, charts=charts, body=body, **context)


@bp.route("/report")
@login_required
def own_report():
    return render_report(*report_parts(current_user), shared=False)


@bp.route("/s/<secret:token>")
@limit_share_token_guessing
def shared(token: str):
    share_link = links.link_for_token(token)
    if share_link is None or links.status(share_link) != "active":
        # Unknown, expired and revoked links read the same: nothing to learn by guessing.
        body, status = render_error(404 if share_link is None else 410,
                                    "This link has expired or was revoked",
                                    "Ask the patient for a new link. No diary data is shown here.")
        return private(make_response(body, status))
    links.record_opening(share_link)
    patient = get_session().get(Patient, share_link.patient_id)
    response = make_response(render_report(
        *report_parts(patient, share_link.period_start, share_link.period_end,
                      share_link.include_notes),
        shared=True, link=share_link))
    return private(response)


@bp.route("/export")
@login_required
def export_page():
    return render_template("sharing/export.html", tables=export.patient_tables(),
                           columns_of=export.exported_columns, errors={})


@bp.route("/export/diary.zip")
@login_required
def export_csv():
    response = make_response(export.export_zip(current_user.id))
    response.headers["Content-Type"] = "application/zip"
    filename = f"pain-diary-{patient_today(current_user).isoformat()}.zip"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/export/fhir.json")
@login_required
def export_fhir():
    bundle = fhir.fhir_bundle(
        current_user.id, current_user.display_name, patient_history(current_user),
        base_url=public_base(), time_zone=current_user.time_zone, export_id=str(uuid.uuid4()),
        questionnaires=all_answered(current_user.id))
    # Compact: with an indent, json falls back to its pure-Python encoder, ten times slower on
    # the tens of thousands of elements of a three-year diary.
    response = make_response(json.dumps(bundle, default=json_number, separators=(",", ":")))
    response.headers["Content-Type"] = "application/fhir+json"
    filename = f"pain-diary-fhir-{patient_today(current_user).isoformat()}.json"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route(CODE_SYSTEM_PATH)
def code_system():
    """The diary's own codes at the URL every export names them by, for a receiving system to
    look up: no patient data, no login."""
    response = make_response(json.dumps(fhir.code_system(public_base()), indent=1))
    response.headers["Content-Type"] = "application/fhir+json"
    return response


def json_number(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


@bp.route("/import", methods=("GET", "POST"))
@login_required
def import_csv():
    errors = {}
    if importing.has_data(current_user.id):
        errors["file"] = ("Your diary already has data. Import only works into a new, empty "
                          "account, so nothing you logged is mixed up or overwritten.")
    elif request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            errors["file"] = "Choose the .zip file of a diary export"
        else:
            try:
                counts = importing.import_zip(current_user.id, upload.stream,
                                              When(local_now(current_user.time_zone)))
            except importing.ImportProblem as problem:
                errors["file"] = f"Nothing was imported. {problem}"
            else:
                flash(f"Imported {counts.get('entry', 0)} diary days and everything with them.", "success")
                return redirect(url_for("entries.history"))
    status = 200
    if errors and request.method == "POST":
        status = 409 if importing.has_data(current_user.id) else 422
    return render_template("sharing/import.html", errors=errors), status


def private(response):
    """Keep a shared page out of search engines, caches and other sites' referrer logs."""
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response
