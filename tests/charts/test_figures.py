"""The figure builders give valid plotly figures with the expected traces, from hand-built histories."""

import json
from datetime import date, timedelta

import plotly.graph_objects as go
import pytest

from diary.charts import figures, side_effect_chart
from diary.charts.layout import PAGE_BACKGROUNDS, date_ticks
from diary.trends.analysis import analyse
from diary.trends.history import (
    DayEntry, History, InfusionRecord, SeriesRecord, SideEffectRecord, TherapyRecord,
)

from tests.trends.builders import day, history, pain_entries, series


def a_history() -> History:
    entries = pain_entries(-14, [8] * 14) | pain_entries(1, [4] * 20) | pain_entries(40, [6] * 10)
    entries[day(2)] = DayEntry(day(2), 4, mood=6, side_effects={"nausea": 2, "dizziness": 1})
    entries[day(3)] = DayEntry(day(3), 4, side_effects={"dissociation": 3})
    base = history(today=60, entries=entries, all_series=[series(1, 0, 2, name="Spring"),
                                                          series(2, 50, name="Summer")],
                   mme={1: "30", 2: None})
    return History(**{**base.__dict__, "therapies": (TherapyRecord(day(5), "physical_therapy"),)})


def valid(figure: dict) -> go.Figure:
    json.dumps(figure)  # plain JSON: no Fractions or dates left inside
    return go.Figure(data=figure["data"], layout=figure["layout"])


def test_timeline_has_pain_dots_mean_infusions_therapies_mood_and_mme_panels():
    source = a_history()
    trends = analyse(source)
    figure = figures.timeline(trends, source, day(-20), day(60))
    checked = valid(figure)
    assert [trace.name for trace in checked.data] == [
        "Pain each day", "7-day mean", "Infusion", "Other therapy", "Mood", "Opioids (MME/day)"]
    dots, mean = figure["data"][0], figure["data"][1]
    assert len(dots["x"]) == 14 + 20 + 10
    # The mean needs 4 logged days of 7: day 3 has days 1..3 after a gap (infusion day 0 unlogged)
    # plus -1..-3 before: 6 logged, mean (8*3 + 4*3) / 6 = 6.
    assert mean["y"][mean["x"].index(day(3).isoformat())] == 6.0
    assert mean["y"][mean["x"].index(day(-20).isoformat())] is None
    assert figure["data"][2]["x"] == [day(0).isoformat(), day(2).isoformat(), day(50).isoformat()]
    assert figure["data"][3]["text"] == ["Physical therapy"]  # the history's key, in words
    opioids = dict(zip(figure["data"][5]["x"], figure["data"][5]["y"]))
    assert opioids[day(1).isoformat()] == 30.0
    assert opioids[day(2).isoformat()] is None  # the buprenorphine day has no total, never 0
    assert [a["text"] for a in figure["layout"]["annotations"]] == [
        "Spring", "Summer", "Pain (0–10)", "Mood (0–10, higher is better)", "Opioids (MME/day)"]
    assert figure["config"]["displayModeBar"] is False and figure["config"]["responsive"] is True


def test_before_after_has_both_means_per_series_and_says_when_there_is_not_enough_data():
    trends = analyse(a_history())
    figure = figures.before_after(trends)
    valid(figure)
    before, after = figure["data"]
    assert before["y"] == after["y"] == [
        "Spring<br><i>substantial<br>\u221250\u00a0%</i>", "Summer<br><i>not enough<br>data<br>provisional</i>"]
    assert before["x"] == [8.0, 6.0] and after["x"] == [4.0, None]  # Summer's after: no days yet
    assert before["orientation"] == "h" and figure["layout"]["yaxis"]["autorange"] == "reversed"
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
    figure = side_effect_chart.side_effects(spring, source)
    valid(figure)
    assert [trace["name"] for trace in figure["data"]] == [
        "In the diary: mild", "In the diary: moderate", "In the diary: severe"]
    names = [note["text"] for note in figure["layout"]["annotations"]]
    assert names == ["Dissociation", "Dizziness", "Nausea or vomiting"]  # one row each, named above
    assert figure["data"][0]["y"] == [names.index("Dizziness") + side_effect_chart.MARK_AT]
    assert figure["data"][2]["x"] == [day(3).isoformat()]
    assert figure["layout"]["yaxis"]["showticklabels"] is False  # the rows take the full width
    infusion_lines = [shape for shape in figure["layout"]["shapes"] if shape["xref"] == "x"]
    assert len(infusion_lines) == 2  # one dotted line per infusion
    assert side_effect_chart.side_effect_points(summer, source) == []  # days 2-3 are outside its windows


