"""Views of the daily diary. Thin: read the form, call queries, render or redirect."""

from datetime import date, timedelta, timezone

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from diary import htmx
from diary.access import owned_or_404
from diary.days import local_now, next_month, parse_day, parse_month, patient_today, previous_month
from diary.entries.calendar import (
    CalendarDay, day_state, diary_start, missing_count, month_weeks, next_missing,
)
from diary.entries.forms import ERROR_LINK_IDS, SCALES, EntryInput, entry_values, read_entry
from diary.entries.queries import (
    HISTORY_PAGE, DayAlreadyLogged, add_entry, change_entry, day_with_side_effects, delete_entry,
    diary_beginnings, entry_on, first_infusion_of_series_since, history_page, infusion_days,
    logged_days, pain_between, side_effects_of,
)
from diary.forms import FormReader
from diary.loaded_history import load_history
from diary.models import Entry
from diary.questionnaires.views import questionnaires_due
from diary.side_effects import SIDE_EFFECTS
from diary.treatments.queries import infusions_awaiting_later_pain
from diary.treatments.usual_doses import medications_today
from diary.trends.analysis import analyse
from diary.trends.display import day_text
from diary.trends.still_needed import still_needed_in

bp = Blueprint("entries", __name__)


def form_context(**context) -> dict:
    """What every template showing the entry form needs."""
    return {"scales": SCALES, "side_effects": SIDE_EFFECTS, "error_link_ids": ERROR_LINK_IDS,
            "today": patient_today(current_user), **context}


def saved(entry_input: EntryInput, entry_id: int):
    """Say what was saved, then show it: today's page for today, else its day in the history."""
    day = entry_input.day
    flash(f"Saved: pain {entry_input.scores['pain_avg']} on {day:%A %-d %B}.", "success")
    if day == patient_today(current_user):
        return redirect(url_for("entries.today"))
    return redirect(url_for("entries.history", _anchor=f"entry-{entry_id}"))


def still_needed_today(today: date):
    """What the open before/after windows still need. A window is open only within the after
    days of a series' last infusion (infusions are never in the future), so only the series with
    an infusion since then count, and only the diary from their before windows on is loaded:
    "Log today" follows every save, and a whole three-year history costs ~170 ms to load and
    analyse again (tests/benchmark/today_after_save.py)."""
    patient = current_user._get_current_object()
    first = first_infusion_of_series_since(patient.id, today - timedelta(days=patient.trends_after_days))
    if first is None:
        return ()
    history = load_history(patient, since=first - timedelta(days=patient.trends_before_days))
    return still_needed_in(history, analyse(history))


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("entries.today"))
    return redirect(url_for("auth.login"))


@bp.route("/today")
@login_required
def today():
    day = patient_today(current_user)
    entry, side_effects = day_with_side_effects(current_user.id, day)
    values = {"day": day.isoformat()} if entry is None else entry_values(entry, side_effects)
    awaiting = infusions_awaiting_later_pain(current_user.id, local_now(current_user.time_zone))
    return render_template("entries/today.html", **form_context(
        entry=entry, values=values, errors={}, yesterday=day - timedelta(days=1),
        awaiting_later_pain=awaiting, questionnaires_due=questionnaires_due(),
        still_needed=still_needed_today(day),
        medications_today=medications_today(current_user.id, day)))


@bp.route("/entries/new")
@login_required
def new():
    day = parse_day(request.args.get("day", "")) or patient_today(current_user)
    existing = entry_on(current_user.id, day)
    if existing is not None:
        return redirect(url_for("entries.edit", entry_id=existing.id))
    return render_template("entries/new.html", **form_context(values={"day": day.isoformat()}, errors={}))


@bp.route("/entries", methods=("POST",))
@login_required
def create():
    reader = FormReader(request.form)
    entry_input = read_entry(reader, today=patient_today(current_user))
    status, clash_id = 422, None
    if entry_input is not None:
        try:
            entry = add_entry(current_user.id, entry_input)
        except DayAlreadyLogged as clash:
            status, clash_id = 409, clash.entry_id
            reader.fail("day", f"You already logged {clash.day:%A %-d %B %Y}. "
                               "Open that day to change it, or choose another date.")
        else:
            return saved(entry_input, entry.id)
    return render_template("entries/new.html", **form_context(
        values=request.form, errors=reader.errors, clash_id=clash_id)), status


@bp.route("/entries")
@login_required
def history():
    before = parse_day(request.args.get("before", ""))
    entries = history_page(current_user.id, before)
    more = len(entries) == HISTORY_PAGE
    return htmx.render("entries/history.html", "entries/_rows.html",
                       entries=entries, side_effects=side_effects_of([e.id for e in entries]),
                       next_before=entries[-1].day.isoformat() if more else None)


@bp.route("/entries/<int:entry_id>")
@login_required
def show(entry_id: int):
    entry = owned_or_404(Entry, entry_id)
    if not htmx.is_fragment_request():
        return redirect(url_for("entries.history", _anchor=f"entry-{entry.id}"))
    return htmx.render("entries/history.html", "entries/_row.html",
                       entry=entry, side_effects=side_effects_of([entry.id]))


@bp.route("/entries/<int:entry_id>/edit")
@login_required
def edit(entry_id: int):
    entry = owned_or_404(Entry, entry_id)
    values = entry_values(entry, side_effects_of([entry.id])[entry.id])
    return htmx.render("entries/edit.html", "entries/_row_edit.html",
                       **form_context(entry=entry, values=values, errors={}))


