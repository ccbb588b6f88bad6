"""The trend pages and chart endpoints: valid figures, the numbers as text, own data only."""

import json
from datetime import date

import plotly.graph_objects as go
from sqlmodel import Session, select

from diary.models import Entry, Patient
from diary.versions import bump_data_version
from tests.conftest import find_user
from tests.html import field_error, parse, title


def add_entries(app, patient, first: date, pains: list[int]):
    with Session(app.extensions["diary_engine"]) as session:
        for offset, pain in enumerate(pains):
            session.add(Entry(patient_id=patient.id, day=date.fromordinal(first.toordinal() + offset),
                              pain_avg=pain, mood=5))
        bump_data_version(session, patient.id)  # as every write of the diary does
        session.commit()


def embedded_figure(response, chart_id: str) -> dict:
    page = parse(response)
    area = page.find(id=chart_id)
    source = page.find("script", id=area["data-chart"])
    assert source["type"] == "application/json"
    return json.loads(source.string)


def test_timeline_page_embeds_a_valid_figure_and_writes_every_number(app, as_alice, alice, clock):
    clock.set("2026-03-10T09:00", "Europe/London")
    add_entries(app, alice, date(2026, 3, 1), [7, 6, 5, 4, 5, 6, 7, 3, 2, 8])
    response = as_alice.get("/trends/timeline?range=30")
    assert response.status_code == 200
    figure = embedded_figure(response, "chart-timeline")
    go.Figure(data=figure["data"], layout=figure["layout"])
    assert figure["data"][0]["name"] == "Pain each day"
    assert figure["data"][0]["y"] == [7, 6, 5, 4, 5, 6, 7, 3, 2, 8]
    rows = parse(response).select(".numbers-table tbody tr")
    assert len(rows) == 10  # the diary's own 10 days, not 20 empty ones before them
    first_row = [cell.get_text(strip=True) for cell in rows[0].find_all(["th", "td"])]
    assert first_row == ["Tue 10 Mar 2026", "8", "5.0", "5", "–"]  # (6+7+3+2+8+4+5)/7 = 5


def test_chart_pages_leave_the_chart_library_to_charts_js_and_other_pages_do_not_name_it(
        app, as_alice, alice, clock):
    """Text and numbers first: the page itself never loads plotly; static/js/charts.js fetches
    it when a chart is about to be seen."""
    clock.set("2026-03-10T09:00")
    page = parse(as_alice.get("/trends/timeline"))
    assert not [tag for tag in page.find_all("script", src=True) if "plotly" in tag["src"]]
    charts = next(tag for tag in page.find_all("script", src=True) if "/js/charts.js" in tag["src"])
    assert charts.has_attr("defer") and "plotly-basic-4.1.1.min.js" in charts["data-plotly"]
    assert not [tag for tag in parse(as_alice.get("/today")).find_all("script", src=True)
                if "plotly" in tag["src"] or "charts.js" in tag["src"]]
    # No inline script anywhere: only JSON data blocks.
    for tag in parse(as_alice.get("/trends/timeline")).find_all("script", src=False):
        assert tag["type"] == "application/json"


def test_the_timeline_opens_on_a_short_diarys_own_days(app, as_alice, alice, clock):
    """A 50-day diary opened on 90 days left 40 % of the chart empty."""
    clock.set("2026-03-10T09:00", "Europe/London")
    add_entries(app, alice, date(2026, 1, 20), [5] * 50)
    page = parse(as_alice.get("/trends/timeline"))
    assert len(page.select(".numbers-table tbody tr")) == 50
    figure = embedded_figure(as_alice.get("/trends/timeline"), "chart-timeline")
    assert figure["layout"]["xaxis"]["range"] == ["2026-01-19", "2026-03-11"]  # a day's room each side


def test_little_data_gets_a_helpful_sentence(as_alice, clock):
    clock.set("2026-03-10T09:00")
    page = parse(as_alice.get("/trends/timeline"))
    assert "Log a few days to see your trend" in page.select_one(".empty").get_text()
    assert "Log a few days to see your trend" in parse(as_alice.get("/trends/")).select_one(".empty").get_text()


