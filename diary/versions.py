"""The patient's data version: one number on the patient's row, bumped by every change to their diary.

A loaded history and its analysis are reused for as long as the version is the same
(diary.loaded_history), so a change that does not bump it leaves a stale chart. There is no hook doing
it behind the scenes: every query function that changes a patient's diary (a row of one of
``diary.models.DIARY_TABLES``) calls ``bump_data_version`` itself, once, in the same transaction
as the change and before it commits, so that readers never see the change without the new
version:

    session.add(therapy)
    bump_data_version(session, patient_id)
    session.commit()

A refused write (nothing matched, or a rollback) must not bump; a rollback takes the bump along.
The bump also marks the patient's dashboard summary as due: it is recomputed just before the
transaction commits, in the same transaction (diary.summaries.store).
Views never write: they call their domain's query functions (diary.entries.queries,
diary.treatments.queries, diary.sharing.export). The route walk in tests/test_data_version.py
fails for any write route that changes the diary without bumping, or bumps without a change.
"""

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session

from diary.models import Patient
from diary.summaries.store import summary_due

_patient = Patient.__table__
# Built once: building the UPDATE anew for every write cost more than running it.
BUMP = (update(_patient).where(_patient.c.id == bindparam("patient_id"))
        .values(data_version=_patient.c.data_version + 1))


def bump_data_version(session: Session, patient_id: int) -> None:
    """Mark the patient's diary as changed, in the session's open transaction."""
    session.connection().execute(BUMP, {"patient_id": patient_id})
    summary_due(session, patient_id)
