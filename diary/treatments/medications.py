"""Views of medications: the list, each day's use (with "Same as yesterday" and "No medications
today" as one tap each), and MME/day for every logged day by the rules of diary.treatments.mme.
"""

from datetime import date, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from diary.access import owned_or_404
from diary.days import month_days, next_month, parse_day, parse_month, patient_today, previous_month
from diary.forms import FormReader
from diary.models import Medication
from diary.treatments import queries
from diary.treatments.forms import (
    CHOICE_NAMES, DRUGS, MEDICATION_FORMS, UNITS, medication_values, read_doses, read_medication,
)
from diary.treatments.usual_doses import record_usual_doses

bp = Blueprint("medications", __name__, url_prefix="/treatments/medications")

MONTH_PROBLEM = "Choose a month from the past or this one, such as 2026-03"


def medication_form(medication: Medication | None, values, errors, status: int = 200):
    return render_template("treatments/medication_form.html", medication=medication, values=values,
                           errors=errors, drugs=DRUGS, forms_=MEDICATION_FORMS,
                           units=[(unit, unit) for unit in UNITS]), status


@bp.route("/")
@login_required
def index():
    """Today's medications, the list, and MME/day for one month (this one unless ``?month=``)."""
    today = patient_today(current_user)
    this_month = today.replace(day=1)
    asked = request.args.get("month")
    month = this_month if asked is None else parse_month(asked)
    errors, status = {}, 200
    if month is None or month > this_month or month.year < 1900:
        errors, status, month = {"month": MONTH_PROBLEM}, 422, this_month
    by_day = queries.mme_by_day(current_user.id, month_days(month))
    recent = queries.mme_by_day(current_user.id, [today - timedelta(days=1), today])
    earlier = queries.first_medication_day(current_user.id)
    return render_template("treatments/medications.html", today=today,
                           medications=queries.medications(current_user.id),
                           days=list(by_day.items()), today_mme=recent.get(today),
                           yesterday_logged=today - timedelta(days=1) in recent,
                           drug_names=CHOICE_NAMES["drug"], month=month, errors=errors,
                           values={"month": asked if errors else f"{month:%Y-%m}"},
                           earlier=previous_month(month) if earlier and earlier < month else None,
                           later=next_month(month) if month < this_month else None), status


@bp.route("/new")
@login_required
def new():
    return medication_form(None, {"form": "tablet", "unit": "mg"}, {})


@bp.route("/", methods=("POST",))
@login_required
def create():
    reader = FormReader(request.form)
    medication_input = read_medication(reader)
    if medication_input is None:
        return medication_form(None, request.form, reader.errors, 422)
    medication = queries.save_medication(current_user.id, medication_input)
    flash(f"{medication.name} is on your list.", "success")
    return redirect(url_for("medications.index"))


@bp.route("/<int:medication_id>/edit", methods=("GET", "POST"))
@login_required
def edit(medication_id: int):
    medication = owned_or_404(Medication, medication_id)
    if request.method == "GET":
        return medication_form(medication, medication_values(medication), {})
    reader = FormReader(request.form)
    medication_input = read_medication(reader)
    if medication_input is None:
        return medication_form(medication, request.form, reader.errors, 422)
    queries.save_medication(current_user.id, medication_input, medication)
    flash(f"Your changes to {medication.name} are saved.", "success")
    return redirect(url_for("medications.index"))


@bp.route("/<int:medication_id>/stop", methods=("GET", "POST"))
@login_required
def stop(medication_id: int):
    medication = owned_or_404(Medication, medication_id)
    if request.method == "GET":
        return render_template("treatments/medication_stop.html", medication=medication)
    queries.stop_medication(medication)
    flash(f"{medication.name} is off your list. The days you took it stay in your diary.", "success")
    return redirect(url_for("medications.index"))


def day_form(day: date, values, errors, status: int = 200):
    logged = queries.amounts_on(current_user.id, day) or {}
    listed = queries.medications(current_user.id, active_only=False)
    shown = [m for m in listed if m.active or m.id in logged]
    return render_template("treatments/medication_day.html", day=day, medications=shown,
                           values=values, errors=errors, today=patient_today(current_user),
                           recorded=queries.medication_day(current_user.id, day) is not None), status


@bp.route("/day", methods=("GET", "POST"))
@login_required
def log_day():
    today = patient_today(current_user)
    if request.method == "GET":
        day = parse_day(request.args.get("day", "")) or today
        amounts = queries.amounts_on(current_user.id, day) or {}
        values = {f"amount_{medication_id}": f"{amount.normalize():f}"
                  for medication_id, amount in amounts.items()}
        return day_form(min(day, today), {"day": min(day, today).isoformat(), **values}, {})
    reader = FormReader(request.form)
    day = reader.day("day", "Date", latest=today)
    medications = queries.medications(current_user.id, active_only=False)
    amounts = read_doses(reader, medications)
    if not reader.ok:
        return day_form(day or today, request.form, reader.errors, 422)
    queries.save_day(current_user.id, day, amounts)
    if amounts:
        flash(f"Saved: your medications on {day:%A %-d %B}.", "success")
    else:
        flash(f"Saved: no medications on {day:%A %-d %B}.", "success")
    return redirect(url_for("medications.index"))


@bp.route("/same-as-yesterday", methods=("POST",))
@login_required
def same_as_yesterday():
    today = patient_today(current_user)
    yesterday = queries.amounts_on(current_user.id, today - timedelta(days=1))
    if yesterday is None:
        flash("Nothing is logged for yesterday, so there is nothing to copy. "
              "Log today's medications below instead.", "error")
        return redirect(url_for("medications.log_day"))
    active = {medication.id for medication in queries.medications(current_user.id)}
    queries.save_day(current_user.id, today, {i: a for i, a in yesterday.items() if i in active})
    flash("Saved: today's medications are the same as yesterday's.", "success")
    return redirect(url_for("medications.index"))


@bp.route("/none-today", methods=("POST",))
@login_required
def none_today():
    queries.save_day(current_user.id, patient_today(current_user), {})
    flash("Saved: no medications today.", "success")
    return redirect(url_for("medications.index"))


@bp.route("/usual-today", methods=("POST",))
@login_required
def usual_today():
    """"Took my usual doses", from "Log today"; a second tap changes nothing."""
    if record_usual_doses(current_user.id, patient_today(current_user)):
        flash("Saved: your usual doses today.", "success")
    elif not any(medication.usual_dose is not None for medication in queries.medications(current_user.id)):
        flash("None of your medications has a usual dose yet. Add one to a medicine first.", "error")
        return redirect(url_for("medications.index"))
    else:
        flash("Your usual doses today were already recorded; nothing changed.", "success")
    return redirect(url_for("entries.today", _anchor="medications-today"))
