"""The dashboard's list: sorted by any column with missing values last, filtered by a flag, and
counted per flag (diary.clinic.dashboard.build). Lines are read from hand-built facts."""

from datetime import date, timedelta
from fractions import Fraction

from diary.clinic.dashboard import PatientLine, build
from diary.summaries.facts import Facts, SeriesFacts
from diary.summaries.reading import read

TODAY = date(2026, 12, 3)


def patient(patient_id: int, name: str, last_back: int | None = 0, percent=None, phq9_item9=None,
            logged: int = 0) -> PatientLine:
    series = None
    if percent is not None:
        series = SeriesFacts(name="S", first_day=date(2026, 9, 1), last_day=date(2026, 9, 11),
                             after_end=date(2026, 9, 25), result_class="moderate",
                             percent=Fraction(percent), result_status="", before_mean=Fraction(7),
                             before_status="", durability=None, pgic=None)
    pain = {TODAY - timedelta(days=back): 5 for back in range(logged)}
    facts = Facts(computed_on=TODAY, last_day=None if last_back is None else TODAY - timedelta(days=last_back),
                  recent_pain=pain, series=series, phq9_day=TODAY if phq9_item9 else None,
                  phq9_item9=phq9_item9)
    return PatientLine(patient_id, name, read(facts, TODAY), key=(patient_id,))


def names(board) -> list[str]:
    return [line.name for line in board.patients]


PATIENTS = [
    patient(1, "Dana", last_back=0, percent=-40, logged=1),
    patient(2, "ann", last_back=5, percent=None, phq9_item9=1),
    patient(3, "Cleo", last_back=None, percent=-10),
    patient(4, "Bea", last_back=1, percent=-60, logged=2),
    PatientLine(5, "Eve", None, key=(5,)),  # no summary yet
]


def test_sorting_by_name_ignores_case_and_goes_both_ways():
    assert names(build(PATIENTS, "name", "asc", "")) == ["ann", "Bea", "Cleo", "Dana", "Eve"]
    assert names(build(PATIENTS, "name", "desc", "")) == ["Eve", "Dana", "Cleo", "Bea", "ann"]


def test_missing_values_come_last_in_either_order():
    # Percent: Bea -60, Dana -40, Cleo -10; Ann has no series, Eve no summary.
    assert names(build(PATIENTS, "result", "asc", "")) == ["Bea", "Dana", "Cleo", "ann", "Eve"]
    assert names(build(PATIENTS, "result", "desc", "")) == ["Cleo", "Dana", "Bea", "ann", "Eve"]
    # Last logged: Dana today, Bea yesterday, Ann 5 days ago; Cleo never.
    assert names(build(PATIENTS, "last_day", "desc", "")) == ["Dana", "Bea", "ann", "Cleo", "Eve"]


def test_the_default_order_puts_the_most_urgent_flags_first():
    # Ann: thoughts of self-harm and not logging; Cleo: not logging (never); the rest none.
    board = build(PATIENTS, "", "", "")
    assert board.sort == "flags" and board.order == "asc"
    assert names(board)[:2] == ["ann", "Cleo"]


def test_filtering_by_a_flag_shows_only_those_patients_and_counts_every_flag():
    board = build(PATIENTS, "name", "asc", "not_logging")
    assert names(board) == ["ann", "Cleo"]
    assert board.total == 5
    assert board.flag_counts["not_logging"] == 2 and board.flag_counts["self_harm"] == 1
    assert board.flag_counts["relief_lost"] == 0


def test_unknown_sort_order_or_flag_fall_back_to_the_defaults():
    board = build(PATIENTS, "password", "sideways", "<script>")
    assert (board.sort, board.order, board.flag) == ("flags", "asc", "")
    assert len(board.patients) == 5
