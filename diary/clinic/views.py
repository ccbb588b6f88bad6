"""The clinician's pages: the dashboard of connected patients, connection codes, and a patient's
report (the share view's report and charts, read-only, each opening written to the patient's
access log). The sign-in pages are in diary.clinic.sign_in, on the same blueprint."""

from flask import (
    Blueprint, abort, current_app, make_response, redirect, render_template, request, session, url_for,
)
from markupsafe import Markup

from diary.clinic import dashboard, queries
from diary.clinic.accounts import clinician_required, current_clinician
from diary.db import get_session
from diary.models import Patient
from diary.sharing.views import private, render_report, report_parts

bp = Blueprint("clinic", __name__, url_prefix="/clinic")

NEW_CODE_KEY = "new_connection_code"  # the code waits in the session until it is shown, once


@bp.route("/")
@clinician_required
def home():
    """Every connected patient in one list (diary.clinic.dashboard), then connection codes."""
    database, clinician = get_session(), current_clinician()
    kept_lines, kept_rows, kept_lists = dashboard.kept_for(current_app)
    sort, order, flag = dashboard.choices(request.args.get("sort", ""), request.args.get("order", ""),
                                          request.args.get("flag", ""))

    def the_list() -> Markup:
        found = dashboard.connected(database, clinician.id)
        board = dashboard.build(dashboard.connected_lines(database, found, kept_lines), sort, order, flag)
        values = dashboard.template_values(board)

        def row(patient) -> Markup:
            return Markup(render_template("clinic/_patient_row.html", patient=patient,
                                          patient_url=patient_url, **values))

        rows = dashboard.patient_rows(board.patients, kept_rows, row, (request.script_root,))
        return Markup(render_template("clinic/_dashboard.html", link=link, rows=Markup("\n").join(rows),
                                      **values))

    def link(**changed) -> str:
        """This page with the sort, order and flag of this request, but ``changed``."""
        wanted = {"sort": sort, "order": order, "flag": flag, **changed}
        return url_for("clinic.home", **{name: value for name, value in wanted.items() if value})

    # The whole list is kept while nothing it shows changed (the same patients, names, data
    # versions and days), for this sort and filter.
    choice = (clinician.id, sort, order, flag, request.script_root)
    signature = dashboard.list_signature(database, clinician.id)
    response = make_response(render_template(
        "clinic/home.html", clinician=clinician,
        dashboard=the_list() if signature is None else kept_lists.get((choice, signature), the_list, slot=choice),
        open_codes=len(queries.open_codes(database, clinician.id)),
        new_code=session.pop(NEW_CODE_KEY, None), code_days=queries.CODE_DAYS))
    response.headers["Cache-Control"] = "no-store"  # a new code is shown once, never from a cache
    return response


def patient_url(patient_id: int) -> str:
    return url_for("clinic.patient", patient_id=patient_id)


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
