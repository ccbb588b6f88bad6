"""The questionnaire chart: totals, band edges and series, checked by plotly itself."""

from datetime import date

import plotly.graph_objects as go

from diary.questionnaires.figure import band_edges, questionnaire_figure
from diary.questionnaires.scoring import Answered


class Series:
    def __init__(self, name, first_day, last_day):
        self.name, self.first_day, self.last_day = name, first_day, last_day


ANSWERED = [
    Answered(1, "phq9", date(2026, 3, 1), (2, 2, 2, 2, 1, 1, 1, 1, 1)),  # 13, item 9 answered
    Answered(2, "phq9", date(2026, 3, 20), (0, 0, 1, 1, 0, 0, 1, 0, 0)),  # 3
    Answered(3, "phq9", date(2026, 3, 25), (0, None, 0, 0, 0, 0, 0, 0, 0)),  # incomplete
    Answered(4, "gad7", date(2026, 3, 1), (3, 3, 3, 2, 2, 2, 1)),  # 16
]


def test_band_edges_are_the_first_total_of_each_band():
    assert band_edges("phq9") == [(5, "mild"), (10, "moderate"), (15, "moderately severe"), (20, "severe")]
    assert band_edges("gad7") == [(5, "mild"), (10, "moderate"), (15, "severe")]


def test_the_figure_shows_complete_totals_band_edges_and_the_series():
    figure = questionnaire_figure(ANSWERED, [Series("<b>Spring</b>", date(2026, 3, 5), date(2026, 3, 16))],
                                  date(2026, 2, 20), date(2026, 3, 31))
    go.Figure(data=figure["data"], layout=figure["layout"])  # plotly accepts every property
    phq9, gad7 = figure["data"]
    assert (phq9["x"], phq9["y"]) == (["2026-03-01", "2026-03-20"], [13, 3])
    assert phq9["marker"]["symbol"] == ["diamond", "circle"] and "question 9 answered" in phq9["text"][0]
    assert (gad7["y"], gad7["text"]) == ([16], ["severe"])
    edges = [(shape["yref"], shape["y0"]) for shape in figure["layout"]["shapes"] if shape["type"] == "line"]
    assert edges == [("y", 5), ("y", 10), ("y", 15), ("y", 20), ("y2", 5), ("y2", 10), ("y2", 15)]
    marked = [shape for shape in figure["layout"]["shapes"] if shape["type"] == "rect"]
    assert {(shape["x0"], shape["x1"]) for shape in marked} == {("2026-03-05", "2026-03-16")}
    texts = [note["text"] for note in figure["layout"]["annotations"]]
    assert "moderately severe from 15" in texts and "&lt;b&gt;Spring&lt;/b&gt;" in texts


def test_a_series_outside_the_range_is_not_drawn():
    figure = questionnaire_figure(ANSWERED, [Series("Old", date(2025, 1, 1), date(2025, 1, 9))],
                                  date(2026, 2, 20), date(2026, 3, 31))
    assert not [shape for shape in figure["layout"]["shapes"] if shape["type"] == "rect"]
