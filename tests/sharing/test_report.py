"""The one-page report: the same analysis as the trends pages, for the patient and the clinician."""

import json
from datetime import date, timedelta

import plotly.graph_objects as go
import pytest

from tests.html import parse
from tests.sharing.test_links import make_link
from tests.treatments.conftest import add_infusion, add_series

FIRST_INFUSION = date(2026, 3, 15)


@pytest.fixture
def responder(as_alice, clock):
    """Pain 10 for the 14 days before a two-infusion series, 7 for the 14 days after: −30 %."""
    clock.set("2026-04-20T10:00", "Europe/London")
    for offset in range(1, 15):
        as_alice.post("/entries", data={"day": (FIRST_INFUSION - timedelta(days=offset)).isoformat(),
                                        "pain_avg": "10", "interference_enjoyment": "8",
                                        "interference_activity": "6", "se_nausea": "moderate"})
    last_infusion = FIRST_INFUSION + timedelta(days=2)
    for offset in range(1, 15):
        as_alice.post("/entries", data={"day": (last_infusion + timedelta(days=offset)).isoformat(),
                                        "pain_avg": "7"})
    series_id = add_series(as_alice, name="Spring series")
    add_infusion(as_alice, series_id, FIRST_INFUSION.isoformat(), dose_mg="35")
    add_infusion(as_alice, series_id, last_infusion.isoformat(), dose_mg="52.5")
    return as_alice


def facts_of(article) -> dict[str, str]:
    return {div.dt.get_text(strip=True): " ".join(div.dd.get_text(" ", strip=True).split())
            for div in article.select(".facts div")}


def test_the_report_gives_each_series_its_result_in_words(responder):
    page = parse(responder.get("/report"))
    article = page.select_one("article.report-series")
    assert article.h3.get_text() == "Spring series"
    meta = " ".join(article.select_one(".meta").get_text(" ", strip=True).split())
    assert meta == ("Sunday 15 March 2026 to Tuesday 17 March 2026 · IV infusion · 2 infusions, 35–52.5 mg"
                    " · CRPS (complex regional pain syndrome)")
    facts = facts_of(article)
    assert facts["Average pain, result"] == "Moderate improvement (−30 %): 10.0 before, 7.0 after"
    assert facts["How long relief lasted"] == "Still ≥ 30 % better after 14 days"
    assert facts["Opioid use (MME/day)"].startswith("before not enough data (0 of 14 days logged)")
    assert "Treated for: CRPS (complex regional pain syndrome)." in page.get_text()


def test_the_report_draws_the_timeline_and_before_after_charts_from_json_data(responder):
    page = parse(responder.get("/report"))
    for chart_id, first_trace in (("report-timeline", "scatter"), ("report-before-after", "bar")):
        figure = json.loads(page.find("script", id=f"{chart_id}-data").string)
        go.Figure(figure)  # plotly.py checks every property
        assert figure["data"][0]["type"] == first_trace
    scripts = [script["src"] for script in page.find_all("script", src=True)]
    assert any("plotly-basic-4.1.1.min.js" in src for src in scripts)


def test_the_clinician_sees_the_same_report(app, responder):
    response = responder.post("/share", data={"label": "Dr. Lin", "expires_in_days": "30"})
    url = parse(responder.get(response.location)).find("input", id="share-url")["value"]
    clinician = parse(app.test_client().get(url.removeprefix("http://localhost")))
    own = parse(responder.get("/report"))
    assert facts_of(clinician.select_one("article.report-series")) == facts_of(own.select_one("article.report-series"))
    side_effects = [row.get_text(" ", strip=True) for row in clinician.select(".data-table tbody tr")]
    assert side_effects == ["Nausea or vomiting 14 14"]


def test_a_report_without_data_says_so_and_draws_nothing(as_alice):
    page = parse(as_alice.get("/report"))
    assert "no days were logged" in page.select_one(".empty").get_text()
    assert page.find("script", id="report-timeline-data") is None
    assert not any("plotly" in script["src"] for script in page.find_all("script", src=True))


def days_logged(page) -> str:
    return facts_of(page)["Days logged"]


def test_the_report_and_the_clinician_view_show_a_write_and_a_new_name_at_once(app, responder):
    """Both are built once per version of the diary: each write and the patient's name show."""
    url = make_link(responder, period_start="2026-01-01").removeprefix("http://localhost")
    clinician = app.test_client()
    assert days_logged(parse(clinician.get(url))) == days_logged(parse(responder.get("/report"))) == "28"
    responder.post("/entries", data={"day": "2026-04-19", "pain_avg": "3"})
    assert days_logged(parse(clinician.get(url))) == days_logged(parse(responder.get("/report"))) == "29"
    responder.post("/account", data={"display_name": "Alice Renamed", "time_zone": "Europe/London"})
    assert "Alice Renamed" in parse(clinician.get(url)).select_one("main").get_text()
    assert "Alice Renamed" in parse(responder.get("/report")).select_one("main").get_text()


def test_two_links_of_one_patient_show_their_own_periods(app, responder):
    everything = make_link(responder, label="All").removeprefix("http://localhost")
    before = make_link(responder, label="Before", period_start="2026-03-01",
                       period_end="2026-03-14").removeprefix("http://localhost")
    clinician = app.test_client()
    for _ in range(2):  # the second round is served from what the first built
        assert days_logged(parse(clinician.get(everything))) == "28"
        assert days_logged(parse(clinician.get(before))) == "14"
