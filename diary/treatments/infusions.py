"""Views of infusions: log the next one in a few taps, change one, complete its later pain, delete.

A new infusion's form proposes what is usually the same as last time (series, route, start time,
dose, duration, weight); the patient changes what differs. Anything but the date and time may be
left blank and completed later.
"""

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from diary.access import owned_or_404
from diary.days import local_now
from diary.forms import FormReader
from diary.models import InfusionSeries
from diary.side_effects import SIDE_EFFECTS
from diary.treatments import queries
from diary.treatments.choices import choice_name
from diary.treatments.forms import (
    ERROR_LINK_IDS, INFUSION_PAINS, PHASES, infusion_values, plain_number, read_infusion, read_pains,
    treatment_noun,
)

bp = Blueprint("infusions", __name__, url_prefix="/treatments")

LATER_PAINS = ("pain_2h", "pain_24h")
PROPOSED_FROM_LAST_TIME = ("dose_mg", "duration_min", "weight_kg")


def infusion_or_404(infusion_id: int):
    """The logged-in patient's infusion and its series; any other id answers 404."""
    try:
        return queries.infusion_of(current_user.id, infusion_id)
    except queries.NoSuchInfusion:
        abort(404)


def patient_now() -> datetime:
    return local_now(current_user.time_zone)


def form_context(series: InfusionSeries, **context) -> dict:
    return {"series": series, "pains": INFUSION_PAINS, "phases": PHASES,
            "side_effects": SIDE_EFFECTS, "error_link_ids": ERROR_LINK_IDS,
            "route_name": choice_name("route", series.route, series.route_other),
            "noun": treatment_noun(series.route),
            "now": patient_now(), **context}


def proposal(series: InfusionSeries, now: datetime) -> dict[str, str]:
    """Today, at last time's start time (unless that is still to come), with last time's dose."""
    last = (queries.infusions_by_series([series.id])[series.id] or [None])[-1]
    last = last or queries.last_infusion(current_user.id, route=series.route)
    values = {"day": now.date().isoformat(), "start_time": f"{now:%H:%M}"}
    if last is not None:
        if last.start_time <= now.time():
            values["start_time"] = f"{last.start_time:%H:%M}"
        for name in PROPOSED_FROM_LAST_TIME:
            if getattr(last, name) is not None:
                values[name] = plain_number(getattr(last, name))
    return values


def saved_message(infusion, noun: str, now: datetime) -> str:
    """Says what is still to add only when something is, and where the patient will find it."""
    saved = f"The {noun} of {infusion.day:%A %-d %B} is saved."
    missing = [words for name, words in (("pain_2h", "2 hours"), ("pain_24h", "24 hours"))
               if getattr(infusion, name) is None]
    if not missing:
        return saved
    started = datetime.combine(infusion.day, infusion.start_time)
    if now - started <= queries.LATER_PAIN_ASKED_FOR:
        where = "later: the Log today page will remind you."
    else:
        where = "from this series page."
    return f"{saved} You can add the pain {' and '.join(missing)} after {where}"


@bp.route("/infusions/new")
@login_required
def start():
    """"Log an infusion" from anywhere: the running series (the latest), or a new series first."""
    series_list = queries.series_with_infusions(current_user.id)
    if not series_list:
        flash("First tell us about the series (the course of treatment) this infusion belongs to.",
              "success")
        return redirect(url_for("series.new"))
    return redirect(url_for("infusions.new", series_id=series_list[0][0].id))


@bp.route("/series/<int:series_id>/infusions/new")
@login_required
def new(series_id: int):
    series = owned_or_404(InfusionSeries, series_id)
    others = [s for s, _ in queries.series_with_infusions(current_user.id) if s.id != series.id]
    values = proposal(series, patient_now())
    return render_template("treatments/infusion_form.html", **form_context(
        series, infusion=None, values=values, errors={}, other_series=others,
        filled_in=any(name in values for name in PROPOSED_FROM_LAST_TIME)))


@bp.route("/series/<int:series_id>/infusions", methods=("POST",))
@login_required
def create(series_id: int):
    series = owned_or_404(InfusionSeries, series_id)
    reader = FormReader(request.form)
    infusion_input = read_infusion(reader, now=patient_now())
    if infusion_input is None:
        return render_template("treatments/infusion_form.html", **form_context(
            series, infusion=None, values=request.form, errors=reader.errors, other_series=[])), 422
    infusion = queries.save_infusion(series, infusion_input)
    flash(saved_message(infusion, treatment_noun(series.route), patient_now()), "success")
    return redirect(url_for("series.show", series_id=series.id, _anchor=f"infusion-{infusion.id}"))


@bp.route("/infusions/<int:infusion_id>/edit", methods=("GET", "POST"))
@login_required
def edit(infusion_id: int):
    infusion, series = infusion_or_404(infusion_id)
    if request.method == "GET":
        values = infusion_values(infusion, queries.side_effects_of([infusion.id])[infusion.id])
        return render_template("treatments/infusion_form.html", **form_context(
            series, infusion=infusion, values=values, errors={}))
    reader = FormReader(request.form)
    infusion_input = read_infusion(reader, now=patient_now())
    if infusion_input is None:
        return render_template("treatments/infusion_form.html", **form_context(
            series, infusion=infusion, values=request.form, errors=reader.errors)), 422
    queries.save_infusion(series, infusion_input, infusion)
    flash(f"Your changes to the {treatment_noun(series.route)} of {infusion.day:%A %-d %B} are saved.",
          "success")
    return redirect(url_for("series.show", series_id=series.id, _anchor=f"infusion-{infusion.id}"))


@bp.route("/infusions/<int:infusion_id>/later", methods=("GET", "POST"))
@login_required
def later(infusion_id: int):
    """Only the pain 2 hours and 24 hours after: the short form the Today page links to."""
    infusion, series = infusion_or_404(infusion_id)
    pains = [(name, label) for name, label in INFUSION_PAINS if name in LATER_PAINS]
    if request.method == "GET":
        values = {name: "" if getattr(infusion, name) is None else str(getattr(infusion, name))
                  for name in LATER_PAINS}
        return render_template("treatments/infusion_later.html", series=series, infusion=infusion,
                               pains=pains, values=values, errors={})
    reader = FormReader(request.form)
    answers = read_pains(reader, list(LATER_PAINS))
    if not reader.ok:
        return render_template("treatments/infusion_later.html", series=series, infusion=infusion,
                               pains=pains, values=request.form, errors=reader.errors), 422
    queries.save_later_pains(series, infusion, answers)
    flash("Thank you: the later pain is saved.", "success")
    return redirect(url_for("series.show", series_id=series.id, _anchor=f"infusion-{infusion.id}"))


@bp.route("/infusions/<int:infusion_id>/delete", methods=("GET", "POST"))
@login_required
def delete(infusion_id: int):
    infusion, series = infusion_or_404(infusion_id)
    if request.method == "GET":
        return render_template("treatments/infusion_delete.html", series=series, infusion=infusion)
    day = infusion.day
    queries.delete_infusion(series, infusion)
    flash(f"The {treatment_noun(series.route)} of {day:%A %-d %B %Y} is deleted.", "success")
    return redirect(url_for("series.show", series_id=series.id))
