"""The trend pages (/trends, templates/trends; the analysis itself is the pure diary.trends):
before and after each series, the timeline, side effects, settings and
"How these numbers are computed". Thin: load the history, analyse it, build figures, render.

Every page analyses the patient's whole history once (diary.trends.analysis), from one load
(diary.loaded_history.analysed_history: a query per table, or none while nothing changed).
Figures are embedded in the page as JSON; the figure JSON endpoint reuses its body while nothing
changed.
"""

import json
from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from diary.auth import account_row
from diary.charts import figures, side_effect_chart
from diary.forms import FormReader
from diary.loaded_history import analysed_history, derived, history_key, save_windows
from diary.questionnaires.figure import questionnaire_figure
from diary.questionnaires.items import GAD7, PHQ9, QUESTIONNAIRES
from diary.trends.display import percent_text
from diary.trends.durability import trailing_mean
from diary.trends.outcomes import CLASS_WORDS, NO_MEANINGFUL_CHANGE, RESULT_CLASSES, WORSE, WORSE_FROM
from diary.trends.history import WINDOW_DAYS_MAX, WINDOW_DAYS_MIN
from diary.trends.still_needed import still_needed_in

bp = Blueprint("trends", __name__, url_prefix="/trends")

# Quick ranges of the timeline: query value -> (label, days back from today; None for all)
RANGES = {"30": ("30 days", 30), "90": ("90 days", 90), "365": ("1 year", 365), "all": ("All", None)}
DEFAULT_RANGE = "90"


def patient_trends():
    """The logged-in patient's history with their window settings, and its analysis."""
    return analysed_history(current_user._get_current_object())


def requested_range(history) -> tuple[str, date, date]:
    """The timeline's range from the query string (?range=30, 90, 365 or all; anything else is
    the default) as its key and its first and last day."""
    key = request.args.get("range", DEFAULT_RANGE)
    key = key if key in RANGES else DEFAULT_RANGE
    return key, *timeline_range(history, key)


def timeline_range(history, key: str) -> tuple[date, date]:
    """The range's days up to today, never starting before the diary does: a 50-day diary opens
    on its 50 days, not on 90 of which 40 are empty."""
    days_back = RANGES[key][1]
    starts = sorted(history.entries)[:1] + [item.first_day for item in history.series if item.infusions]
    diary_start = min(starts, default=history.today - timedelta(days=29))
    first = diary_start
    if days_back is not None:
        first = max(history.today - timedelta(days=days_back - 1), diary_start)
    return min(first, history.today), history.today


def series_result_or_404(trends, series_id: int | None):
    """One of the patient's own analysed series; any other id answers 404, like a missing one."""
    result = next((item for item in trends.series if item.series.id == series_id), None)
    if result is None:
        abort(404)
    return result


def chart_figure(name: str, history, trends) -> dict:
    if name == "timeline":
        _, first, last = requested_range(history)
        return figures.timeline(trends, history, first, last)
    if name == "before-after":
        return figures.before_after(trends)
    if name == "compared":
        return figures.series_compared(trends)
    if name == "side-effects":
        series_id = request.args.get("series", type=int)
        return side_effect_chart.side_effects(series_result_or_404(trends, series_id), history)
    abort(404)


def as_json(figure: dict) -> str:
    return json.dumps(figure, separators=(",", ":"))


@bp.route("/")
@login_required
def index():
    patient = current_user._get_current_object()
    key = history_key(patient)
    history, trends = analysed_history(patient, key)

    def body() -> Markup:
        compared = figures.series_compared(trends)
        # The compared chart's numbers as text: (day from first infusion, pain) per series.
        compared_days = [[(offset, pain) for offset, pain in zip(line["x"], line["y"]) if pain is not None]
                         for line in compared["data"]]
        return Markup(render_template(
            "trends/_index_body.html", trends=trends, history=history, compared=compared,
            compared_days=compared_days,
            still_needed={item.series_id: item for item in still_needed_in(history, trends)},
            before_after=figures.before_after(trends) if trends.series else None))

    # Twelve series cards take ~25 ms to write and depend on the analysis alone.
    return render_template("trends/index.html", trends=trends,
                           body=derived(key, ("before/after page",), body))


GLANCE = (("pain_avg", "Average pain"), ("mood", "Mood (higher is better)"), ("mme", "Opioids (MME/day)"))


def range_glance(trends, first, last) -> list[tuple[str, object, object]]:
    """Each measure's mean over the range's first 7 days and its last 7 (the 7-day rule: at least
    4 logged), for the numbers above the chart; opioids only when any were taken."""
    glance = []
    for key, label in GLANCE:
        values = trends.daily[key].values
        if key == "mme" and not any(values.get(day) for day in values if first <= day <= last):
            continue
        start = trailing_mean(values, min(first + timedelta(days=6), last), not_before=first)
        glance.append((label, start, trailing_mean(values, last)))
    return glance


