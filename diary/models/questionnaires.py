"""Answered questionnaires (PHQ-9, GAD-7), item by item."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from diary.models.base import utcnow


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
