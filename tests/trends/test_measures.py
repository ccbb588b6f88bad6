"""Rule 10: PEG (daily version), worst pain, mood and sleep, MME/day and side-effect burden."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

from diary.trends.analysis import analyse
from diary.trends.history import DayEntry

from tests.trends.builders import day, history, series


def entry(offset: int, pain: int, **answers) -> tuple[date, DayEntry]:
    return day(offset), DayEntry(day=day(offset), pain_avg=pain, **answers)


def around(before: list[dict], after: list[dict]):
    """Entries on days -len(before)..-1 and 1..len(after); each dict holds that day's answers."""
    return dict(
        [entry(-len(before) + n, **answers) for n, answers in enumerate(before)]
        + [entry(1 + n, **answers) for n, answers in enumerate(after)])


def test_peg_needs_all_three_items_and_is_their_daily_mean():
    full = {"pain": 6, "interference_enjoyment": 3, "interference_activity": 6}  # PEG 5
    missing_item = {"pain": 6, "interference_enjoyment": 3}  # no activity: no PEG that day
    after_full = {"pain": 2, "interference_enjoyment": 2, "interference_activity": 1}  # 5/3
    result = analyse(history(entries=around([full] * 7 + [missing_item] * 7, [after_full] * 14),
                             all_series=[series(1, 0)])).series[0]
    peg = result.measure("peg")
    assert (peg.before.logged, peg.before.eligible, peg.before.mean) == (7, 14, 5)
    assert peg.after.mean == Fraction(5, 3)
    assert peg.change == Fraction(-10, 3) and peg.percent == Fraction(-200, 3)
    assert peg.result_class is None  # only average pain gets a class
    assert result.pain.before.logged == 14  # average pain counts its own days


def test_worst_pain_counts_its_own_days():
    result = analyse(history(entries=around([{"pain": 5, "pain_worst": 8}] * 6 + [{"pain": 5}] * 8,
                                            [{"pain": 3, "pain_worst": 6}] * 14),
                             all_series=[series(1, 0)])).series[0]
    worst = result.measure("pain_worst")
    assert worst.before.status == "not enough data (6 of 14 days logged)"
    assert result.pain.before.mean == 5


def test_mood_and_sleep_are_better_when_higher():
    result = analyse(history(entries=around([{"pain": 6, "mood": 4, "sleep_quality": 7}] * 14,
                                            [{"pain": 7, "mood": 6, "sleep_quality": 5}] * 14),
                             all_series=[series(1, 0)])).series[0]
    assert result.measure("mood").change == 2 and result.measure("mood").direction == "better"
    assert result.measure("sleep_quality").change == -2
    assert result.measure("sleep_quality").direction == "worse"
    assert result.pain.change == 1 and result.pain.direction == "worse"


def test_mme_unknown_days_are_not_logged_and_a_buprenorphine_day_has_no_value():
    # Before: 7 days at 30 MME/day, 7 days without any medication record (unknown, not 0).
    # After: 10 days with buprenorphine (no total), 4 days at 15.
    mme = {offset: "30" for offset in range(-14, -7)}
    mme |= {offset: None for offset in range(1, 11)} | {offset: "15" for offset in range(11, 15)}
    result = analyse(history(mme=mme, all_series=[series(1, 0)])).series[0]
    opioids = result.measure("mme")
    assert (opioids.before.logged, opioids.before.eligible, opioids.before.mean) == (7, 14, 30)
    assert opioids.after.mean is None and opioids.after.no_value_days == 10
    assert opioids.after.status == (
        "no MME/day: on 10 of 14 days an opioid without a CDC conversion factor (such as "
        "buprenorphine) was taken, so those days have no MME total (4 of 14 days have one)")
    assert opioids.change is None


def test_mme_mean_is_exact_and_says_which_days_were_left_out():
    mme = {offset: "28.8" for offset in range(-14, 0)}  # a 12 mcg/hr patch
    mme |= {1: None} | {offset: "0" for offset in range(2, 15)}  # then "no medications today"
    opioids = analyse(history(mme=mme, all_series=[series(1, 0)])).series[0].measure("mme")
    assert opioids.before.mean == Fraction(Decimal("28.8")) == Fraction(144, 5)
    assert opioids.after.mean == 0 and opioids.after.logged == 13
    assert opioids.after.note == "1 day with an opioid without a CDC conversion factor left out"
    assert opioids.percent == -100


def test_side_effect_burden_is_the_share_of_logged_days_with_a_moderate_or_severe_effect():
    before = ([{"pain": 5, "side_effects": {"nausea": 2}}] * 2
              + [{"pain": 5, "side_effects": {"other": 3, "dizziness": 1}}]  # "other" counts
              + [{"pain": 5, "side_effects": {"headache": 1}}] * 2  # mild only: does not count
              + [{"pain": 5}] * 9)
    after = [{"pain": 4, "side_effects": {"dissociation": 3}}] * 7 + [None] * 7
    after = [answers for answers in after if answers]
    burden = analyse(history(entries=around(before, after), all_series=[series(1, 0)])
                     ).series[0].measure("side_effect_burden")
    assert burden.before.mean == Fraction(3, 14) and burden.before.logged == 14
    assert burden.after.mean == 1 and burden.after.logged == 7
    assert burden.direction == "worse"


def test_mood_sleep_and_side_effect_days_change_in_points_with_no_percent():
    """On 0-10 scales a percent of a small before mean misleads (+394 % mood): points only."""
    before = [{"pain": 6, "mood": 1, "sleep_quality": 2, "side_effects": {"nausea": 2}}] * 7
    before += [{"pain": 6, "mood": 2, "sleep_quality": 2}] * 7
    after = [{"pain": 3, "mood": 7, "sleep_quality": 8}] * 14
    result = analyse(history(entries=around(before, after), all_series=[series(1, 0)])).series[0]
    for key, change in (("mood", Fraction(11, 2)), ("sleep_quality", 6),
                        ("side_effect_burden", Fraction(-1, 2))):
        measure = result.measure(key)
        assert measure.measure.change_in_points
        assert (measure.change, measure.percent, measure.percent_not_applicable) == (change, None, False)
    for key in ("pain_avg", "peg", "pain_worst", "mme"):
        assert not result.measure(key).measure.change_in_points
    assert result.pain.percent == -50
