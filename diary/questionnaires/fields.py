"""The field of each questionnaire answer: read by the form (diary.questionnaires.views) and
checked again, column by column, by the CSV import (diary.sharing.columns)."""

from diary.fields import Choice, Day, Moment, Points
from diary.questionnaires.items import ANSWERS, GAD7, KINDS

POINTS = tuple(str(points) for points, _ in ANSWERS)
ITEMS = {f"item_{number}": Points(f"an answer to question {number}", choices=POINTS)
         for number in range(1, 10)}
DIFFICULTY = Points("how difficult these problems made things", choices=POINTS)
COLUMNS = {"questionnaire_answer": {
    "kind": Choice("The questionnaire", True, KINDS), "day": Day("Date", True), **ITEMS,
    "difficulty": DIFFICULTY, "created_at": Moment("Created at", True)}}


def missing_items_problem(kind: str, answers: dict) -> tuple[str, str] | None:
    """The GAD-7 has seven questions: nothing may answer an eighth or ninth."""
    if kind == GAD7:
        for name in ("item_8", "item_9"):
            if answers.get(name) is not None:
                return name, "The GAD-7 has no questions 8 and 9"
    return None
