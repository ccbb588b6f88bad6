"""The clinic's dashboard: every connected patient in one list, from their stored summaries.

One query reads the connected patients with their summaries (diary.summaries.store keeps those
current with every diary change); each is read on the patient's own today
(diary.summaries.reading), then filtered by flag and sorted in Python: no patient's history is
loaded here. A summary that is missing or outdated (a database from before summaries, a write
whose summary failed) is recomputed here, at most REFRESH_ON_READ per request; any beyond that
show their older summary marked as such, or "not computed yet".
"""

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import String, bindparam, case, cast, func, or_, select
from sqlalchemy.orm import Session

from diary.clinic.queries import connected_ids
from diary.days import today_in
from diary.loaded_history import Recent
from diary.models import Patient, PatientSummary
from diary.summaries.facts import RULES, Facts, from_json
from diary.summaries.reading import FLAG_NAMES, FLAGS, Line, read
from diary.summaries.store import REFRESH_ON_READ, is_current, refresh_stale

SUMMARY = PatientSummary.__table__


@dataclass(frozen=True)
class PatientLine:
    patient_id: int
    name: str
    line: Line | None  # None: no summary computed yet
    outdated: bool = False  # an older summary, shown until it is recomputed
    key: tuple = ()  # what it was read from: (patient id, name, summary version, rules, today)
    flag_keys: frozenset[str] = field(init=False)

    def __post_init__(self):
        # Read by every sort and filter: worked out once.
        object.__setattr__(self, "flag_keys", self.line.flag_keys if self.line else frozenset())


def _urgency(line: Line) -> tuple:
    """Most urgent first: a patient with the first flag of FLAGS before any without it, and so on."""
    keys = line.flag_keys
    return tuple(key not in keys for key, _ in FLAGS)


# key -> (column heading, what to sort by, the natural first direction)
SORTS = {
    "flags": ("Flags", lambda line: _urgency(line), "asc"),
    "name": ("Patient", None, "asc"),
    "last_day": ("Last logged", lambda line: line.facts.last_day, "desc"),
    "logged": ("Days logged of 14", lambda line: line.logged_of_14, "desc"),
    "series": ("Latest series", lambda line: line.series and line.series.first_day, "desc"),
    "result": ("Result", lambda line: line.series and line.series.percent, "asc"),
    "week": ("Pain, last 7 days", lambda line: line.week_mean, "desc"),
    "before": ("Pain before series", lambda line: line.series and line.series.before_mean, "desc"),
}
DEFAULT_SORT = "flags"


@dataclass(frozen=True)
class Dashboard:
    patients: list[PatientLine]  # filtered and sorted
    total: int  # connected patients, before the filter
    flag_counts: dict[str, int]
    sort: str
    order: str
    flag: str  # "" for every patient


def sorted_lines(patients: list[PatientLine], sort: str, order: str) -> list[PatientLine]:
    """Sorted by ``sort`` in ``order``; patients without a value (or a summary) always last,
    ties by name."""
    by_name = sorted(patients, key=lambda patient: (patient.name.casefold(), patient.patient_id),
                     reverse=(sort == "name" and order == "desc"))
    if sort == "name":
        return by_name
    value_of = SORTS[sort][1]
    valued = [(value_of(patient.line), patient) for patient in by_name if patient.line is not None]
    with_value = [pair for pair in valued if pair[0] is not None]
    without = [patient for patient in by_name if patient.line is None] + [
        patient for value, patient in valued if value is None]
    # A stable sort: equal values keep the name order.
    with_value.sort(key=lambda pair: pair[0], reverse=(order == "desc"))
    return [patient for _, patient in with_value] + sorted(
        without, key=lambda patient: (patient.name.casefold(), patient.patient_id))


@dataclass(frozen=True)
class Connected:
    """The connected patients as one query found them, each with what their line is read from."""

    rows: list["Row"]
    keys: dict[int, tuple]  # patient id -> (id, name, summary version, rules, their today)
    fresh: dict[int, Facts]  # summaries recomputed by this request
    stale: set[int]  # outdated summaries not recomputed yet


# Connected patients and their summaries, without the facts: those are read only for patients
# this process has not read at this summary version and day yet.
def connected(session: Session, clinician_id: int) -> Connected:
    """The clinician's connected patients, their summaries' versions and their today; outdated
    summaries recomputed, up to REFRESH_ON_READ."""
    # Core rows unpacked into plain tuples: named access on 500 rows cost more than the query.
    rows = [Row(*row) for row in session.connection().execute(
        READ_CONNECTED, {"clinician_id": clinician_id}).all()]
    stale = [row.id for row in rows if not is_current(row.summary_version, row.rules, row.data_version)]
    fresh = refresh_stale(session, stale, REFRESH_ON_READ) if stale else {}
    todays = {zone: today_in(zone) for zone in {row.time_zone for row in rows}}
    # A recomputed summary is of the version read above or a later one (then the next request
    # sees that version, under another key).
    keys = {row.id: (row.id, row.display_name, row.data_version, RULES, todays[row.time_zone])
            if row.id in fresh else
            (row.id, row.display_name, row.summary_version, row.rules, todays[row.time_zone])
            for row in rows}
    return Connected(rows, keys, fresh, set(stale) - set(fresh))


def list_signature(session: Session, clinician_id: int) -> tuple | None:
    """What the whole list depends on, in two small queries, or None while a summary is outdated
    (then the list is read in full, which recomputes some). Each connected patient's id, data
    version, name and time zone, concatenated by the database, and today in each of their time
    zones: two requests with equal signatures show the same list, so a request that finds its
    signature kept reads no row of any patient."""
    connection = session.connection()
    clinician = {"clinician_id": clinician_id}
    count, outdated, joined = connection.execute(SIGNATURE, clinician).one()
    if outdated:
        return None
    zones = connection.execute(ZONES, clinician).scalars().all()
    return count, joined, tuple(sorted((zone, today_in(zone)) for zone in zones))