def test_side_effects_of_infusions_are_in_the_chart_apart_from_the_diary():
    effects = (SideEffectRecord("during", "dissociation", 3),
               SideEffectRecord("during", "vision", 2))
    infused = SeriesRecord(1, "Spring", infusions=(InfusionRecord(1, day(0)),
                                                   InfusionRecord(2, day(2), side_effects=effects)))
    source = history(entries=pain_entries(-14, [8] * 14), all_series=[infused])
    result = analyse(source).series[0]
    figure = side_effect_chart.side_effects(result, source)
    by_name = {trace["name"]: trace for trace in figure["data"]}
    assert set(by_name) == {"At an infusion: moderate", "At an infusion: severe"}
    assert by_name["At an infusion: severe"]["x"] == [day(2).isoformat()]
    assert by_name["At an infusion: severe"]["text"] == ["Dissociation, severe, during infusion 2"]


def test_a_mood_line_breaks_where_days_are_missing_and_no_mme_panel_without_opioids():
    entries = {day(n): DayEntry(day(n), 5, mood=6) for n in (0, 1, 2, 6, 7)}
    source = history(today=10, entries=entries, mme={n: "0" for n in range(8)})
    figure = figures.timeline(analyse(source), source, day(0), day(10))
    mood = next(trace for trace in figure["data"] if trace["name"] == "Mood")
    assert mood["y"][:8] == [6, 6, 6, None, None, None, 6, 6] and mood["connectgaps"] is False
    assert "yaxis3" not in figure["layout"]  # "no medications today" every day: no opioid panel
    assert not any(trace.get("yaxis") == "y3" for trace in figure["data"])


def test_every_timeline_panel_is_at_least_120_px_tall():
    source = a_history()
    layout = figures.timeline(analyse(source), source, day(-20), day(60))["layout"]
    plot_px = layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]
    for name in ("yaxis", "yaxis2", "yaxis3"):
        low, high = layout[name]["domain"]
        assert (high - low) * plot_px >= 120, name


@pytest.mark.parametrize("days", [7, 30, 50, 90, 365, 1095])
def test_a_date_axis_has_four_to_six_ticks_ending_on_the_last_day(days):
    last = date(2026, 12, 3)
    ticks = date_ticks(last - timedelta(days=days - 1), last)["tickvals"]
    assert 4 <= len(ticks) <= 5 and ticks[-1] == last.isoformat()


def contrast(colour: str, background: str) -> float:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    light, dark = sorted((luminance(colour), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_daily_points_have_at_least_3_to_1_contrast_on_light_and_dark_pages():
    source = a_history()
    figure = figures.timeline(analyse(source), source, day(-20), day(60))
    for trace in figure["data"]:
        if "markers" in trace["mode"]:
            assert trace["marker"].get("opacity", 1) == 1, trace["name"]
            for background in PAGE_BACKGROUNDS.values():
                assert contrast(trace["marker"]["color"], background) >= 3, (trace["name"], background)


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
    label = figures.before_after(trends)["data"][0]["y"][0]
    assert "<a" not in label and label.startswith("&lt;a")
    assert figures.series_compared(trends)["data"][0]["name"] == (
        '&lt;a href="https://x.test"&gt;Spring&lt;/a&gt;')
    band_names = [note["text"] for note in figures.timeline(trends, named, day(-20), day(20))
                  ["layout"]["annotations"] if note["xref"] == "x"]
    assert band_names == ['&lt;a href="https://x.test"&gt;Spring&lt;/a&gt;']
