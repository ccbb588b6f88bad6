"""The patient's clinicians (blueprint ``clinicians``, /clinicians, from the account page):
connect to a clinician with their code, choose whether notes are included, see who can see the
diary and every time each clinician opened it, and disconnect at once. The clinicians' own
side is diary.clinic."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from diary.access import owned_or_404
from diary.clinic import queries
from diary.db import get_session
from diary.models import ClinicianConnection
from diary.ratelimit import connection_code_limit_per_account, connection_code_limit_per_ip

bp = Blueprint("clinicians", __name__, url_prefix="/clinicians")

WRONG_CODE = ("This code does not work: it is not right, was used already or has expired. "
              "Check it, or ask your clinician for a new one")


def page(values: dict, errors: dict, status: int = 200):
    return render_template(
        "clinicians/index.html", values=values, errors=errors,
        connections=queries.connections_of_patient(get_session(), current_user.id)), status


@bp.route("", methods=("GET", "POST"))
@login_required
@connection_code_limit_per_ip
@connection_code_limit_per_account
def index():
    if request.method == "GET":
        return page({}, {})
    typed = (request.form.get("code") or "").strip()[:40]
    include_notes = request.form.get("include_notes") == "yes"
    if not typed:
        return page(request.form, {"code": "Enter the code your clinician gave you"}, 422)
    try:
        _, clinician = queries.connect(get_session(), current_user.id, typed, include_notes)
    except queries.CodeRefused:
        current_app.logger.warning("Wrong connection code from %s", request.remote_addr)
        return page(request.form, {"code": WRONG_CODE}, 422)
    current_app.logger.info("Patient %s connected to clinician %s", current_user.id, clinician.id)
    notes = "with your notes" if include_notes else "without your notes"
    flash(f"{clinician.display_name} can now see your diary ({notes}).", "success")
    return redirect(url_for("clinicians.index"))


@bp.route("/<int:connection_id>/disconnect", methods=("POST",))
@login_required
def disconnect(connection_id: int):
    connection = owned_or_404(ClinicianConnection, connection_id)
    queries.disconnect(get_session(), connection)
    current_app.logger.info("Patient %s disconnected connection %s", current_user.id, connection.id)
    flash("Disconnected. That clinician can no longer see your diary.", "success")
    return redirect(url_for("clinicians.index"))


@bp.route("/<int:connection_id>/notes", methods=("POST",))
@login_required
def notes(connection_id: int):
    connection = owned_or_404(ClinicianConnection, connection_id)
    if connection.disconnected_at is not None:
        return redirect(url_for("clinicians.index"))
    include_notes = request.form.get("include_notes") == "yes"
    queries.set_include_notes(get_session(), connection, include_notes)
    flash("Your notes are now " + ("included." if include_notes else "left out."), "success")
    return redirect(url_for("clinicians.index"))


def init_app(app) -> None:
    app.register_blueprint(bp)
