"""The clinician's pages: the list of connected patients, connection codes, and a patient's
report (the share view's report and charts, read-only, each opening written to the patient's
access log). The sign-in pages are in diary.clinic.sign_in, on the same blueprint."""

from flask import Blueprint, abort, make_response, redirect, render_template, session, url_for

from diary.clinic import queries
from diary.clinic.accounts import clinician_required, current_clinician
from diary.db import get_session
from diary.models import Patient
from diary.sharing.views import private, render_report, report_parts

bp = Blueprint("clinic", __name__, url_prefix="/clinic")

NEW_CODE_KEY = "new_connection_code"  # the code waits in the session until it is shown, once


@bp.route("/")
@clinician_required
def home():
    database, clinician = get_session(), current_clinician()
    response = make_response(render_template(
        "clinic/home.html", clinician=clinician,
        patients=queries.connected_patients(database, clinician.id),
        open_codes=len(queries.open_codes(database, clinician.id)),
        new_code=session.pop(NEW_CODE_KEY, None), code_days=queries.CODE_DAYS))
    response.headers["Cache-Control"] = "no-store"  # a new code is shown once, never from a cache
    return response


@bp.route("/codes", methods=("POST",))
@clinician_required
def new_code():
    code, _ = queries.new_connection_code(get_session(), current_clinician().id)
    session[NEW_CODE_KEY] = code
    return redirect(url_for("clinic.home"))


@bp.route("/patients/<int:patient_id>")
@clinician_required
def patient(patient_id: int):
    """The patient's report with its charts, notes only if the patient chose; 404 unless the
    patient is connected to this clinician now."""
    database = get_session()
    connection = queries.active_connection(database, current_clinician().id, patient_id)
    if connection is None:
        abort(404)
    queries.record_visit(database, connection)
    patient_row = database.get(Patient, patient_id)
    report, charts, body = report_parts(patient_row, include_notes=connection.include_notes)
    return private(make_response(render_report(report, charts, body, shared=True, link=None,
                                               clinic=True)))
