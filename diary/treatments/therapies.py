"""Views of other therapies (physiotherapy, CBT, acupuncture, a nerve block...): events on the
timeline with a date and a note. They are shown, never used in a calculation.
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from diary.access import owned_or_404
from diary.days import patient_today
from diary.forms import FormReader
from diary.models import TherapyEvent
from diary.treatments import queries
from diary.treatments.choices import choice_name
from diary.treatments.forms import THERAPY_KINDS, read_therapy

bp = Blueprint("therapies", __name__, url_prefix="/treatments/therapies")


def therapy_name(therapy: TherapyEvent) -> str:
    return choice_name("therapy", therapy.kind, therapy.kind_other)


def render_index(values, errors, status: int = 200):
    today = patient_today(current_user)
    return render_template("treatments/therapies.html", therapies=queries.therapies(current_user.id),
                           kinds=THERAPY_KINDS, therapy_name=therapy_name, today=today,
                           values=values or {"day": today.isoformat()}, errors=errors), status


@bp.route("/")
@login_required
def index():
    return render_index({}, {})


@bp.route("/", methods=("POST",))
@login_required
def create():
    reader = FormReader(request.form)
    therapy_input = read_therapy(reader, today=patient_today(current_user))
    if therapy_input is None:
        return render_index(request.form, reader.errors, 422)
    therapy = queries.save_therapy(current_user.id, therapy_input)
    flash(f"Saved: {therapy_name(therapy)} on {therapy.day:%A %-d %B}.", "success")
    return redirect(url_for("therapies.index"))


@bp.route("/<int:therapy_id>/edit", methods=("GET", "POST"))
@login_required
def edit(therapy_id: int):
    therapy = owned_or_404(TherapyEvent, therapy_id)
    today = patient_today(current_user)
    context = {"therapy": therapy, "kinds": THERAPY_KINDS, "today": today}
    if request.method == "GET":
        values = {"day": therapy.day.isoformat(), "kind": therapy.kind,
                  "kind_other": therapy.kind_other or "", "note": therapy.note or ""}
        return render_template("treatments/therapy_edit.html", values=values, errors={}, **context)
    reader = FormReader(request.form)
    therapy_input = read_therapy(reader, today=today)
    if therapy_input is None:
        return render_template("treatments/therapy_edit.html", values=request.form,
                               errors=reader.errors, **context), 422
    queries.save_therapy(current_user.id, therapy_input, therapy)
    flash("Your changes are saved.", "success")
    return redirect(url_for("therapies.index"))


@bp.route("/<int:therapy_id>/delete", methods=("GET", "POST"))
@login_required
def delete(therapy_id: int):
    therapy = owned_or_404(TherapyEvent, therapy_id)
    if request.method == "GET":
        return render_template("treatments/therapy_delete.html", therapy=therapy,
                               name=therapy_name(therapy))
    queries.delete_therapy(therapy)
    flash("The therapy is deleted.", "success")
    return redirect(url_for("therapies.index"))
