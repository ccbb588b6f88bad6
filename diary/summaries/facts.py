"""What the dashboard needs to know of one patient's diary, as plain facts. Pure: History in.

The facts are computed once per change to the diary (diary.summaries.store) and read many times.
They never depend on the day they are read: what does (days since the last entry, the last 14
days, whether relief was already lost) is worked out when the dashboard is read, from the facts
and that day (diary.summaries.reading). So the facts keep:

- every diary day and opioid day from 13 days before the day they were computed on: the last 14
  days of any later day can only hold those (no new entry without a new summary);
- the latest series analysed by diary.trends with "today" put where nothing logged can change the
  answer any more (``settled_day``): the class does not depend on today, and relief is then
  followed as far as the entries allow, with the day it was lost; the reading shows the loss
  only once that day has come.
"""

import json
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from fractions import Fraction

from diary.side_effects import SEVERITY_LEVELS
from diary.trends.analysis import analyse_series
from diary.trends.durability import TRAILING_DAYS, Durability
from diary.trends.history import History, SeriesRecord
from diary.trends.measures import daily_values
from diary.trends.windows import spans_of

# Raise when the facts or how they are computed change: summaries stored by older rules are then
# recomputed (diary.summaries.store).
RULES = 1
RECENT_DAYS = 14  # the dashboard's "last 14 days"
SEVERE = SEVERITY_LEVELS["severe"]


@dataclass(frozen=True)
class SeriesFacts:
    """The latest series (by first infusion) and its before/after result for average pain."""

    name: str
    first_day: date
    last_day: date
    after_end: date  # provisional until this day has passed
    result_class: str | None  # a key of diary.trends.outcomes.CLASS_WORDS
    percent: Fraction | None  # exact percent change of the average pain
    result_status: str  # why there is no class: "not enough data (6 of 14 days logged)", "n/a"
    before_mean: Fraction | None  # average pain over the before window
    before_status: str  # why there is no before mean
    durability: Durability | None  # at the settled day; only for moderate or substantial
    pgic: str | None  # the patient's global impression of change (diary.treatments.fields.PGIC)


@dataclass(frozen=True)
class Facts:
    computed_on: date  # the patient's today when computed
    last_day: date | None  # the latest diary day
    recent_pain: dict[date, int] = field(default_factory=dict)  # average pain from computed_on - 13
    recent_mme: dict[date, Fraction] = field(default_factory=dict)  # MME/day totals, same days
    series: SeriesFacts | None = None
    latest_infusion_day: date | None = None
    # (symptom, phase) rated severe at the latest infusion, during it or after it.
    severe_side_effects: tuple[tuple[str, str], ...] = ()
    phq9_day: date | None = None  # the latest PHQ-9
    phq9_item9: int | None = None  # its item 9 (thoughts of self-harm), None if unanswered


def settled_day(history: History) -> date:
    """The first day from which, with no new entry, no trailing 7-day mean of the analysis can
    change: six days after the latest entry (the last one whose window still holds it), or today."""
    last = max(history.entries, default=None)
    if last is None:
        return history.today
    return max(history.today, last + timedelta(days=TRAILING_DAYS - 1))


def latest_series(series: tuple[SeriesRecord, ...]) -> SeriesRecord | None:
    """The current or latest series: the last with an infusion in diary.trends' order."""
    return max((item for item in series if item.infusions),
               key=lambda item: (item.first_day, item.last_day, item.id), default=None)


def series_facts(history: History) -> SeriesFacts | None:
    """The latest series with an infusion, analysed as diary.trends does, at the settled day.

    Only the days from its before window on matter to it: ``history`` may leave earlier ones out.
    """
    latest = latest_series(history.series)
    if latest is None:
        return None
    settled = replace(history, today=settled_day(history))
    spans = spans_of(settled.series)
    analysis = analyse_series(latest, settled, daily_values(settled), spans)
    pain, lasting = analysis.pain, analysis.durability  # lasting: what the reading needs of it
    if pain.result_class is not None:
        status = ""
    elif pain.percent_not_applicable:
        status = "n/a (average pain was 0 before)"
    else:
        status = pain.before.status or pain.after.status
    return SeriesFacts(
        name=latest.name, first_day=latest.first_day, last_day=latest.last_day,
        after_end=analysis.after.end, result_class=pain.result_class, percent=pain.percent,
        result_status=status, before_mean=pain.before.mean, before_status=pain.before.status,
        durability=lasting and Durability(lasting.state, lasting.days, loss_day=lasting.loss_day,
                                          last_evaluated_entry=lasting.last_evaluated_entry),
        pgic=latest.pgic)


