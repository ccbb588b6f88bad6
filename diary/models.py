"""The tables. Alembic migrations in migrations/ create them; a test keeps both in step.

Times of writing (created_at, updated_at) are aware UTC datetimes. Diary days are calendar dates in the
patient's own time zone, decided once when the patient logs (see diary.days).
"""

import secrets
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import CheckConstraint, UniqueConstraint, false
from sqlmodel import Field, SQLModel

from diary import days
from diary.trends.history import WINDOW_DAYS_DEFAULT

# Named constraints, so Alembic's batch mode can alter SQLite tables later.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

NOTES_MAX = 2000


def utcnow() -> datetime:
    return days.utc_now()


def new_session_secret() -> str:
    """256 random bits, so no two accounts ever hold the same one."""
    return secrets.token_urlsafe(32)


def scale_check(column: str) -> CheckConstraint:
    return CheckConstraint(f"{column} BETWEEN 0 AND 10", name=f"{column}_0_to_10")


class Patient(SQLModel, table=True):
    """A patient's account."""

    __tablename__ = "patient"
    __table_args__ = (
        CheckConstraint("trends_before_days BETWEEN 7 AND 28", name="trends_before_days_7_to_28"),
        CheckConstraint("trends_after_days BETWEEN 7 AND 28", name="trends_after_days_7_to_28"),
        CheckConstraint("questionnaire_interval_days BETWEEN 7 AND 28",
                        name="questionnaire_interval_days_7_to_28"),
        # A deleted account's id is never given out again (PostgreSQL's sequences never do).
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    display_name: str = Field(max_length=80)
    password_hash: str = Field(max_length=200)
    time_zone: str = Field(max_length=64, default="UTC")
    # Carried by every session and remember-me cookie of this account and checked on each request
    # (diary.auth): replaced at logout, password change and restore, which ends them all.
    session_secret: str = Field(default_factory=new_session_secret, max_length=64)
    # Days before the first and after the last infusion that a series is compared over (7-28).
    trends_before_days: int = Field(default=WINDOW_DAYS_DEFAULT,
                                    sa_column_kwargs={"server_default": str(WINDOW_DAYS_DEFAULT)})
    trends_after_days: int = Field(default=WINDOW_DAYS_DEFAULT,
                                   sa_column_kwargs={"server_default": str(WINDOW_DAYS_DEFAULT)})
    # Days between offers of the PHQ-9 and GAD-7 (7-28); None: the patient turned them off.
    questionnaire_interval_days: int | None = Field(default=14, sa_column_kwargs={"server_default": "14"})
    # Bumped in the same transaction as any change to the patient's diary (diary.versions):
    # the key under which a loaded history and its analysis may be reused.
    data_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = Field(default_factory=utcnow)

    # flask-login's user interface
    @property
    def is_active(self) -> bool:
        return True

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_secret}"


