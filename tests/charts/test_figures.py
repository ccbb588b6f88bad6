"""The figure builders give valid plotly figures with the expected traces, from hand-built histories."""

import json
from datetime import date

import plotly.graph_objects as go

from diary.charts import figures
from diary.trends.analysis import analyse
from diary.trends.history import DayEntry, History, TherapyRecord

from tests.trends.builders import day, history, pain_entries, series


def a_history() -> History:
    entries = pain_entries(-14, [8] * 14) | pain_entries(1, [4] * 20) | pain_entries(40, [6] * 10)
    entries[day(2)] = DayEntry(day(2), 4, mood=6, side_effects={"nausea": 2, "dizziness": 1})
    entries[day(3)] = DayEntry(day(3), 4, side_effects={"dissociation": 3})
    base = history(today=60, entries=entries, all_series=[series(1, 0, 2, name="Spring"),
                                                          series(2, 50, name="Summer")],
                   mme={1: "30", 2: None})
    return History(**{**base.__dict__, "therapies": (TherapyRecord(day(5), "Physical therapy"),)})


def valid(figure: dict) -> go.Figure:
    json.dumps(figure)  # plain JSON: no Fractions or dates left inside
    return go.Figure(data=figure["data"], layout=figure["layout"])


def test_timeline_has_pain_dots_mean_infusions_therapies_mood_and_mme_panels():
    source = a_history()
    trends = analyse(source)
    figure = figures.timeline(trends, source, day(-20), day(60))
    checked = valid(figure)
    assert [trace.name for trace in checked.data] == [
        "Pain each day", "7-day mean", "Infusion", "Other therapy", "Mood (higher is better)",
        "Opioids (MME/day)"]
    dots, mean = figure["data"][0], figure["data"][1]
    assert len(dots["x"]) == 14 + 20 + 10
    # The mean needs 4 logged days of 7: day 3 has days 1..3 after a gap (infusion day 0 unlogged)
    # plus -1..-3 before: 6 logged, mean (8*3 + 4*3) / 6 = 6.
    assert mean["y"][mean["x"].index(day(3).isoformat())] == 6.0
    assert mean["y"][mean["x"].index(day(-20).isoformat())] is None
    assert figure["data"][2]["x"] == [day(0).isoformat(), day(2).isoformat(), day(50).isoformat()]
    assert figure["data"][5]["y"] == [30.0]  # the buprenorphine day has no total, never 0
    assert [a["text"] for a in figure["layout"]["annotations"]] == ["Spring", "Summer"]
    assert figure["config"]["displayModeBar"] is False and figure["config"]["responsive"] is True


def test_before_after_has_both_means_per_series_and_says_when_there_is_not_enough_data():
    trends = analyse(a_history())
    figure = figures.before_after(trends)
    valid(figure)
    before, after = figure["data"]
    assert before["x"] == after["x"] == [
        "Spring<br><i>substantial<br>\u221250\u00a0%</i>", "Summer<br><i>not enough<br>data<br>provisional</i>"]
    assert before["y"] == [8.0, 6.0] and after["y"] == [4.0, None]  # Summer's after: no days yet
    assert after["text"] == ["4.0", "not enough data"]


def test_series_compared_aligns_daily_pain_on_each_first_infusion():
    figure = figures.series_compared(analyse(a_history()))
    valid(figure)
    spring, summer = figure["data"]
    assert spring["x"][0] == -14 and spring["y"][0] == 8
    assert spring["x"][-1] == 60 and len(spring["x"]) == len(spring["y"])  # up to today only
    assert spring["y"][spring["x"].index(0)] is None  # the infusion day itself is not logged
    # Days 40..49 are 10..1 days before day 50; days 36..39 were not logged.
    assert summer["y"][:5] == [None, None, None, None, 6] and summer["x"][4] == -10
    assert summer["x"][-1] == 10  # today is day 60


def test_side_effects_by_severity_with_infusion_lines():
    source = a_history()
    spring, summer = analyse(source).series
    figure = figures.side_effects(spring, source)
    valid(figure)
    assert [trace["name"] for trace in figure["data"]] == ["Mild", "Moderate", "Severe"]
    assert figure["data"][0]["y"] == ["Dizziness"]
    assert figure["data"][1]["y"] == ["Nausea or vomiting"]
    assert figure["data"][2]["x"] == [day(3).isoformat()]
    assert len(figure["layout"]["shapes"]) == 2  # one dotted line per infusion
    assert figures.side_effect_points(summer, source) == []  # days 2-3 are outside its windows


def test_an_empty_history_still_gives_valid_figures():
    empty = History(today=date(2026, 3, 1))
    trends = analyse(empty)
    for figure in (figures.timeline(trends, empty, date(2026, 2, 1), date(2026, 3, 1)),
                   figures.before_after(trends), figures.series_compared(trends),
                   ):
        valid(figure)


def test_long_series_names_are_wrapped_for_a_phone():
    assert figures.wrapped("Spring 2026 ketamine series") == "Spring 2026<br>ketamine<br>series"


def test_the_patients_words_never_become_plotly_markup():
    named = history(entries=pain_entries(-14, [8] * 14) | pain_entries(1, [4] * 14),
                    all_series=[series(1, 0, name='<a href="https://x.test">Spring</a>')])
    trends = analyse(named)
    label = figures.before_after(trends)["data"][0]["x"][0]
    assert "<a" not in label and label.startswith("&lt;a")
    assert figures.series_compared(trends)["data"][0]["name"] == (
        '&lt;a href="https://x.test"&gt;Spring&lt;/a&gt;')
    band_names = [note["text"] for note in figures.timeline(trends, named, day(-20), day(20))
                  ["layout"]["annotations"]]
    assert band_names == ['&lt;a href="https://x.test"&gt;Spring&lt;/a&gt;']
