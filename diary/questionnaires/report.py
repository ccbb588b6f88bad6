"""The questionnaires as the clinician report and share view show them: the PHQ-9 and GAD-7
around each series of the period, and every PHQ-9 question 9 answer other than "Not at all".
Pure: built from the report's History and the patient's answered questionnaires."""

from dataclasses import dataclass
from datetime import date

from diary.questionnaires.items import ANSWER_WORDS, QUESTIONNAIRES
from diary.questionnaires.scoring import AroundSeries, Answered, around_each_series, safety_flags


@dataclass(frozen=True)
class ReportQuestionnaires:
    series: tuple[tuple[object, tuple[AroundSeries, ...]], ...]  # (SeriesRecord, PHQ-9 and GAD-7)
    flags: tuple[Answered, ...]  # newest first
    answered: tuple[Answered, ...]  # in the period, oldest first (for the chart)
    names = {kind: questionnaire.name for kind, questionnaire in QUESTIONNAIRES.items()}
    answer_words = ANSWER_WORDS


def report_questionnaires(series, answered: list[Answered], start: date | None = None,
                          end: date | None = None) -> ReportQuestionnaires:
    """Only questionnaires inside the period (a share link's) count, like every other number."""
    inside = tuple(item for item in answered
                   if (start is None or item.day >= start) and (end is None or item.day <= end))
    around = around_each_series(series, inside)
    return ReportQuestionnaires(
        series=tuple((item, around[item.id]) for item in series if item.id in around),
        flags=tuple(safety_flags(inside)), answered=inside)
