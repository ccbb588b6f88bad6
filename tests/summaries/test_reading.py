"""The dashboard's summary of a patient, by hand-computed cases: the facts stored once per change
to the diary, read on a given day (diary.summaries.facts and diary.summaries.reading).

Histories are built by hand (tests/trends/builders.py); day numbers are offsets from 1 Jan 2026.
"""

import subprocess
import sys
from dataclasses import replace
from datetime import time
from decimal import Decimal
from fractions import Fraction

from diary.questionnaires.scoring import Answered
from diary.summaries.facts import from_json, summarise, to_json
from diary.summaries.reading import pgic_worse, read
from diary.treatments.fields import PGIC
from diary.trends.analysis import analyse
from diary.trends.history import InfusionRecord, SeriesRecord, SideEffectRecord
from tests.trends.builders import day, history, pain_entries, series


def relief_then_pain(last_pain_day: int, late_pain: int):
    """One infusion on day 0; pain 8 on the 14 days before; 4 on days 1-20, then ``late_pain``
    from day 21 to ``last_pain_day``."""
    entries = {**pain_entries(-14, [8] * 14), **pain_entries(1, [4] * 20),
               **pain_entries(21, [late_pain] * (last_pain_day - 20))}
    return history(today=last_pain_day, entries=entries, all_series=[series(1, 0)])


def flags(line) -> dict[str, str]:
    return {flag.key: flag.words for flag in line.flags}


# --- The latest series --------------------------------------------------------------------------

def test_the_latest_series_shows_its_class_percent_and_before_mean():
    # Before: 8 on 14 of 14 days. After: 4 on 14 of 14 days. 4 - 8 = -4, -4 / 8 = -50 %: substantial.
    line = read(summarise(relief_then_pain(30, late_pain=7)), day(30))
    assert line.result_text == "substantial improvement (−50 %)"
    assert line.before_text == "8.0"
    assert line.series_text == "Series 1, 1 Jan 2026"


def test_relief_lost_is_flagged_with_how_long_it_lasted():
    # Relief is lost when a trailing 7-day mean exceeds 70 % of 8 = 5.6. Day 24: days 18-20 at 4
    # and 21-24 at 7 -> 40/7 = 5.71 > 5.6, the first such day. Lasted 24 - 0 - 1 = 23 days.
    line = read(summarise(relief_then_pain(30, late_pain=7)), day(30))
    assert line.durability.text == "relief lasted 23 days"
    assert flags(line)["relief_lost"] == "Series 1: relief lasted 23 days"


def test_relief_still_holding_is_not_flagged():
    # Pain 4 up to day 30: every trailing mean is 4, below 5.6.
    line = read(summarise(relief_then_pain(20, late_pain=4)), day(22))
    assert line.durability.text == "still ≥ 30 % better after 20 days"
    assert "relief_lost" not in flags(line)


def test_a_loss_that_only_shows_on_a_later_day_is_flagged_from_that_day_on():
    # Pain 9 on days 21 and 22, the last entry. On day 22: days 16-22 = 5 x 4 + 2 x 9 = 38/7 = 5.43,
    # not lost: still better after 22 days. On day 23 (nothing new logged): days 17-22 logged,
    # 4 x 4 + 2 x 9 = 34/6 = 5.67 > 5.6: lost on day 23, relief lasted 22 days.
    facts = summarise(relief_then_pain(22, late_pain=9))
    assert read(facts, day(22)).durability.text == "still ≥ 30 % better after 22 days"
    assert "relief_lost" not in flags(read(facts, day(22)))
    assert flags(read(facts, day(23)))["relief_lost"] == "Series 1: relief lasted 22 days"


def test_the_stored_facts_read_on_a_later_day_say_what_the_analysis_says_on_that_day():
    computed = relief_then_pain(22, late_pain=9)
    facts = summarise(computed)
    for later in range(22, 40):
        analysis = analyse(replace(computed, today=day(later))).series[-1]
        assert read(facts, day(later)).durability.text == analysis.durability.text, later


def test_too_few_days_before_the_series_is_not_enough_data_not_a_number():
    # 6 of the 14 before days logged: 2 x 6 < 14.
    entries = {**pain_entries(-6, [8] * 6), **pain_entries(1, [4] * 14)}
    line = read(summarise(history(today=20, entries=entries, all_series=[series(1, 0)])), day(20))
    assert line.result_text == "not enough data (6 of 14 days logged)"
    assert line.before_text == "not enough data (6 of 14 days logged)"
    assert line.series.percent is None