@bp.route("/timeline")
@login_required
def timeline():
    history, trends = patient_trends()
    range_key, first, last = requested_range(history)
    pain = trends.daily["pain_avg"].values
    rows = []
    day = last
    while day >= first:
        entry = history.entries.get(day)
        rows.append({"day": day, "pain": entry.pain_avg if entry else None,
                     "mean": trailing_mean(pain, day), "mood": entry.mood if entry else None,
                     "mme": history.mme.get(day), "mme_known": day in history.mme})
        day -= timedelta(days=1)
    logged = sum(1 for row in rows if row["pain"] is not None)
    answered = [item for item in history.questionnaires if first <= item.day <= last]
    return render_template(
        "trends/timeline.html", ranges=RANGES, range_key=range_key, rows=rows, logged=logged,
        first=first, last=last, history=history, trends=trends,
        glance=range_glance(trends, first, last),
        figure=figures.timeline(trends, history, first, last), answered=answered,
        questionnaire_names={kind: item.name for kind, item in QUESTIONNAIRES.items()},
        questionnaires=questionnaire_figure(answered, history.series, first, last) if answered else None)


@bp.route("/side-effects")
@login_required
def side_effects():
    history, trends = patient_trends()
    panels = []
    for result in trends.series:
        points = side_effect_chart.side_effect_points(result, history)
        panels.append((result, points, side_effect_chart.side_effects(result, history) if points else None))
    return render_template("trends/side_effects.html", trends=trends, panels=panels,
                           any_points=any(points for _, points, _ in panels))


@bp.route("/figures/<name>.json")
@login_required
def figure_json(name: str):
    patient = current_user._get_current_object()
    key = history_key(patient)
    # The figure depends on the analysis and the query string only: built once per version.
    body = derived(key, (name, tuple(sorted(request.args.items()))),
                   lambda: as_json(chart_figure(name, *analysed_history(patient, key))))
    return body, 200, {"Content-Type": "application/json"}


def class_bands() -> list[tuple[str, str]]:
    """The IMMPACT table in words, written from the one table in diary.trends.outcomes."""
    bands, above = [], None
    for name, bound in RESULT_CLASSES:
        limit = (f"{percent_text(bound)} or lower" if above is None
                 else f"above {percent_text(above)}, up to and including {percent_text(bound)}")
        bands.append((limit, CLASS_WORDS[name]))
        above = bound
    bands.append((f"above {percent_text(above)} and below {percent_text(WORSE_FROM)}",
                  CLASS_WORDS[NO_MEANINGFUL_CHANGE]))
    bands.append((f"{percent_text(WORSE_FROM)} or higher", CLASS_WORDS[WORSE]))
    return bands


def questionnaire_bands(kind: str) -> list[str]:
    """"0–4 minimal", "5–9 mild" …, from the one table in diary.questionnaires.items."""
    bands, lowest = [], 0
    for highest, name in QUESTIONNAIRES[kind].bands:
        bands.append(f"{lowest}–{highest} {name}")
        lowest = highest + 1
    return bands


@bp.route("/how")
def how():
    return render_template("trends/how.html", minimum=WINDOW_DAYS_MIN, maximum=WINDOW_DAYS_MAX,
                           class_bands=class_bands(), phq9_bands=questionnaire_bands(PHQ9),
                           gad7_bands=questionnaire_bands(GAD7))


@bp.route("/settings", methods=("GET", "POST"))
@login_required
def settings():
    patient = account_row()
    if request.method == "GET":
        values = {"before_days": str(patient.trends_before_days),
                  "after_days": str(patient.trends_after_days)}
        return render_template("trends/settings.html", values=values, errors={},
                               minimum=WINDOW_DAYS_MIN, maximum=WINDOW_DAYS_MAX)
    reader = FormReader(request.form)
    before_days = reader.whole_number("before_days", "Days before the first infusion",
                                      minimum=WINDOW_DAYS_MIN, maximum=WINDOW_DAYS_MAX,
                                      unit="days", required=True)
    after_days = reader.whole_number("after_days", "Days after the last infusion",
                                     minimum=WINDOW_DAYS_MIN, maximum=WINDOW_DAYS_MAX,
                                     unit="days", required=True)
    if not reader.ok:
        return render_template("trends/settings.html", values=request.form, errors=reader.errors,
                               minimum=WINDOW_DAYS_MIN, maximum=WINDOW_DAYS_MAX), 422
    save_windows(patient, before_days, after_days)
    flash(f"Saved: series are compared over {before_days} days before and {after_days} days after.",
          "success")
    return redirect(url_for("trends.index"))
