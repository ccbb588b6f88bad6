"""A patient's history as plain data: what the analysis, the charts and the reports start from.

Built by ``diary.loaded_history.load_history`` from the database (a query per table); built by
hand in tests. Every date is a calendar day in the patient's time zone. Nothing here knows Flask
or SQL. (In the code, "history" is this data; the page a patient calls History, the list of their
diary days, is ``entries.history``.)
"""

from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal

# The patient's before and after windows, in days (diary.trends.windows, rule 2): the setting's
# bounds and its default.
WINDOW_DAYS_MIN, WINDOW_DAYS_MAX, WINDOW_DAYS_DEFAULT = 7, 28, 14


@dataclass(frozen=True)
class DayEntry:
    """One diary day. Scores are 0-10; None means not answered that day."""

    day: date
    pain_avg: int
    pain_worst: int | None = None
    interference_enjoyment: int | None = None
    interference_activity: int | None = None
    mood: int | None = None
    sleep_quality: int | None = None
    side_effects: dict[str, int] = field(default_factory=dict)  # symptom -> severity 1..3
    side_effect_details: dict[str, str] = field(default_factory=dict)  # symptom -> patient's words
    notes: str = ""  # the patient's own words; a report shows them only when the link says so


@dataclass(frozen=True)
class SideEffectRecord:
    """A side effect during or after an infusion (``phase``), severity 1..3."""

    phase: str
    symptom: str
    severity: int
    detail: str = ""  # the patient's words for "other"


@dataclass(frozen=True)
class InfusionRecord:
    """One ketamine infusion (or dose, for other routes) of a series."""

    id: int
    day: date
    dose_mg: Decimal | None = None
    pain_before: int | None = None
    pain_after: int | None = None
    pain_2h: int | None = None
    pain_24h: int | None = None
    start_time: time | None = None  # local wall-clock time on ``day``
    duration_min: int | None = None
    weight_kg: Decimal | None = None
    side_effects: tuple[SideEffectRecord, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class SeriesRecord:
    """A course of treatment; its span is derived from its infusions, never stored.

    ``route`` and ``condition`` are keys of diary.treatments.fields (ROUTES, CONDITIONS), with the
    patient's own words in ``*_other`` for an "other"; the pages choose the words to show.
    """

    id: int
    name: str
    route: str = "iv"
    condition: str = ""
    infusions: tuple[InfusionRecord, ...] = ()  # in day order
    pgic: str | None = None  # the patient's global impression of change, when given
    notes: str = ""
    route_other: str = ""
    condition_other: str = ""

    @property
    def first_day(self) -> date | None:
        return self.infusions[0].day if self.infusions else None

    @property
    def last_day(self) -> date | None:
        return self.infusions[-1].day if self.infusions else None


@dataclass(frozen=True)
class TherapyRecord:
    """A session of another therapy: ``kind`` a key of diary.treatments.fields.THERAPY_KINDS,
    the patient's own words in ``kind_other`` for an "other"."""

    day: date
    kind: str
    note: str = ""
    id: int = 0
    kind_other: str = ""


@dataclass(frozen=True)
class MedicationRecord:
    """A medicine on the patient's list and the amount logged on each day it was taken.

    ``drug`` is a key of diary.treatments.mme (or "non_opioid"), ``form`` a key of the medication
    forms; ``unit`` is what the amounts are in ("mcg/hr" for a patch: its rate, worn that day).
    """

    id: int
    name: str
    drug: str
    form: str
    unit: str
    usual_dose: Decimal | None = None
    active: bool = True
    doses: tuple[tuple[date, Decimal], ...] = ()  # (day, amount), in day order

    @property
    def first_day(self) -> date | None:
        return self.doses[0][0] if self.doses else None

    @property
    def last_day(self) -> date | None:
        return self.doses[-1][0] if self.doses else None


@dataclass(frozen=True)
class History:
    today: date
    entries: dict[date, DayEntry] = field(default_factory=dict)
    series: tuple[SeriesRecord, ...] = ()  # ordered by first infusion
    # Opioid use per day, by the MME rules of diary.treatments.mme: a Decimal MME/day total;
    # None when an opioid without a CDC factor was taken that day (no total exists);
    # a day missing from the mapping has no medication record (unknown, not 0).
    mme: dict[date, Decimal | None] = field(default_factory=dict)
    therapies: tuple[TherapyRecord, ...] = ()
    medications: tuple[MedicationRecord, ...] = ()  # ordered by name
    # PHQ-9 and GAD-7 answers (diary.questionnaires.scoring.Answered), oldest first.
    questionnaires: tuple = ()
    before_days: int = WINDOW_DAYS_DEFAULT
    after_days: int = WINDOW_DAYS_DEFAULT