def summarise(history: History) -> Facts:
    """The facts of a history whose ``today`` is the patient's today."""
    since = history.today - timedelta(days=RECENT_DAYS - 1)
    infusions = [infusion for item in history.series for infusion in item.infusions]
    latest = max(infusions, key=lambda infusion: (infusion.day, infusion.start_time is not None,
                                                  infusion.start_time, infusion.id), default=None)
    phq9 = max((answered for answered in history.questionnaires if answered.kind == "phq9"),
               key=lambda answered: (answered.day, answered.id), default=None)
    return Facts(
        computed_on=history.today,
        last_day=max(history.entries, default=None),
        recent_pain={day: entry.pain_avg for day, entry in history.entries.items() if day >= since},
        recent_mme={day: Fraction(total) for day, total in history.mme.items()
                    if day >= since and total is not None},
        series=series_facts(history),
        latest_infusion_day=latest.day if latest else None,
        severe_side_effects=tuple((effect.symptom, effect.phase) for effect in latest.side_effects
                                  if effect.severity >= SEVERE) if latest else (),
        phq9_day=phq9.day if phq9 else None,
        phq9_item9=phq9.answers[8] if phq9 else None,
    )



# Stored as JSON (diary.models.PatientSummary.facts): dates in ISO form, fractions as "n/d".

def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _fraction(value: str | None) -> Fraction | None:
    return None if value is None else Fraction(value)


def _text(value) -> str | None:
    return None if value is None else str(value)


def to_json(facts: Facts) -> str:
    series = facts.series
    lasting = series.durability if series else None
    return json.dumps({
        "computed_on": facts.computed_on.isoformat(), "last_day": _text(facts.last_day),
        "recent_pain": {day.isoformat(): pain for day, pain in sorted(facts.recent_pain.items())},
        "recent_mme": {day.isoformat(): str(mme) for day, mme in sorted(facts.recent_mme.items())},
        "series": series and {
            "name": series.name, "first_day": str(series.first_day), "last_day": str(series.last_day),
            "after_end": str(series.after_end), "result_class": series.result_class,
            "percent": _text(series.percent), "result_status": series.result_status,
            "before_mean": _text(series.before_mean), "before_status": series.before_status,
            "pgic": series.pgic,
            "durability": lasting and {
                "state": lasting.state, "days": lasting.days, "loss_day": _text(lasting.loss_day),
                "last_evaluated_entry": _text(lasting.last_evaluated_entry)}},
        "latest_infusion_day": _text(facts.latest_infusion_day),
        "severe_side_effects": [list(effect) for effect in facts.severe_side_effects],
        "phq9_day": _text(facts.phq9_day), "phq9_item9": facts.phq9_item9,
    }, separators=(",", ":"))


def from_json(text: str) -> Facts:
    stored = json.loads(text)
    series = stored["series"]
    if series is not None:
        lasting = series["durability"]
        series = SeriesFacts(
            name=series["name"], first_day=_day(series["first_day"]), last_day=_day(series["last_day"]),
            after_end=_day(series["after_end"]), result_class=series["result_class"],
            percent=_fraction(series["percent"]), result_status=series["result_status"],
            before_mean=_fraction(series["before_mean"]), before_status=series["before_status"],
            pgic=series["pgic"],
            durability=lasting and Durability(
                lasting["state"], lasting["days"], loss_day=_day(lasting["loss_day"]),
                last_evaluated_entry=_day(lasting["last_evaluated_entry"])))
    return Facts(
        computed_on=_day(stored["computed_on"]), last_day=_day(stored["last_day"]),
        recent_pain={date.fromisoformat(day): pain for day, pain in stored["recent_pain"].items()},
        recent_mme={date.fromisoformat(day): Fraction(mme) for day, mme in stored["recent_mme"].items()},
        series=series, latest_infusion_day=_day(stored["latest_infusion_day"]),
        severe_side_effects=tuple(tuple(effect) for effect in stored["severe_side_effects"]),
        phq9_day=_day(stored["phq9_day"]), phq9_item9=stored["phq9_item9"])