@bp.route("/entries/<int:entry_id>", methods=("POST",))
@login_required
def update(entry_id: int):
    reader = FormReader(request.form)
    entry_input = read_entry(reader, today=patient_today(current_user))
    status, clash_id = 422, None
    if entry_input is not None:
        try:
            # The UPDATE's WHERE checks ownership, so a valid form costs no separate read.
            if not change_entry(current_user.id, entry_id, entry_input):
                abort(404)
        except DayAlreadyLogged as clash:
            status, clash_id = 409, clash.entry_id
            reader.fail("day", f"You already logged {clash.day:%A %-d %B %Y}. "
                               "Choose another date, or change that day instead.")
        else:
            if htmx.is_fragment_request():
                return htmx.render("entries/history.html", "entries/_row.html",
                                   entry=owned_or_404(Entry, entry_id),
                                   side_effects=side_effects_of([entry_id]))
            return saved(entry_input, entry_id)
    entry = owned_or_404(Entry, entry_id)
    return htmx.render("entries/edit.html", "entries/_row_edit.html", status, **form_context(
        entry=entry, values=request.form, errors=reader.errors, clash_id=clash_id))


@bp.route("/entries/<int:entry_id>/delete", methods=("GET", "POST"))
@login_required
def delete(entry_id: int):
    entry = owned_or_404(Entry, entry_id)
    if request.method == "GET":
        return htmx.render("entries/delete.html", "entries/_row_delete.html", entry=entry)
    day = entry.day
    delete_entry(entry)
    if htmx.is_fragment_request():  # asked inside the history's row: the row says it is gone
        return htmx.render("entries/history.html", "entries/_row_deleted.html", entry_id=entry_id, day=day)
    flash(f"The entry for {day:%A %-d %B %Y} is deleted.", "success")
    return redirect(url_for("entries.history"))


# The month calendar and its compact backfill (diary.entries.calendar)

MONTH_PROBLEM = "Choose a month from the past or this one, such as 2026-03"


def diary_start_of(patient, today: date) -> date:
    made_at, first_logged, first_infusion = diary_beginnings(patient.id)
    made = local_now(patient.time_zone, made_at.replace(tzinfo=made_at.tzinfo or timezone.utc)).date()
    window_starts = [first_infusion - timedelta(days=patient.trends_before_days)] if first_infusion else []
    return diary_start(min(made, today), first_logged, window_starts)


def calendar_page(month: date, chosen: date | None = None, *, saved_day: date | None = None,
                  values=None, errors=None, status: int = 200, problem: str = "", clash_id=None):
    """The calendar of ``month``, with the compact backfill of ``chosen`` open below it."""
    today = patient_today(current_user)
    start = diary_start_of(current_user, today)
    last = next_month(month) - timedelta(days=1)
    weeks = month_weeks(month, pain_between(current_user.id, month, last),
                        infusion_days(current_user.id, month, last), today, start)
    chosen_entry = entry_on(current_user.id, chosen) if chosen else None
    chosen_day = None if chosen is None else CalendarDay(
        chosen, day_state(chosen, chosen_entry is not None, today, start))
    return htmx.render("entries/calendar.html", "entries/_calendar.html", status, **form_context(
        month=month, weeks=weeks, missing=missing_count(weeks), chosen=chosen_day,
        chosen_entry=chosen_entry, saved_day=saved_day,
        earlier=previous_month(month) if month > start.replace(day=1) else None,
        later=next_month(month) if month < today.replace(day=1) else None,
        values=values or {"day": chosen.isoformat() if chosen else ""}, errors=errors or {},
        problem=problem, clash_id=clash_id))


@bp.route("/entries/calendar")
@login_required
def calendar():
    this_month = patient_today(current_user).replace(day=1)
    chosen = parse_day(request.args.get("day", ""))
    asked = request.args.get("month")
    month = parse_month(asked) if asked else (chosen or this_month).replace(day=1)
    if month is None or month > this_month or month.year < 1900:
        return calendar_page(this_month, problem=MONTH_PROBLEM, status=422)
    if chosen is not None and chosen > patient_today(current_user):
        return calendar_page(month, problem="A day in the future can't be logged yet.", status=422)
    return calendar_page(month, chosen, saved_day=parse_day(request.args.get("saved", "")))


@bp.route("/entries/backfill", methods=("POST",))
@login_required
def backfill():
    """Save a missed day from the compact form, then offer the next missing day."""
    reader = FormReader(request.form)
    today = patient_today(current_user)
    entry_input = read_entry(reader, today=today)
    day = entry_input.day if entry_input else (parse_day(request.form.get("day", "")) or today)
    month = min(day, today).replace(day=1)
    if entry_input is None:
        chosen = day if day <= today else None
        return calendar_page(month, chosen, values=request.form, errors=reader.errors, status=422,
                             problem="" if chosen else "A day in the future can't be logged yet.")
    try:
        add_entry(current_user.id, entry_input)
    except DayAlreadyLogged as clash:
        return calendar_page(month, day, status=409, clash_id=clash.entry_id,
                             problem=f"You already logged {day_text(day)}.")
    following = next_missing(day, logged_days(current_user.id), today,
                             diary_start_of(current_user, today))
    shown = following or day
    # Post/redirect/get: htmx follows the redirect and swaps in the calendar it answers.
    return redirect(url_for("entries.calendar", month=f"{shown:%Y-%m}", saved=day.isoformat(),
                            **({"day": following.isoformat()} if following else {}),
                            _anchor="backfill"), 303)
