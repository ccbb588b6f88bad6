"""The tables, one module per concern; import them from here. Alembic migrations in migrations/
create them; a test keeps both in step.

Times of writing (created_at, updated_at) are aware UTC datetimes. Diary days are calendar dates in the
patient's own time zone, decided once when the patient logs (see diary.days).
"""

from sqlmodel import SQLModel

from diary.models.accounts import Patient, PasswordReset, RecoveryCode, SecondFactor
from diary.models.base import NOTES_MAX, new_session_secret, utcnow
from diary.models.clinic import (
    Clinician, ClinicianConnection, ClinicianRecoveryCode, ClinicianSecondFactor, ClinicianVisit,
    ConnectionCode, PatientSummary,
)
from diary.models.entries import Entry, EntrySideEffect
from diary.models.questionnaires import QuestionnaireAnswer
from diary.models.reminders import PushSubscription, ReminderSent, ReminderSetting
from diary.models.sharing import ShareLink
from diary.models.site import Invite, RateLimitCount, SiteSetting
from diary.models.treatments import (
    Infusion, InfusionSeries, InfusionSideEffect, Medication, MedicationDay, MedicationDose, TherapyEvent,
)

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
