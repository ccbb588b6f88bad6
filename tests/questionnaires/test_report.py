"""The PHQ-9 and GAD-7 on the report, the clinician's share view and the timeline: per series,
in words, with every question 9 answer flagged."""

import json

import plotly.graph_objects as go
import pytest

from tests.html import parse
from tests.sharing.test_links import make_link
from tests.treatments.conftest import add_infusion, add_series


def answer(client, clock, day: str, kind: str, points: list[int | None], hour: str = "10:00"):
    clock.set(f"{day}T{hour}", "Europe/London")
    data = {f"item_{number}": str(value) for number, value in enumerate(points, start=1) if value is not None}
    assert client.post(f"/questionnaires/{kind}", data=data).status_code == 302


@pytest.fixture
def responder(as_alice, clock):
    """Spring series 15-17 March 2026; PHQ-9 16 on 10 March, 4 on 24 March (item 9 "Several
    days" before); GAD-7 before only."""
    answer(as_alice, clock, "2026-03-10", "phq9", [2, 2, 2, 2, 2, 2, 2, 1, 1])
    answer(as_alice, clock, "2026-03-10", "gad7", [1, 1, 1, 1, 1, 1, 1])
    answer(as_alice, clock, "2026-03-16", "phq9", [0] * 9)  # during the series: counts for neither
    answer(as_alice, clock, "2026-03-24", "phq9", [1, 1, 1, 1, 0, 0, 0, 0, 0])
    clock.set("2026-04-20T10:00", "Europe/London")
    series_id = add_series(as_alice, name="Spring series")
    add_infusion(as_alice, series_id, "2026-03-15", dose_mg="35")
    add_infusion(as_alice, series_id, "2026-03-17", dose_mg="35")
    return as_alice


def rows_of(page) -> list[str]:
    section = page.select_one("section.report-questionnaires")
    return [" ".join(row.get_text(" ", strip=True).split())
            for row in section.select("table.questionnaire-change tbody tr")]


def test_the_report_shows_both_questionnaires_around_the_series_in_words(responder):
    page = parse(responder.get("/report"))
    assert rows_of(page) == [
        "PHQ-9 16 (moderately severe), Tue 10 Mar 4 (minimal), Tue 24 Mar "
        "−12 points; response: yes; remission: yes",
        "GAD-7 7 (mild), Tue 10 Mar none in the 28 days not enough data"]


def test_the_report_flags_question_9_in_words(responder):
    flags = parse(responder.get("/report")).select_one(".safety-flags").get_text(" ", strip=True)
    assert "thoughts that they would be better off dead or of hurting themselves" in flags
    assert "Tue 10 Mar 2026: answered “Several days”" in flags


def test_the_clinician_sees_the_same_and_a_period_leaves_out_what_lies_outside(app, responder):
    clinician = app.test_client()
    everything = make_link(responder, label="All").removeprefix("http://localhost")
    assert rows_of(parse(clinician.get(everything))) == rows_of(parse(responder.get("/report")))
    later = make_link(responder, label="Later", period_start="2026-03-12",
                      period_end="2026-04-20").removeprefix("http://localhost")
    page = parse(clinician.get(later))
    assert rows_of(page)[0] == "PHQ-9 none in the 28 days 4 (minimal), Tue 24 Mar not enough data"
    assert page.select_one(".safety-flags") is None  # 10 March is outside the period


def test_the_report_draws_the_questionnaire_chart(responder):
    figure = json.loads(parse(responder.get("/report")).find("script", id="report-questionnaires-data").string)
    go.Figure(figure)
    assert figure["data"][0]["y"] == [16, 0, 4]


def test_the_timeline_shows_the_scores_with_band_edges_and_the_series(responder):
    responder.post("/entries", data={"day": "2026-03-01", "pain_avg": "6"})  # the diary starts here
    page = parse(responder.get("/trends/timeline?range=all"))
    figure = json.loads(page.find("script", id="chart-questionnaires-data").string)
    go.Figure(figure)
    assert figure["data"][0]["x"] == ["2026-03-10", "2026-03-16", "2026-03-24"]
    assert [shape["y0"] for shape in figure["layout"]["shapes"] if shape["type"] == "line"] == [5, 10, 15, 20, 5, 10, 15]
    assert any(shape["type"] == "rect" and shape["x0"] == "2026-03-15" for shape in figure["layout"]["shapes"])


def test_a_new_answer_shows_at_once_on_the_report_and_the_timeline(as_alice, clock):
    clock.set("2026-03-10T10:00", "Europe/London")
    as_alice.post("/entries", data={"day": "2026-03-10", "pain_avg": "5"})
    assert parse(as_alice.get("/report")).select_one(".safety-flags") is None  # built and kept
    as_alice.get("/trends/timeline")
    answer(as_alice, clock, "2026-03-10", "phq9", [0] * 8 + [2])
    assert "“More than half the days”" in parse(as_alice.get("/report")).select_one(".safety-flags").get_text()
    assert parse(as_alice.get("/trends/timeline")).find("script", id="chart-questionnaires-data")
