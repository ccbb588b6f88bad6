"""The questionnaire pages: answer a PHQ-9 or GAD-7, see an answer, the safety page, and how
often they are offered. Thin: read the form, call the queries, render or redirect."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from diary.access import owned_or_404
from diary.days import patient_today
from diary.forms import FormReader
from diary.models import QuestionnaireAnswer
from diary.questionnaires import queries
from diary.questionnaires.fields import DIFFICULTY, ITEMS
from diary.questionnaires.items import (
    ANSWER_WORDS, ANSWERS, DIFFICULTIES, DIFFICULTY_QUESTION, DIFFICULTY_WORDS, GAD7, KINDS,
    QUESTIONNAIRES, RECALL,
)
from diary.questionnaires.scoring import (
    INTERVAL_DEFAULT, INTERVAL_MAX, INTERVAL_MIN, due, needs_safety_page,
)

bp = Blueprint("questionnaires", __name__, url_prefix="/questionnaires")
OFF = "off"


def due_today() -> list[str]:
    """The questionnaires to offer the logged-in patient today."""
    return due(queries.last_answered(current_user.id), patient_today(current_user),
               current_user.questionnaire_interval_days)


def questionnaires_due() -> list:
    """The questionnaires due today, for "Log today" and the questionnaires page."""
    return [QUESTIONNAIRES[kind] for kind in due_today()]


def questionnaire_or_404(kind: str):
    if kind not in KINDS:
        abort(404)
    return QUESTIONNAIRES[kind]


def read_answers(reader: FormReader, questionnaire) -> tuple[tuple[int | None, ...], int | None]:
    """Each item's 0-3, None where left out (then the questionnaire is "incomplete")."""
    answers = tuple(reader.read(f"item_{number}", ITEMS[f"item_{number}"])
                    for number in range(1, len(questionnaire.items) + 1))
    return answers, reader.read("difficulty", DIFFICULTY)


def next_page():
    """After one questionnaire: the other one if it is due too, else back to "Log today"."""
    remaining = due_today()
    if remaining:
        return redirect(url_for("questionnaires.new", kind=remaining[0]))
    return redirect(url_for("entries.today"))


def form_page(questionnaire, values, errors, status=200):
    return render_template("questionnaires/answer.html", questionnaire=questionnaire, recall=RECALL,
                           answers=ANSWERS, difficulties=DIFFICULTIES,
                           difficulty_question=DIFFICULTY_QUESTION, values=values, errors=errors,
                           crisis_resources=current_app.config["CRISIS_RESOURCES"]), status


@bp.route("/")
@login_required
def index():
    answered = list(reversed(queries.all_answered(current_user.id)))
    return render_template("questionnaires/index.html", answered=answered, due=questionnaires_due(),
                           questionnaires=QUESTIONNAIRES, interval=queries.interval_of(current_user.id))


@bp.route("/<kind>/new")
@login_required
def new(kind: str):
    questionnaire = questionnaire_or_404(kind)
    existing = queries.answered_on(current_user.id, kind, patient_today(current_user))
    if existing is not None:
        flash(f"You already answered the {questionnaire.name} today; it is offered at most once a day.",
              "success")
        return redirect(url_for("questionnaires.show", answer_id=existing.id))
    return form_page(questionnaire, {}, {})


@bp.route("/<kind>", methods=("POST",))
@login_required
def create(kind: str):
    questionnaire = questionnaire_or_404(kind)
    reader = FormReader(request.form)
    answers, difficulty = read_answers(reader, questionnaire)
    if not reader.ok:
        return form_page(questionnaire, request.form, reader.errors, 422)
    try:
        answer = queries.add_answer(current_user.id, kind, patient_today(current_user),
                                    answers, difficulty)
    except queries.AlreadyAnswered as clash:
        flash(f"You already answered the {questionnaire.name} today; these answers were not saved.",
              "error")
        if clash.answer_id is None:
            return redirect(url_for("entries.today"))
        return redirect(url_for("questionnaires.show", answer_id=clash.answer_id))
    if needs_safety_page(kind, answers):
        # Before anything else, even a "saved" message or the next questionnaire.
        return redirect(url_for("questionnaires.safety"))
    flash(f"Saved: your {questionnaire.name} answers.", "success")
    return next_page()


@bp.route("/<int:answer_id>")
@login_required
def show(answer_id: int):
    row = owned_or_404(QuestionnaireAnswer, answer_id)
    answered = queries.as_answered(row)
    return render_template("questionnaires/show.html", answered=answered, row=row,
                           questionnaire=QUESTIONNAIRES[row.kind], answer_words=ANSWER_WORDS,
                           difficulty_words=DIFFICULTY_WORDS, difficulty_question=DIFFICULTY_QUESTION,
                           recall=RECALL)


@bp.route("/safety")
@login_required
def safety():
    return render_template("questionnaires/safety.html",
                           crisis_resources=current_app.config["CRISIS_RESOURCES"],
                           gad7_due=GAD7 in due_today())


@bp.route("/settings", methods=("GET", "POST"))
@login_required
def settings():
    options = [(str(days), f"Every {days} days") for days in range(INTERVAL_MIN, INTERVAL_MAX + 1)]
    options.append((OFF, "Never (turned off)"))
    if request.method == "GET":
        interval = queries.interval_of(current_user.id)
        return render_template("questionnaires/settings.html", options=options, errors={},
                               values={"interval": OFF if interval is None else str(interval)},
                               default=INTERVAL_DEFAULT)
    reader = FormReader(request.form)
    chosen = reader.choice("interval", "how often to answer them", dict(options), required=True)
    if not reader.ok:
        return render_template("questionnaires/settings.html", options=options, errors=reader.errors,
                               values=request.form, default=INTERVAL_DEFAULT), 422
    interval = None if chosen == OFF else int(chosen)
    queries.set_interval(current_user.id, interval)
    flash("Saved: the mood and anxiety questions are turned off." if interval is None
          else f"Saved: the mood and anxiety questions are offered every {interval} days.", "success")
    return redirect(url_for("questionnaires.index"))
