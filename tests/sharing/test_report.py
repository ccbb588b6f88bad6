"""The clinician report: the answer first (one short line each, newest series first), then the
detail: every infusion, medicines, other therapies, side effects, and notes only when the link
includes them. The same analysis as the trends pages."""

import json
from datetime import date, timedelta

import plotly.graph_objects as go
import pytest
from sqlmodel import select

from diary.models import Medication, ShareLink
from tests.html import parse
from tests.sharing.test_links import make_link
from tests.treatments.conftest import add_infusion, add_medication, add_series

FIRST_INFUSION = date(2026, 3, 15)
LAST_INFUSION = FIRST_INFUSION + timedelta(days=2)


def text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


@pytest.fixture
def responder(as_alice, db, clock):
    """Pain 10 for the 14 days before a two-infusion series, 7 for the 14 days after: −30 %.
    Oxycodone 30 mg a day before (45 MME/day), 10 mg after (15): −67 %."""
    clock.set("2026-04-20T10:00", "Europe/London")
    add_medication(as_alice, "OxyContin", "oxycodone", usual_dose="20")
    oxy = f"amount_{db.exec(select(Medication)).one().id}"
    for offset in range(1, 15):
        day = (FIRST_INFUSION - timedelta(days=offset)).isoformat()
        as_alice.post("/entries", data={"day": day, "pain_avg": "10", "interference_enjoyment": "8",
                                        "interference_activity": "6", "mood": "2",
                                        "se_nausea": "moderate"})
        as_alice.post("/treatments/medications/day", data={"day": day, oxy: "30"})
    for offset in range(1, 15):
        day = (LAST_INFUSION + timedelta(days=offset)).isoformat()
        as_alice.post("/entries", data={"day": day, "pain_avg": "7", "mood": "5",
                                        "notes": "Walked to the shop" if offset == 3 else ""})
        as_alice.post("/treatments/medications/day", data={"day": day, oxy: "10"})
    as_alice.post("/treatments/therapies/", data={"day": "2026-04-02", "kind": "physical_therapy",
                                                  "note": "Knee exercises"})
    series_id = add_series(as_alice, name="Spring series")
    add_infusion(as_alice, series_id, FIRST_INFUSION.isoformat(), dose_mg="35", weight_kg="70",
                 pain_before="8", pain_after="3", pain_2h="3", pain_24h="5",
                 se_during_dissociation="severe")
    add_infusion(as_alice, series_id, LAST_INFUSION.isoformat(), dose_mg="52.5",
                 pain_before="7", pain_after="2", se_during_vision="moderate",
                 se_after_drowsiness="mild", notes="Slept all afternoon")
    return as_alice


def top_lines(article) -> dict[str, str]:
    return {div.dt.get_text(strip=True): text(div.dd) for div in article.select(".top-lines div")}


def table_rows(table) -> list[list[str]]:
    return [[" ".join(cell.get_text().split()) for cell in row.find_all(["th", "td"])]
            for row in table.select("tbody tr")]


def test_the_top_of_the_report_answers_for_each_series_in_short_lines(responder):
    page = parse(responder.get("/report"))
    top = page.select_one(".report-top")
    assert page.select_one("main .report > *") is top  # nothing comes before the answer
    article = top.select_one("article.series-top")
    assert text(article.h3) == "Spring series 15–17 Mar 2026"
    assert top_lines(article) == {
        "Result": "Moderate improvement −30 %",
        "Relief": "still holding after 14 days",
        "PEG": "not enough data",  # enjoyment and activity were not logged after
        "MME/day": "−67 % (45.0 → 15.0)",
        "PGIC": "not answered yet",
    }
    assert " ".join(top.select_one(".report-span").get_text().split()) == (
        "28 of 31 days logged, 1–31 Mar 2026")
    assert "mean of logged days" not in page.get_text()  # no mean that mixes before and after


def test_the_newest_series_comes_first(responder):
    later = add_series(responder, name="Summer series")
    add_infusion(responder, later, "2026-04-10", dose_mg="50")
    page = parse(responder.get("/report"))
    assert [text(h3) for h3 in page.select(".report-top article h3")] == [
        "Summer series 10 Apr 2026 · provisional", "Spring series 15–17 Mar 2026"]
    assert [h3.get_text() for h3 in page.select(".report-infusions h3")] == [
        "Summer series", "Spring series"]


def test_each_infusion_is_a_row_with_dose_per_kg_pains_and_side_effects_during(responder):
    page = parse(responder.get("/report"))
    table = page.select_one(".report-infusions table")
    assert [text(th) for th in table.select("thead th")] == [
        "Date", "Route", "Dose", "Pain before", "Right after", "2 h", "24 h", "Side effects during"]
    assert table_rows(table) == [
        ["Sun 15 Mar", "IV infusion", "35 mg 0.5 mg/kg", "8", "3", "3", "5", "Dissociation (severe)"],
        ["Tue 17 Mar", "IV infusion", "52.5 mg", "7", "2", "–", "–",
         "Blurred or double vision (moderate)"],
    ]