def test_a_patient_without_a_series_says_so():
    line = read(summarise(history(today=10, entries=pain_entries(5, [5] * 6))), day(10))
    assert line.result_text == "no series yet" and line.before_text == "no series yet"
    assert line.series is None


# --- The last 7 and 14 days ---------------------------------------------------------------------

def test_days_logged_of_the_last_14_count_today_and_the_13_days_before():
    # Today is day 100: the last 14 days are 87..100. Day 86 is outside.
    entries = pain_entries(86, [5, 5]) | pain_entries(95, [5]) | pain_entries(100, [5])
    assert read(summarise(history(today=100, entries=entries)), day(100)).logged_of_14 == 3
    # Read four days later, with nothing logged since: 91..104 holds days 95 and 100.
    assert read(summarise(history(today=100, entries=entries)), day(104)).logged_of_14 == 2


def test_the_7_day_mean_needs_4_logged_days_of_7():
    # Days 94..100: 5, 6, 7, 8 on four of them: (5 + 6 + 7 + 8) / 4 = 6.5.
    entries = pain_entries(94, [5, None, 6, None, 7, None, 8])
    line = read(summarise(history(today=100, entries=entries)), day(100))
    assert line.week_mean == Fraction(13, 2) and line.week_text == "6.5"
    thinner = pain_entries(94, [5, None, 6, None, None, None, 8])
    line = read(summarise(history(today=100, entries=thinner)), day(100))
    assert line.week_mean is None and line.week_text == "not enough data (3 of 7 days logged)"


def test_nothing_logged_for_3_days_or_more_is_flagged():
    facts = summarise(history(today=97, entries=pain_entries(90, [5] * 8)))  # last entry: day 97
    assert "not_logging" not in flags(read(facts, day(99)))  # days 98 and 99 empty: 2 days
    assert flags(read(facts, day(100)))["not_logging"] == "nothing logged for 3 days"
    assert flags(read(facts, day(110)))["not_logging"] == "nothing logged for 13 days"
    never = summarise(history(today=100))
    assert flags(read(never, day(100)))["not_logging"] == "nothing logged yet"


# --- MME/day rising: the mean of the last 7 days above the mean of the 7 before -----------------

def mme_line(totals: dict[int, str | None], today: int = 100):
    return read(summarise(history(today=today, mme=totals, entries=pain_entries(today, [5]))), day(today))


def test_mme_rising_compares_the_last_7_days_with_the_7_before():
    # Days 87..93 at 30, days 94..100 at 40: 40 > 30.
    line = mme_line({offset: "30" for offset in range(87, 94)} | {offset: "40" for offset in range(94, 101)})
    assert flags(line)["mme_rising"] == "30.0 → 40.0 MME/day, week on week"


def test_mme_level_or_falling_is_not_rising():
    level = {offset: "30" for offset in range(87, 101)}
    assert "mme_rising" not in flags(mme_line(level))
    falling = {offset: "30" for offset in range(87, 94)} | {offset: "20" for offset in range(94, 101)}
    assert "mme_rising" not in flags(mme_line(falling))


def test_mme_rising_by_a_fraction_counts_and_each_week_needs_4_days_with_a_total():
    # Last 7: 30, 30, 30, 31 on four days = 121/4 = 30.25 > 30. Exact, not rounded.
    last = {94: "30", 96: "30", 98: "30", 100: "31"}
    before = {offset: "30" for offset in range(87, 94)}
    assert flags(mme_line(before | last))["mme_rising"] == "30.0 → 30.3 MME/day, week on week"
    # Only 3 days of the last 7 with a total (one day's opioid has no CDC factor): no comparison.
    assert "mme_rising" not in flags(mme_line(before | {94: "60", 96: "60", 98: None, 100: "60"}))
    # Only 3 days of the 7 before: no comparison either.
    assert "mme_rising" not in flags(mme_line({87: "5", 88: "5", 89: "5"} | last))


def test_mme_rising_is_read_on_the_day_of_reading():
    # Computed on day 100 with 30 on days 87..93 and 40 on 94..100; read on day 107 the last 7
    # days (101..107) have nothing logged: no number, no flag.
    totals = {offset: "30" for offset in range(87, 94)} | {offset: "40" for offset in range(94, 101)}
    facts = summarise(history(today=100, mme=totals))
    assert "mme_rising" in flags(read(facts, day(100)))
    assert "mme_rising" not in flags(read(facts, day(107)))


