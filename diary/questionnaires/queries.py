"""Reading and writing the patient's PHQ-9 and GAD-7 answers and how often they are offered.

Every write of a questionnaire goes through this module, so the data version (diary.versions)
and the "at most once a day" rule are looked after in one place.
"""

from datetime import date

from sqlalchemy import bindparam, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from diary.db import get_session
from diary.models import Patient, QuestionnaireAnswer
from diary.questionnaires.items import KINDS, QUESTIONNAIRES
from diary.questionnaires.scoring import Answered
from diary.versions import bump_data_version

ITEM_COLUMNS = tuple(f"item_{n}" for n in range(1, 10))
# Built once: "Log today" asks both on every visit.
LAST_ANSWERED = (select(QuestionnaireAnswer.kind, func.max(QuestionnaireAnswer.day))
                 .where(QuestionnaireAnswer.patient_id == bindparam("patient_id"))
                 .group_by(QuestionnaireAnswer.kind))
INTERVAL = select(Patient.questionnaire_interval_days).where(Patient.id == bindparam("patient_id"))


class AlreadyAnswered(Exception):
    """The patient already answered this questionnaire on that day (a second tab, a resubmission)."""

    def __init__(self, answer_id: int | None):
        super().__init__(answer_id)
        self.answer_id = answer_id


def item_answers(row) -> tuple[int | None, ...]:
    """The answers of a stored row, as many as its questionnaire has items."""
    return tuple(getattr(row, column) for column in ITEM_COLUMNS[:len(QUESTIONNAIRES[row.kind].items)])


def as_answered(row) -> Answered:
    return Answered(id=row.id, kind=row.kind, day=row.day, answers=item_answers(row),
                    difficulty=row.difficulty)


def answered_on(patient_id: int, kind: str, day: date) -> QuestionnaireAnswer | None:
    return get_session().exec(select(QuestionnaireAnswer).where(
        QuestionnaireAnswer.patient_id == patient_id, QuestionnaireAnswer.kind == kind,
        QuestionnaireAnswer.day == day)).first()


def add_answer(patient_id: int, kind: str, day: date, answers: tuple[int | None, ...],
               difficulty: int | None) -> QuestionnaireAnswer:
    """Store one questionnaire; raises AlreadyAnswered when that day already has one."""
    row = QuestionnaireAnswer(patient_id=patient_id, kind=kind, day=day, difficulty=difficulty,
                              **dict(zip(ITEM_COLUMNS, answers)))
    session = get_session()
    session.add(row)
    try:
        session.flush()  # the unique index decides before the version moves
        bump_data_version(session, patient_id)
        session.commit()
    except IntegrityError:
        # The unique (patient, kind, day) index is the one check, so two tabs end the same way.
        session.rollback()
        clash = answered_on(patient_id, kind, day)
        raise AlreadyAnswered(clash.id if clash else None) from None
    return row


def last_answered(patient_id: int) -> dict[str, date | None]:
    """The latest day each questionnaire was answered (complete or not), None for never."""
    found = dict(get_session().connection().execute(LAST_ANSWERED, {"patient_id": patient_id}).all())
    return {kind: found.get(kind) for kind in KINDS}


def all_answered(patient_id: int) -> list[Answered]:
    """Every questionnaire of the patient as plain data, oldest first (one query)."""
    rows = get_session().exec(select(QuestionnaireAnswer)
                              .where(QuestionnaireAnswer.patient_id == patient_id)
                              .order_by(QuestionnaireAnswer.day, QuestionnaireAnswer.id)).all()
    return [as_answered(row) for row in rows]


def interval_of(patient_id: int) -> int | None:
    return get_session().connection().execute(INTERVAL, {"patient_id": patient_id}).scalar_one()


def set_interval(patient_id: int, interval_days: int | None) -> None:
    """How often to offer the questionnaires (7-28 days), or None to stop offering them."""
    session = get_session()
    patient = session.get(Patient, patient_id)
    patient.questionnaire_interval_days = interval_days
    session.commit()
