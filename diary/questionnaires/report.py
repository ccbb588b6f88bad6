"""The questionnaires as the clinician report and share view show them: the PHQ-9 and GAD-7
around each series of the period, and every PHQ-9 question 9 answer other than "Not at all".
Pure: built from the report's History and the patient's answered questionnaires."""

from dataclasses import dataclass

from diary.questionnaires.items import ANSWER_WORDS, QUESTIONNAIRES
from diary.questionnaires.scoring import AroundSeries, Answered, around_each_series, safety_flags


@dataclass(frozen=True)
class ReportQuestionnaires:
    series: tuple[tuple[object, tuple[AroundSeries, ...]], ...]  # (SeriesRecord, PHQ-9 and GAD-7)
    flags: tuple[Answered, ...]  # newest first
    answered: tuple[Answered, ...]  # in the period, oldest first (for the chart)
    names = {kind: questionnaire.name for kind, questionnaire in QUESTIONNAIRES.items()}
    answer_words = ANSWER_WORDS


def report_questionnaires(series, answered: tuple[Answered, ...]) -> ReportQuestionnaires:
    """From a history already restricted to the report's period (diary.sharing.report), so only
    questionnaires inside a share link's period count, like every other number."""
    around = around_each_series(series, answered)
    return ReportQuestionnaires(
        series=tuple((item, around[item.id]) for item in series if item.id in around),
        flags=tuple(safety_flags(answered)), answered=tuple(answered))