# --- Side effects, impression of change, PHQ-9 item 9 -------------------------------------------

def infusion(infusion_id: int, offset: int, *effects: tuple[str, str, int]) -> InfusionRecord:
    return InfusionRecord(id=infusion_id, day=day(offset), start_time=time(9, 0), side_effects=tuple(
        SideEffectRecord(phase=phase, symptom=symptom, severity=severity)
        for symptom, phase, severity in effects))


def test_a_severe_side_effect_at_the_latest_infusion_is_flagged_and_an_earlier_one_is_not():
    earlier = infusion(1, 0, ("dissociation", "during", 3))
    latest = infusion(2, 2, ("nausea", "after", 3), ("dizziness", "during", 2))
    course = SeriesRecord(id=1, name="Autumn", infusions=(earlier, latest))
    line = read(summarise(history(today=10, all_series=[course])), day(10))
    assert flags(line)["severe_side_effect"] == "infusion of 3 Jan 2026: nausea or vomiting (after)"
    calmer = SeriesRecord(id=1, name="Autumn", infusions=(earlier, infusion(2, 2, ("nausea", "after", 2))))
    assert "severe_side_effect" not in flags(read(summarise(history(today=10, all_series=[calmer])), day(10)))


def test_an_impression_of_change_worse_is_flagged():
    for pgic, flagged in (("minimally_worse", True), ("very_much_worse", True), ("no_change", False),
                          ("much_improved", False), (None, False)):
        course = replace(series(1, 0, name="Winter"), pgic=pgic)
        line = read(summarise(history(today=30, all_series=[course])), day(30))
        assert ("pgic_worse" in flags(line)) is flagged, pgic
    course = replace(series(1, 0, name="Winter"), pgic="much_worse")
    assert flags(read(summarise(history(today=30, all_series=[course])), day(30)))["pgic_worse"] == "Winter: much worse"


def test_the_worse_impressions_are_the_three_worse_answers_of_the_form():
    assert {key for key, _ in PGIC if pgic_worse(key)} == {"minimally_worse", "much_worse", "very_much_worse"}


def phq9(answer_id: int, offset: int, item_9: int | None) -> Answered:
    return Answered(id=answer_id, kind="phq9", day=day(offset), answers=(1,) * 8 + (item_9,))


def test_thoughts_of_self_harm_in_the_latest_phq9_are_flagged():
    asked = replace(history(today=30), questionnaires=(phq9(1, 10, 0), phq9(2, 24, 1)))
    assert flags(read(summarise(asked), day(30)))["self_harm"] == "PHQ-9 of 25 Jan 2026, item 9: several days"


def test_an_earlier_phq9_with_item_9_does_not_flag_when_the_latest_says_not_at_all():
    asked = replace(history(today=30), questionnaires=(phq9(1, 10, 3), phq9(2, 24, 0)))
    assert "self_harm" not in flags(read(summarise(asked), day(30)))
    unanswered = replace(history(today=30), questionnaires=(phq9(1, 24, None),))
    assert "self_harm" not in flags(read(summarise(unanswered), day(30)))


def test_flags_come_most_urgent_first():
    course = replace(series(1, 0, name="Spring"), pgic="much_worse")
    asked = replace(history(today=30, all_series=[course]), questionnaires=(phq9(1, 24, 2),))
    assert [flag.key for flag in read(summarise(asked), day(30)).flags] == [
        "self_harm", "pgic_worse", "not_logging"]


# --- Stored as JSON -----------------------------------------------------------------------------

def test_the_facts_come_back_from_the_database_unchanged():
    lost = relief_then_pain(22, late_pain=9)
    effects = SeriesRecord(id=2, name="Later", infusions=(infusion(7, 40, ("nausea", "after", 3)),),
                           pgic="much_worse")
    full = replace(lost, series=lost.series + (effects,), today=day(45),
                   mme={day(44): Decimal("22.5"), day(45): None},
                   questionnaires=(phq9(1, 44, 2),))
    for facts in (summarise(lost), summarise(full), summarise(history(today=3))):
        assert from_json(to_json(facts)) == facts


def test_the_summary_rules_import_without_flask_or_the_database():
    code = ("import sys\nimport diary.summaries.facts, diary.summaries.reading\n"
            "print(','.join(name for name in ('flask', 'sqlmodel', 'sqlalchemy', 'diary.db') if name in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