class Entry(SQLModel, table=True):
    """One day of the diary: one per patient per calendar day in the patient's time zone."""

    __table_args__ = (
        UniqueConstraint("patient_id", "day", name="uq_entry_patient_day"),
        scale_check("pain_avg"),
        scale_check("pain_worst"),
        scale_check("interference_enjoyment"),
        scale_check("interference_activity"),
        scale_check("mood"),
        scale_check("sleep_quality"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Indexed by the unique (patient_id, day) constraint, which every diary query uses.
    patient_id: int = Field(foreign_key="patient.id", ondelete="CASCADE")
    day: date
    pain_avg: int  # average pain over the last 24 h, the one required answer
    pain_worst: int | None = None
    interference_enjoyment: int | None = None  # PEG item 2
    interference_activity: int | None = None  # PEG item 3
    mood: int | None = None
    sleep_quality: int | None = None
    notes: str | None = Field(default=None, max_length=NOTES_MAX)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class EntrySideEffect(SQLModel, table=True):
    """A side effect reported on a diary day; severity none is the absence of a row."""

    __tablename__ = "entry_side_effect"
    __table_args__ = (
        UniqueConstraint("entry_id", "symptom", name="uq_entry_side_effect_symptom"),
        CheckConstraint("severity BETWEEN 1 AND 3", name="severity_1_to_3"),
    )

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="entry.id", ondelete="CASCADE", index=True)
    symptom: str = Field(max_length=32)
    severity: int
    detail: str | None = Field(default=None, max_length=200)  # the patient's words for "other"


class SiteSetting(SQLModel, table=True):
    """A choice an admin makes on a running server (see diary.registration), by name."""

    __tablename__ = "site_setting"

    name: str = Field(max_length=64, primary_key=True)
    value: str = Field(max_length=200)
    updated_at: datetime = Field(default_factory=utcnow)


class Invite(SQLModel, table=True):
    """An invite code a clinic hands to a patient (or, of the clinician kind, to a clinician).
    Only its SHA-256 is stored; the code is shown once."""

    __table_args__ = (
        CheckConstraint("uses >= 0", name="uses_not_negative"),
        CheckConstraint("max_uses IS NULL OR max_uses >= 1", name="max_uses_at_least_1"),
        CheckConstraint("kind IN ('patient', 'clinician')", name="kind_patient_or_clinician"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime | None = None  # None: never expires
    # None: any number of accounts. No other default: the ORM would write it over an explicit None.
    max_uses: int | None = None
    uses: int = 0
    revoked_at: datetime | None = None
    # Which account it creates: a patient's diary (/register) or a clinician's (/clinic/register).
    kind: str = Field(default="patient", max_length=16, sa_column_kwargs={"server_default": "patient"})


class RateLimitCount(SQLModel, table=True):
    """Attempts counted against one rate limit in its current window (diary.ratelimit_storage).

    The key (limit, address or account) is stored only as its SHA-256: no address or email here.
    """

    __tablename__ = "rate_limit_count"

    key_hash: str = Field(max_length=64, primary_key=True)
    count: int
    window_ends: float = Field(index=True)  # Unix time; ended windows are deleted by the next count


class ShareLink(SQLModel, table=True):
    """A read-only link for a clinician. Only a hash of its token is kept, so a leaked database
    leaks no working link."""

    __tablename__ = "share_link"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", ondelete="CASCADE", index=True)
    label: str = Field(max_length=80)
    token_hash: str = Field(max_length=64, unique=True)  # sha256 hex of the token
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None
    # Optional period the clinician sees; None means the whole diary.
    period_start: date | None = None
    period_end: date | None = None
    last_opened_at: datetime | None = None
    open_count: int = Field(default=0)
    # The patient's notes are private unless the patient chose to show them with this link.
    include_notes: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


# Treatments: ketamine series and their infusions, medications with daily use, other therapies.

class InfusionSeries(SQLModel, table=True):
    """A course of ketamine treatment. Its first and last days are derived from its infusions."""

    __tablename__ = "infusion_series"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=80)
    condition: str = Field(max_length=32)  # a key of diary.treatments.forms.CONDITIONS
    condition_other: str | None = Field(default=None, max_length=80)
    route: str = Field(max_length=32)  # a key of diary.treatments.forms.ROUTES
    route_other: str | None = Field(default=None, max_length=80)
    clinic: str | None = Field(default=None, max_length=120)
    notes: str | None = Field(default=None, max_length=NOTES_MAX)
    pgic: str | None = Field(default=None, max_length=32)  # a key of forms.PGIC, once answered
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Infusion(SQLModel, table=True):
    """One infusion (or dose, for other routes) of a series, at the patient's local date and time.

    Everything but the date and time may be left blank and completed later.
    """

    __table_args__ = (
        scale_check("pain_before"),
        scale_check("pain_after"),
        scale_check("pain_2h"),
        scale_check("pain_24h"),
        CheckConstraint("duration_min BETWEEN 1 AND 1440", name="duration_up_to_a_day"),
        CheckConstraint("dose_mg > 0", name="dose_positive"),
        CheckConstraint("weight_kg > 0", name="weight_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    series_id: int = Field(foreign_key="infusion_series.id", ondelete="CASCADE", index=True)
    day: date  # the local calendar date the patient entered, in their time zone
    start_time: time  # local wall-clock time
    duration_min: int | None = None
    dose_mg: Decimal | None = Field(default=None, max_digits=8, decimal_places=2)
    weight_kg: Decimal | None = Field(default=None, max_digits=5, decimal_places=1)
    pain_before: int | None = None
    pain_after: int | None = None
    pain_2h: int | None = None
    pain_24h: int | None = None
    notes: str | None = Field(default=None, max_length=NOTES_MAX)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class InfusionSideEffect(SQLModel, table=True):
    """A side effect during or after an infusion; same list and severities as the diary."""

    __tablename__ = "infusion_side_effect"
    __table_args__ = (
        UniqueConstraint("infusion_id", "phase", "symptom", name="uq_infusion_side_effect_symptom"),
        CheckConstraint("severity BETWEEN 1 AND 3", name="severity_1_to_3"),
        CheckConstraint("phase IN ('during', 'after')", name="phase_during_or_after"),
    )

    id: int | None = Field(default=None, primary_key=True)
    infusion_id: int = Field(foreign_key="infusion.id", ondelete="CASCADE", index=True)
    phase: str = Field(max_length=8)
    symptom: str = Field(max_length=32)
    severity: int
    detail: str | None = Field(default=None, max_length=200)


class Medication(SQLModel, table=True):
    """A medicine on the patient's list; ``drug`` decides its MME factor (diary.treatments.mme)."""

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=80)
    drug: str = Field(max_length=32)  # an opioid key of diary.treatments.mme, or "non_opioid"
    form: str = Field(max_length=32)
    unit: str = Field(max_length=16)  # "mcg/hr" for a fentanyl patch, "mg" for other opioids
    usual_dose: Decimal | None = Field(default=None, max_digits=8, decimal_places=2)
    active: bool = True  # stopped medicines leave the list but keep their logged days
    created_at: datetime = Field(default_factory=utcnow)


class MedicationDay(SQLModel, table=True):
    """A day with a medication record. No doses on it means "No medications today"."""

    __tablename__ = "medication_day"
    __table_args__ = (UniqueConstraint("patient_id", "day", name="uq_medication_day_patient_day"),)

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", ondelete="CASCADE")
    day: date
    updated_at: datetime = Field(default_factory=utcnow)


class MedicationDose(SQLModel, table=True):
    """How much of one medication was taken on a day (a patch: its rate, worn that day)."""

    __tablename__ = "medication_dose"
    __table_args__ = (
        UniqueConstraint("medication_day_id", "medication_id", name="uq_medication_dose_medication"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),  # 0: "not taken"
    )

    id: int | None = Field(default=None, primary_key=True)
    medication_day_id: int = Field(foreign_key="medication_day.id", ondelete="CASCADE", index=True)
    medication_id: int = Field(foreign_key="medication.id", ondelete="CASCADE", index=True)
    amount: Decimal = Field(max_digits=8, decimal_places=2)


class TherapyEvent(SQLModel, table=True):
    """Another therapy on the timeline (physiotherapy, CBT, a nerve block...): shown, never computed."""

    __tablename__ = "therapy_event"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", ondelete="CASCADE", index=True)
    day: date
    kind: str = Field(max_length=32)  # a key of diary.treatments.forms.THERAPY_KINDS
    kind_other: str | None = Field(default=None, max_length=80)
    note: str | None = Field(default=None, max_length=NOTES_MAX)
    created_at: datetime = Field(default_factory=utcnow)


class QuestionnaireAnswer(SQLModel, table=True):
    """A PHQ-9 or GAD-7 as answered on one of the patient's local days (at most one of each a day).

    Items are 0-3 ("Not at all" ... "Nearly every day"); an unanswered item is NULL, and then the
    questionnaire has no total (diary.questionnaires.scoring). The GAD-7 has no items 8 and 9.
    """

    __tablename__ = "questionnaire_answer"
    __table_args__ = (
        UniqueConstraint("patient_id", "kind", "day", name="uq_questionnaire_answer_kind_day"),
        CheckConstraint("kind IN ('phq9', 'gad7')", name="kind_phq9_or_gad7"),
        CheckConstraint("kind = 'phq9' OR (item_8 IS NULL AND item_9 IS NULL)", name="gad7_has_7_items"),
        *(CheckConstraint(f"item_{n} BETWEEN 0 AND 3", name=f"item_{n}_0_to_3") for n in range(1, 10)),
        CheckConstraint("difficulty BETWEEN 0 AND 3", name="difficulty_0_to_3"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Indexed by the unique (patient_id, kind, day) constraint.
    patient_id: int = Field(foreign_key="patient.id", ondelete="CASCADE")
    kind: str = Field(max_length=8)  # "phq9" or "gad7" (diary.questionnaires.items)
    day: date  # the patient's local date when answering
    item_1: int | None = None
    item_2: int | None = None
    item_3: int | None = None
    item_4: int | None = None
    item_5: int | None = None
    item_6: int | None = None
    item_7: int | None = None
    item_8: int | None = None
    item_9: int | None = None
    difficulty: int | None = None  # the closing question, not part of the total
    created_at: datetime = Field(default_factory=utcnow)


# Reminders and password resets: settings about the diary, never part of its history.

class ReminderSetting(SQLModel, table=True):
    """When and how a patient is reminded to log; no row means no reminders."""

    __tablename__ = "reminder_setting"

    patient_id: int = Field(foreign_key="patient.id", ondelete="CASCADE", primary_key=True)
    times: str = Field(default="", max_length=64)  # local times of day, "08:00,20:00"
    by_email: bool = False
    by_push: bool = False
    after_infusion: bool = True  # 2 h and 24 h after an infusion's start, and when PGIC is due
    quiet_from: time | None = None  # no reminder from this local time...
    quiet_until: time | None = None  # ...until this one (may cross midnight)
    snoozed_day: date | None = None  # "not today": nothing more on this local date


class PushSubscription(SQLModel, table=True):
    """One device's Web Push subscription (the browser's endpoint and its keys)."""

    __tablename__ = "push_subscription"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", ondelete="CASCADE", index=True)
    endpoint: str = Field(max_length=1000, unique=True)
    p256dh: str = Field(max_length=200)  # the browser's public key, base64url
    auth: str = Field(max_length=100)  # the browser's auth secret, base64url
    device: str = Field(max_length=120)  # what the patient sees in the list ("Chrome on Android")
    created_at: datetime = Field(default_factory=utcnow)


class ReminderSent(SQLModel, table=True):
    """A reminder claimed for sending: inserted before it goes, so it can never go twice."""

    __tablename__ = "reminder_sent"
    __table_args__ = (UniqueConstraint("patient_id", "kind", "reference",
                                       name="uq_reminder_sent_patient_kind_reference"),)

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", ondelete="CASCADE")
    kind: str = Field(max_length=16)  # diary.reminders.due.KINDS
    reference: str = Field(max_length=32)  # which one: "2026-12-03 08:00", an infusion's id...
    sent_at: datetime = Field(default_factory=utcnow)


class PasswordReset(SQLModel, table=True):
    """A forgot-password link: only the hash of its token is kept; used once, within the hour."""

    __tablename__ = "password_reset"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(max_length=64, unique=True)  # SHA-256 of the token, hex
    expires_at: datetime
    used_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class SecondFactor(SQLModel, table=True):
    """An account's TOTP authenticator (diary.second_factor). One per account.

    Written when the patient starts setting it up; it guards the login only from ``confirmed_at``
    on, once a code from the app was typed back (a mis-scanned secret locks nobody out).
    """

    __tablename__ = "second_factor"

    patient_id: int = Field(primary_key=True, foreign_key="patient.id", ondelete="CASCADE")
    secret: str = Field(max_length=64)  # base32; shown on a page only until confirmed
    # The last 30-second step whose code was accepted: a code is never taken twice.
    last_used_step: int | None = None
    confirmed_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class RecoveryCode(SQLModel, table=True):
    """A one-time code to log in without the authenticator; only its SHA-256 is kept."""

    __tablename__ = "recovery_code"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", ondelete="CASCADE", index=True)
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class PatientSummary(SQLModel, table=True):
    """What the clinic's dashboard shows of a patient, computed from their diary (diary.summaries).

    Derived data, kept in the database so every worker and server shares it: rewritten in the same
    transaction as every change to the diary, and recomputed when read if ``data_version`` (or
    ``rules``) is not the current one.
    """

    __tablename__ = "patient_summary"

    patient_id: int = Field(primary_key=True, foreign_key="patient.id", ondelete="CASCADE")
    data_version: int  # the patient's data version (diary.versions) the facts were computed at
    rules: int  # the summary rules they were computed by (diary.summaries.facts.RULES)
    facts: str  # JSON of diary.summaries.facts.Facts
    computed_at: datetime = Field(default_factory=utcnow)


# Clinicians (diary.clinic): accounts of a clinic's staff, and each patient's consent to be seen.

class Clinician(SQLModel, table=True):
    """A clinician's account. It has no diary: it reads the diaries of the patients connected to
    it, and only while they are (``ClinicianConnection``). Ids are its own, never a patient's."""

    __table_args__ = ({"sqlite_autoincrement": True},)

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    display_name: str = Field(max_length=80)
    password_hash: str = Field(max_length=200)
    session_secret: str = Field(default_factory=new_session_secret, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)


class ClinicianSecondFactor(SQLModel, table=True):
    """A clinician's TOTP authenticator: as ``SecondFactor``, and required before anything else."""

    __tablename__ = "clinician_second_factor"

    clinician_id: int = Field(primary_key=True, foreign_key="clinician.id", ondelete="CASCADE")
    secret: str = Field(max_length=64)
    last_used_step: int | None = None
    confirmed_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class ClinicianRecoveryCode(SQLModel, table=True):
    """A clinician's one-time recovery code; only its SHA-256 is kept."""

    __tablename__ = "clinician_recovery_code"

    id: int | None = Field(default=None, primary_key=True)
    clinician_id: int = Field(foreign_key="clinician.id", ondelete="CASCADE", index=True)
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class ConnectionCode(SQLModel, table=True):
    """A short code a clinician gives a patient, who types it to connect: deleted when used or
    soon after it expires; only its SHA-256 is kept (diary.clinic.queries)."""

    __tablename__ = "connection_code"

    id: int | None = Field(default=None, primary_key=True)
    clinician_id: int = Field(foreign_key="clinician.id", ondelete="CASCADE", index=True)
    code_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime


class ClinicianConnection(SQLModel, table=True):
    """A patient's consent: the clinician may read the diary from ``connected_at`` until the
    patient disconnects. Kept after that, so the patient still sees who looked and when."""

    __tablename__ = "clinician_connection"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", ondelete="CASCADE", index=True)
    clinician_id: int = Field(foreign_key="clinician.id", ondelete="CASCADE", index=True)
    include_notes: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    connected_at: datetime = Field(default_factory=utcnow)
    disconnected_at: datetime | None = None


class ClinicianVisit(SQLModel, table=True):
    """One time a clinician opened a connected patient's diary: the patient's access log."""

    __tablename__ = "clinician_visit"

    id: int | None = Field(default=None, primary_key=True)
    connection_id: int = Field(foreign_key="clinician_connection.id", ondelete="CASCADE", index=True)
    opened_at: datetime = Field(default_factory=utcnow)


# What belongs to a patient, declared once. Their diary: exported and imported
# (diary.sharing.export), and every change to it bumps the patient's data version in the same
# transaction (diary.versions). In the metadata's order: parents before children.
DIARY_MODELS = (Entry, EntrySideEffect, InfusionSeries, Infusion, InfusionSideEffect, Medication,
                MedicationDay, MedicationDose, TherapyEvent, QuestionnaireAnswer)
DIARY_TABLES = tuple(table for table in SQLModel.metadata.sorted_tables
                     if table in {model.__table__ for model in DIARY_MODELS})
# Also the patient's, but about the account or access to the diary rather than diary data:
# never exported, and no data version.
ACCOUNT_TABLES = tuple(model.__table__ for model in (
    ShareLink, ReminderSetting, PushSubscription, ReminderSent, PasswordReset, SecondFactor,
    RecoveryCode, ClinicianConnection, ClinicianVisit))
# Computed from the diary and replaced whenever it changes: never exported, and no data version.
DERIVED_TABLES = (PatientSummary.__table__,)