UNIT_SEPARATOR = "\x1f"  # between patients in a signature; no name or time zone holds it
# Built once (building them cost more than running them); the clinician is the parameter.
CONNECTED = Patient.id.in_(connected_ids(bindparam("clinician_id")))
_OUTDATED = or_(SUMMARY.c.data_version.is_(None), SUMMARY.c.data_version != Patient.data_version,
                SUMMARY.c.rules != RULES)
SIGNATURE = (
    select(func.count(), func.sum(case((_OUTDATED, 1), else_=0)), func.aggregate_strings(
        cast(Patient.id, String) + ":" + cast(Patient.data_version, String) + ":"
        + Patient.time_zone + ":" + Patient.display_name, UNIT_SEPARATOR))
    .select_from(Patient).outerjoin(SUMMARY, SUMMARY.c.patient_id == Patient.id).where(CONNECTED))
ZONES = select(Patient.time_zone).distinct().where(CONNECTED)
READ_CONNECTED = (
    select(Patient.id, Patient.display_name, Patient.time_zone, Patient.data_version,
           SUMMARY.c.data_version, SUMMARY.c.rules)
    .outerjoin(SUMMARY, SUMMARY.c.patient_id == Patient.id).where(CONNECTED))


class Row(NamedTuple):
    id: int
    display_name: str
    time_zone: str
    data_version: int
    summary_version: int | None
    rules: int | None


def connected_lines(session: Session, found: Connected, kept: Recent) -> list[PatientLine]:
    """Each patient's line on their own today. ``kept``: lines this process read before."""
    missing = [row.id for row in found.rows if row.id not in found.fresh
               and not kept.holds(found.keys[row.id])]
    stored = dict(session.execute(select(SUMMARY.c.patient_id, SUMMARY.c.facts)
                                  .where(SUMMARY.c.patient_id.in_(missing))).all()) if missing else {}
    patients = []
    for row in found.rows:
        key = found.keys[row.id]
        if row.id in found.fresh:
            patients.append(PatientLine(row.id, row.display_name, read(found.fresh[row.id], key[-1]), key=key))
            continue
        patients.append(kept.get(key, lambda row=row, key=key: stored_line(
            row, stored.get(row.id), row.id in found.stale, key[-1], key)))
    return patients


def stored_line(row, facts_json: str | None, outdated: bool, today: date, key: tuple) -> PatientLine:
    facts: Facts | None = None
    if facts_json is not None:
        try:
            facts = from_json(facts_json)
        except (KeyError, TypeError, ValueError):  # written by other rules: wait for its turn
            outdated = False
    line = read(facts, today) if facts is not None else None
    return PatientLine(row.id, row.display_name, line, outdated and line is not None, key)


def choices(sort: str, order: str, flag: str) -> tuple[str, str, str]:
    """A request's sort, order and flag; unknown values become the defaults."""
    sort = sort if sort in SORTS else DEFAULT_SORT
    order = order if order in ("asc", "desc") else SORTS[sort][2]
    return sort, order, flag if flag in FLAG_NAMES else ""


def build(patients: list[PatientLine], sort: str, order: str, flag: str) -> Dashboard:
    """The dashboard for a request's ``sort``, ``order`` and ``flag`` (unknown values: the defaults)."""
    sort, order, flag = choices(sort, order, flag)
    counts = dict.fromkeys(FLAG_NAMES, 0)
    for patient in patients:
        for key in patient.flag_keys:
            counts[key] += 1
    shown = [patient for patient in patients if not flag or flag in patient.flag_keys]
    return Dashboard(sorted_lines(shown, sort, order), len(patients), counts, sort, order, flag)


def days_ago_text(last_day: date | None, today: date) -> str:
    if last_day is None:
        return "never"
    days = (today - last_day).days
    return {0: "today", 1: "yesterday"}.get(days, f"{days} days ago")


# Beside each flag's name, never instead of it (screen readers skip them).
ICONS = {"self_harm": "⚠", "severe_side_effect": "✱", "relief_lost": "↗", "mme_rising": "▲",
         "pgic_worse": "▼", "not_logging": "✎"}
COLUMNS = ("name", "flags", "last_day", "logged", "series", "result", "week", "before")


def template_values(board: Dashboard) -> dict:
    """What templates/clinic/dashboard.html needs besides the board and the page's links."""
    return {"board": board, "flags": FLAGS, "flag_names": FLAG_NAMES, "sorts": SORTS, "icons": ICONS,
            "columns": COLUMNS, "days_ago": days_ago_text}


def patient_rows(patients: list[PatientLine], kept: Recent, render, context: tuple = ()) -> list:
    """Each patient's row as ``render(patient)`` made it, kept while their line and ``context``
    (what else the row shows, such as the links' script root) are the same."""
    return [kept.get(patient.key + context, lambda patient=patient: render(patient))
            for patient in patients]


KEPT_PATIENTS = 2000  # lines and rows kept per process: a few hundred bytes to a kilobyte each
KEPT_PAGES = 32  # whole lists (a clinician's, one sort and filter each), ~400 kB for 500 patients


def kept_for(app) -> tuple[Recent, Recent, Recent]:
    """This app's kept lines, rows and lists (per app: ids and versions are per database)."""
    return app.extensions.setdefault("clinic_dashboard", (
        Recent(KEPT_PATIENTS), Recent(KEPT_PATIENTS), Recent(KEPT_PAGES)))
