"""A patient's stored facts read on a given day: the dashboard's line and its flags. Pure.

The flags, each in words (never a colour alone):
- not logging: no diary entry on any of the last 3 days, today included (the latest entry is 3
  or more days before today), or none ever;
- thoughts of self-harm: item 9 of the latest PHQ-9 answered above "Not at all";
- severe side effect: one rated severe at the latest infusion (during it or after it);
- relief lost: the latest series' relief was lost (rule 11 of diary.trends.durability), once the
  day it was lost has come;
- MME/day rising: the mean MME/day of the last 7 days (today included) is strictly above the mean
  of the 7 days before them, each mean by the trailing rule of the charts (at least 4 of its 7
  days with an MME total; else no flag, as there is no number to compare);
- impression of change "worse": the patient rated the latest series minimally, much or very much
  worse.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from functools import cached_property

from diary.summaries.facts import RECENT_DAYS, Facts, SeriesFacts
from diary.trends.display import day_span_text, mean_text, percent_text
from diary.trends.durability import TRAILING_DAYS, Durability, trailing_mean
from diary.trends.outcomes import CLASS_WORDS
from diary.questionnaires.items import ANSWER_WORDS
from diary.side_effects import SIDE_EFFECT_NAMES

NOT_LOGGING_DAYS = 3


def pgic_worse(pgic: str | None) -> bool:
    """Minimally, much or very much worse: the keys of diary.treatments.fields.PGIC that say so
    (read from the key, so this module needs no database model)."""
    return pgic is not None and pgic.endswith("_worse")

# (key, name): the order flags are shown in and offered as filters, most urgent first.
FLAGS = (
    ("self_harm", "Thoughts of self-harm"),
    ("severe_side_effect", "Severe side effect"),
    ("relief_lost", "Relief lost"),
    ("mme_rising", "MME/day rising"),
    ("pgic_worse", "Feels worse"),
    ("not_logging", "Not logging"),
)
FLAG_NAMES = dict(FLAGS)


@dataclass(frozen=True)
class Flag:
    key: str
    words: str  # the particulars: "PHQ-9 of 3 Dec 2026, item 9: several days"

    @property
    def name(self) -> str:
        return FLAG_NAMES[self.key]


@dataclass(frozen=True)
class Line:
    """One patient on the dashboard, on ``today`` (the patient's own)."""

    facts: Facts
    today: date
    logged_of_14: int
    week_mean: Fraction | None  # average pain over the last 7 days, by the trailing rule
    week_logged: int
    durability: Durability | None  # as of today
    flags: tuple[Flag, ...]

    @property
    def series(self) -> SeriesFacts | None:
        return self.facts.series

    @property
    def days_since_last(self) -> int | None:
        return None if self.facts.last_day is None else (self.today - self.facts.last_day).days

    @property
    def provisional(self) -> bool:
        return self.series is not None and self.series.after_end >= self.today

    @property
    def week_text(self) -> str:
        if self.week_mean is None:
            return f"not enough data ({self.week_logged} of {TRAILING_DAYS} days logged)"
        return mean_text(self.week_mean)

    @property
    def before_text(self) -> str:
        if self.series is None:
            return "no series yet"
        return mean_text(self.series.before_mean) or self.series.before_status

    @property
    def result_text(self) -> str:
        series = self.series
        if series is None:
            return "no series yet"
        if series.result_class is None:
            return series.result_status
        return f"{CLASS_WORDS[series.result_class]} ({percent_text(series.percent)})"

    @property
    def series_text(self) -> str:
        series = self.series
        return "" if series is None else f"{series.name}, {day_span_text(series.first_day, series.last_day)}"

    @cached_property  # sorting and filtering ask often
    def flag_keys(self) -> frozenset[str]:
        return frozenset(flag.key for flag in self.flags)


def durability_on(durability: Durability | None, last_infusion: date, today: date) -> Durability | None:
    """The stored durability (followed to the settled day) as it reads on ``today``: a loss
    still to come reads as relief holding on the days with an entry before it (rule 13)."""
    if durability is None or durability.state != "lost" or durability.loss_day <= today:
        return durability
    if durability.last_evaluated_entry is None:
        return Durability("unknown", None)
    return Durability("holding", (durability.last_evaluated_entry - last_infusion).days,
                      last_evaluated_entry=durability.last_evaluated_entry)


def mme_rising(mme: dict[date, Fraction], today: date) -> tuple[Fraction, Fraction] | None:
    """(mean of the 7 days before, mean of the last 7 days) when the last is strictly higher."""
    last = trailing_mean(mme, today)
    before = trailing_mean(mme, today - timedelta(days=TRAILING_DAYS))
    if last is None or before is None or last <= before:
        return None
    return before, last


def flags_of(facts: Facts, today: date, durability: Durability | None) -> tuple[Flag, ...]:
    found: dict[str, str] = {}
    if facts.phq9_item9:
        found["self_harm"] = (f"PHQ-9 of {facts.phq9_day:%-d %b %Y}, item 9: "
                              f"{ANSWER_WORDS[facts.phq9_item9].lower()}")
    if facts.severe_side_effects:
        effects = ", ".join(f"{SIDE_EFFECT_NAMES[symptom].lower()} ({phase})"
                            for symptom, phase in facts.severe_side_effects)
        found["severe_side_effect"] = f"infusion of {facts.latest_infusion_day:%-d %b %Y}: {effects}"
    if durability is not None and durability.state == "lost":
        found["relief_lost"] = f"{facts.series.name}: {durability.text}"
    if rising := mme_rising(facts.recent_mme, today):
        before, last = rising
        found["mme_rising"] = f"{mean_text(before)} → {mean_text(last)} MME/day, week on week"
    if facts.series is not None and pgic_worse(facts.series.pgic):
        found["pgic_worse"] = f"{facts.series.name}: {facts.series.pgic.replace('_', ' ')}"
    if facts.last_day is None:
        found["not_logging"] = "nothing logged yet"
    elif (today - facts.last_day).days >= NOT_LOGGING_DAYS:
        found["not_logging"] = f"nothing logged for {(today - facts.last_day).days} days"
    return tuple(Flag(key, found[key]) for key, _ in FLAGS if key in found)


def read(facts: Facts, today: date) -> Line:
    """The dashboard's line for a patient whose today is ``today``."""
    last_14 = today - timedelta(days=RECENT_DAYS - 1)
    last_7 = today - timedelta(days=TRAILING_DAYS - 1)
    durability = None
    if facts.series is not None:
        durability = durability_on(facts.series.durability, facts.series.last_day, today)
    week_mean = trailing_mean(facts.recent_pain, today)
    return Line(
        facts=facts, today=today,
        logged_of_14=sum(1 for day in facts.recent_pain if last_14 <= day <= today),
        week_mean=week_mean,
        week_logged=sum(1 for day in facts.recent_pain if last_7 <= day <= today),
        durability=durability, flags=flags_of(facts, today, durability))