def test_medicines_therapies_and_both_kinds_of_side_effects_are_listed(responder):
    page = parse(responder.get("/report"))
    medications = page.find(id="medications-heading").parent
    first, mme = medications.select("table")
    assert table_rows(first) == [["OxyContin", "20 mg", "28"]]
    assert table_rows(mme) == [["Spring series", "45.0 MME/day", "15.0 MME/day"]]
    therapies = page.find(id="therapies-heading").parent
    assert [text(li) for li in therapies.select("li")] == ["Physical therapy: 1 time, 2 Apr 2026"]
    assert table_rows(page.select_one("table.diary-side-effects")) == [["Nausea or vomiting", "14", "14"]]
    assert table_rows(page.select_one("table.infusion-side-effects")) == [
        ["Sun 15 Mar 2026", "1 of Spring series", "during", "Dissociation (severe)"],
        ["Tue 17 Mar 2026", "2 of Spring series", "during", "Blurred or double vision (moderate)"],
        ["Tue 17 Mar 2026", "2 of Spring series", "after", "Drowsiness or fatigue (mild)"],
    ]


def test_mood_changes_in_points_with_its_means_and_no_percent(responder):
    page = parse(responder.get("/report"))
    rows = {row[0]: row[1:] for row in table_rows(page.select_one(".measures-table"))}
    assert rows["Mood"] == ["2.0", "5.0", "+3.0 points, better"]
    assert rows["Average pain"] == ["10.0", "7.0", "−3.0 (−30 %), better"]


def test_notes_are_left_out_unless_the_patient_includes_them_in_the_link(app, responder, db):
    plain = make_link(responder, label="Without notes").removeprefix("http://localhost")
    with_notes = make_link(responder, label="With notes", include_notes="yes").removeprefix("http://localhost")
    assert [(link.label, link.include_notes) for link in db.exec(select(ShareLink).order_by(ShareLink.id))] == [
        ("Without notes", False), ("With notes", True)]
    clinician = app.test_client()
    for _ in range(2):  # the second round comes from what the first built: still apart
        page = parse(clinician.get(plain))
        assert page.find(id="notes-heading") is None
        assert "Walked to the shop" not in page.get_text() and "Knee exercises" not in page.get_text()
        notes = parse(clinician.get(with_notes)).find(id="notes-heading").parent
        assert [text(li) for li in notes.select("li")] == [
            "Tue 17 Mar 2026, Infusion 2 of Spring series: Slept all afternoon",
            "Fri 20 Mar 2026, Diary: Walked to the shop",
            "Thu 2 Apr 2026, Physical therapy: Knee exercises",
        ]
    assert parse(responder.get("/report")).find(id="notes-heading") is None


def test_the_share_form_leaves_notes_out_by_default(as_alice):
    box = parse(as_alice.get("/share")).find("input", id="include_notes")
    assert box["type"] == "checkbox" and not box.has_attr("checked")


def test_a_bad_notes_choice_is_refused_and_no_link_is_made(as_alice, db):
    response = as_alice.post("/share", data={"label": "Dr. Lin", "expires_in_days": "30",
                                             "include_notes": "everything"})
    assert response.status_code == 422
    assert db.exec(select(ShareLink)).all() == []


def test_the_report_draws_the_timeline_and_before_after_charts_from_json_data(responder):
    page = parse(responder.get("/report"))
    for chart_id, first_trace in (("report-timeline", "scatter"), ("report-before-after", "bar")):
        figure = json.loads(page.find("script", id=f"{chart_id}-data").string)
        go.Figure(figure)  # plotly.py checks every property
        assert figure["data"][0]["type"] == first_trace


def test_the_clinician_sees_the_same_report(app, responder):
    url = make_link(responder).removeprefix("http://localhost")
    clinician = parse(app.test_client().get(url))
    own = parse(responder.get("/report"))
    assert text(clinician.select_one(".report-top")) == text(own.select_one(".report-top"))
    assert text(clinician.select_one(".report-infusions")) == text(own.select_one(".report-infusions"))


def test_a_report_without_data_says_so_and_draws_nothing(as_alice):
    page = parse(as_alice.get("/report"))
    assert "no days were logged" in page.select_one(".report-span").get_text()
    assert page.find("script", id="report-timeline-data") is None
    assert not any("plotly" in script["src"] for script in page.find_all("script", src=True))


def days_logged(page) -> str:
    return page.select_one(".report-span strong").get_text().split(" of ")[0]


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