def test_figure_endpoints_return_valid_figures(app, as_alice, alice, clock):
    clock.set("2026-03-10T09:00")
    add_entries(app, alice, date(2026, 3, 1), [5] * 10)
    for name in ("timeline", "before-after", "compared"):
        response = as_alice.get(f"/trends/figures/{name}.json")
        assert response.status_code == 200 and response.mimetype == "application/json"
        figure = response.get_json()
        go.Figure(data=figure["data"], layout=figure["layout"])
    assert as_alice.get("/trends/figures/nonsense.json").status_code == 404
    # Side effects are drawn per series: no series of hers has that id.
    assert as_alice.get("/trends/figures/side-effects.json?series=1").status_code == 404


def test_another_patient_sees_none_of_alices_data(app, client, auth, alice, charlie, clock):
    clock.set("2026-03-10T09:00")
    add_entries(app, alice, date(2026, 3, 1), [9] * 10)
    auth.login(charlie.email)
    figure = client.get("/trends/figures/timeline.json").get_json()
    assert figure["data"][0]["x"] == [] and figure["data"][1]["y"] == [None] * 30  # nothing logged: 30 days
    page = parse(client.get("/trends/timeline"))
    assert all(cell.get_text(strip=True) == "–" for cell in page.select(".numbers-table td"))


def test_trends_need_a_login(client):
    for path in ("/trends/", "/trends/timeline", "/trends/side-effects", "/trends/settings",
                 "/trends/figures/timeline.json"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.location


def test_the_how_page_explains_the_rules(client):
    response = client.get("/trends/how")
    assert title(response) == "How these numbers are computed"
    text = parse(response).get_text(" ")
    assert "Dworkin" in text and "7 of 14 days is enough" in text and "n/a" in text


def test_window_settings_are_shown_and_saved(as_alice, db):
    page = parse(as_alice.get("/trends/"))
    assert "14 days before" in page.select_one(".lead").get_text()
    form = parse(as_alice.get("/trends/settings"))
    assert form.find("input", {"name": "before_days"})["value"] == "14"
    response = as_alice.post("/trends/settings", data={"before_days": "21", "after_days": "7"})
    assert response.status_code == 302
    user = find_user(db, "alice@example.com")
    assert (user.trends_before_days, user.trends_after_days) == (21, 7)
    assert "21 days before" in parse(as_alice.get("/trends/")).select_one(".lead").get_text()


def test_window_settings_outside_7_to_28_are_refused_and_nothing_changes(as_alice, db):
    response = as_alice.post("/trends/settings", data={"before_days": "6", "after_days": "twenty"})
    assert response.status_code == 422
    assert field_error(response, "before_days") == "Days before the first infusion must be a whole number between 7 and 28 days"
    assert field_error(response, "after_days") == "Days after the last infusion must be a whole number between 7 and 28 days"
    assert parse(response).find("input", {"name": "after_days"})["value"] == "twenty"
    user = db.exec(select(Patient).where(Patient.email == "alice@example.com")).one()
    assert (user.trends_before_days, user.trends_after_days) == (14, 14)


def test_the_how_page_table_is_written_from_the_immpact_constants(client):
    rows = [[cell.get_text(strip=True) for cell in row.find_all("td")]
            for row in parse(client.get("/trends/how")).select(".numbers-table tbody tr")]
    assert rows == [
        ["\u221250 % or lower", "substantial improvement"],
        ["above \u221250 %, up to and including \u221230 %", "moderate improvement"],
        ["above \u221230 %, up to and including \u221210 %", "minimal improvement"],
        ["above \u221210 % and below +10 %", "no meaningful change"],
        ["+10 % or higher", "worse"],
    ]


def test_the_timeline_gives_its_numbers_before_the_chart(app, as_alice, alice, clock):
    """Text and numbers first: the start and end of the range in 7-day means, then the chart."""
    clock.set("2026-03-10T09:00", "Europe/London")
    add_entries(app, alice, date(2026, 2, 9), [8] * 7 + [5] * 16 + [3] * 7)
    page = parse(as_alice.get("/trends/timeline"))
    glance = page.select_one("table.glance")
    rows = [[cell.get_text(strip=True) for cell in row.find_all(["th", "td"])]
            for row in glance.select("tbody tr")]
    assert rows == [["Average pain", "8.0", "3.0"], ["Mood (higher is better)", "5.0", "5.0"]]
    # no opioid row without any opioid; the table comes before the chart in the page
    assert glance.find_all_next(id="chart-timeline")
