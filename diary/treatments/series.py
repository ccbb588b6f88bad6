"""Views of ketamine series: the treatments overview, a series page with each infusion's acute
change, adding, changing and deleting a series, and the patient's global impression of change.

Infusion views are in diary.treatments.infusions; they share this blueprint.
"""

from datetime import date, datetime, timedelta, timezone

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from diary.access import owned_or_404
from diary.days import patient_today, today_in
from diary.forms import FormReader
from diary.models import Infusion, InfusionSeries
from diary.treatments import queries
from diary.treatments.forms import CONDITIONS, PGIC, ROUTES, read_pgic, read_series, treatment_noun
from diary.trends.infusions import acute_change
from diary.trends.history import WINDOW_DAYS_DEFAULT

bp = Blueprint("series", __name__, url_prefix="/treatments")

# Days after a series' last infusion before its after window has passed and PGIC is asked:
# the default after window.
PGIC_AFTER_DAYS = WINDOW_DAYS_DEFAULT


def pgic_due(infusions: list[Infusion], today: date, time_zone: str) -> bool:
    """The after window of the series (PGIC_AFTER_DAYS after its last infusion) has passed, and
    no infusion was entered today: a past series entered after the fact may have more to come."""
    if not infusions or today <= infusions[-1].day + timedelta(days=PGIC_AFTER_DAYS):
        return False
    return all(today_in(time_zone, aware(infusion.created_at)) < today for infusion in infusions)


def aware(moment: datetime) -> datetime:
    """A stored UTC instant (SQLite hands it back without its time zone)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def series_form_context(**context) -> dict:
    return {"conditions": CONDITIONS, "routes": ROUTES, **context}


@bp.route("/")
@login_required
def index():
    return render_template("treatments/index.html",
                           series_list=queries.series_with_infusions(current_user.id))


@bp.route("/series/new")
@login_required
def new():
    return render_template("treatments/series_form.html",
                           **series_form_context(series=None, values={}, errors={}))


@bp.route("/series", methods=("POST",))
@login_required
def create():
    reader = FormReader(request.form)
    series_input = read_series(reader)
    if series_input is None:
        return render_template("treatments/series_form.html", **series_form_context(
            series=None, values=request.form, errors=reader.errors)), 422
    series = queries.save_series(current_user.id, series_input)
    flash(f"Series \u201c{series.name}\u201d is saved. Log its first infusion below.", "success")
    return redirect(url_for("infusions.new", series_id=series.id))


def render_series(series: InfusionSeries, values, errors, status: int = 200):
    infusions = queries.infusions_by_series([series.id])[series.id]
    today = patient_today(current_user)
    return render_template(
        "treatments/series.html", series=series, infusions=infusions,
        changes={infusion.id: acute_change(infusion) for infusion in infusions},
        side_effects=queries.side_effects_of([infusion.id for infusion in infusions]),
        pgic_choices=PGIC, pgic_due=pgic_due(infusions, today, current_user.time_zone) or bool(errors),
        after_days=PGIC_AFTER_DAYS, noun=treatment_noun(series.route), values=values,
        errors=errors), status


@bp.route("/series/<int:series_id>")
@login_required
def show(series_id: int):
    series = owned_or_404(InfusionSeries, series_id)
    return render_series(series, {"pgic": series.pgic or ""}, {})


@bp.route("/series/<int:series_id>/edit", methods=("GET", "POST"))
@login_required
def edit(series_id: int):
    series = owned_or_404(InfusionSeries, series_id)
    if request.method == "GET":
        values = {name: getattr(series, name) or "" for name in
                  ("name", "condition", "condition_other", "route", "route_other", "clinic", "notes")}
        return render_template("treatments/series_form.html",
                               **series_form_context(series=series, values=values, errors={}))
    reader = FormReader(request.form)
    series_input = read_series(reader)
    if series_input is None:
        return render_template("treatments/series_form.html", **series_form_context(
            series=series, values=request.form, errors=reader.errors)), 422
    queries.save_series(current_user.id, series_input, series)
    flash("Your changes to the series are saved.", "success")
    return redirect(url_for("series.show", series_id=series.id))


@bp.route("/series/<int:series_id>/delete", methods=("GET", "POST"))
@login_required
def delete(series_id: int):
    series = owned_or_404(InfusionSeries, series_id)
    if request.method == "GET":
        infusions = queries.infusions_by_series([series.id])[series.id]
        return render_template("treatments/series_delete.html", series=series, infusions=infusions)
    name = series.name
    queries.delete_series(series)
    flash(f"The series \u201c{name}\u201d and its infusions are deleted.", "success")
    return redirect(url_for("series.index"))


@bp.route("/series/<int:series_id>/pgic", methods=("POST",))
@login_required
def pgic(series_id: int):
    series = owned_or_404(InfusionSeries, series_id)
    reader = FormReader(request.form)
    answer = read_pgic(reader)
    if answer is None:
        return render_series(series, request.form, reader.errors, 422)
    queries.set_pgic(series, answer)
    flash("Thank you: your impression of change is saved.", "success")
    return redirect(url_for("series.show", series_id=series.id))
