"""The trend pages over real series, infusions, medications and therapies in the database."""

from datetime import date, time, timedelta
from decimal import Decimal

from sqlmodel import Session

from diary.models import (Entry, Infusion, InfusionSeries, Medication, MedicationDay,
                          MedicationDose, TherapyEvent)
from diary.versions import bump_data_version
from tests.charts.test_pages import embedded_figure
from tests.html import parse

FIRST = date(2026, 2, 1)  # the series' first infusion


def add_series(app, patient, name: str, days: list[date], pain_before: int = 7) -> int:
    with Session(app.extensions["diary_engine"]) as session:
        series = InfusionSeries(patient_id=patient.id, name=name, condition="crps", route="iv")
        session.add(series)
        session.flush()
        for day in days:
            session.add(Infusion(series_id=series.id, day=day, start_time=time(10), dose_mg=Decimal("35"),
                                 pain_before=pain_before, pain_after=pain_before - 4))
        bump_data_version(session, patient.id)  # as every write of the diary does
        session.commit()
        return series.id


def add_pain(app, patient, first: date, pains: list[int]):
    with Session(app.extensions["diary_engine"]) as session:
        for offset, pain in enumerate(pains):
            session.add(Entry(patient_id=patient.id, day=first + timedelta(days=offset), pain_avg=pain))
        bump_data_version(session, patient.id)
        session.commit()


def add_opioid_days(app, patient, first: date, days: int, drug: str, amount: str):
    with Session(app.extensions["diary_engine"]) as session:
        medication = Medication(patient_id=patient.id, name=drug, drug=drug, form="tablet", unit="mg")
        session.add(medication)
        session.flush()
        for offset in range(days):
            day = MedicationDay(patient_id=patient.id, day=first + timedelta(days=offset))
            session.add(day)
            session.flush()
            session.add(MedicationDose(medication_day_id=day.id, medication_id=medication.id,
                                       amount=Decimal(amount)))
        bump_data_version(session, patient.id)
        session.commit()


def a_responder(app, patient):
    """Pain 8 for the 14 days before, 4 for the 14 days after: a 50 % responder."""
    add_series(app, patient, "Spring series", [FIRST, FIRST + timedelta(days=2)])
    add_pain(app, patient, FIRST - timedelta(days=14), [8] * 14)
    add_pain(app, patient, FIRST + timedelta(days=3), [4] * 14)
    add_opioid_days(app, patient, FIRST - timedelta(days=14), 14, "oxycodone", "20")  # 30 MME/day
    add_opioid_days(app, patient, FIRST + timedelta(days=3), 14, "buprenorphine", "2")


def test_a_real_series_is_analysed_and_written_out(app, as_alice, alice, clock):
    clock.set("2026-03-20T09:00")
    a_responder(app, alice)
    page = parse(as_alice.get("/trends/"))
    card = page.select_one(".series-result")
    assert card.h2.get_text() == "Spring series"
    assert "2 infusions" in card.select_one(".meta").get_text()
    assert " ".join(card.select_one(".result-class").get_text().split()) == (
        "Substantial improvement (\u221250 %): average pain 8.0 before, 4.0 after.")
    assert card.select_one(".durability").get_text(strip=True) == "Still ≥ 30 % better after 14 days."
    opioids = next(li for li in card.select(".measure") if li.h3.get_text().startswith("Opioid"))
    assert "30.0 MME/day" in opioids.get_text() and "no MME/day: on 14 of 14 days" in opioids.get_text()
    figure = embedded_figure(as_alice.get("/trends/"), "chart-before-after")
    assert figure["data"][0]["x"] == [8.0] and figure["data"][1]["x"] == [4.0]  # horizontal bars


def test_the_patients_window_settings_change_the_analysis(app, as_alice, alice, clock):
    clock.set("2026-03-20T09:00")
    a_responder(app, alice)
    as_alice.post("/trends/settings", data={"before_days": "7", "after_days": "28"})
    card = parse(as_alice.get("/trends/")).select_one(".series-result")
    assert "(7 days)" in card.select_one(".windows").get_text()
    pain = next(li for li in card.select(".measure") if li.h3.get_text() == "Average pain")
    # 14 of the 28 after days are logged: still enough (rule 5).
    assert "4.0" in pain.get_text()


def test_side_effects_chart_of_a_series_is_only_for_its_patient(app, client, auth, alice, charlie, clock):
    clock.set("2026-03-20T09:00")
    series_id = add_series(app, alice, "Spring series", [FIRST])
    auth.login(alice.email)
    assert client.get(f"/trends/figures/side-effects.json?series={series_id}").status_code == 200
    auth.logout()
    auth.login(charlie.email)
    assert client.get(f"/trends/figures/side-effects.json?series={series_id}").status_code == 404
    page = parse(client.get("/trends/"))
    assert page.select(".series-result") == [] and "Spring series" not in page.get_text()


def test_therapies_and_infusions_appear_on_the_timeline(app, as_alice, alice, clock):
    clock.set("2026-03-20T09:00")
    a_responder(app, alice)
    with Session(app.extensions["diary_engine"]) as session:
        session.add(TherapyEvent(patient_id=alice.id, day=date(2026, 3, 1), kind="physical_therapy"))
        bump_data_version(session, alice.id)
        session.commit()
    figure = embedded_figure(as_alice.get("/trends/timeline?range=90"), "chart-timeline")
    traces = {trace["name"]: trace for trace in figure["data"]}
    assert traces["Infusion"]["x"] == ["2026-02-01", "2026-02-03"]
    assert traces["Other therapy"]["x"] == ["2026-03-01"]
    opioids = [value for value in traces["Opioids (MME/day)"]["y"] if value is not None]
    assert opioids == [30.0] * 14  # buprenorphine days have no total: a gap, never 0


def test_three_years_with_series_and_medications_cost_no_more_queries_than_one_day(app, as_alice, alice,
                                                                                      clock):
    from tests.charts.test_scale import THREE_YEARS, add_days, count_statements

    clock.set("2026-03-10T09:00")
    as_alice.get("/trends/")
    add_days(app, alice, date(2026, 3, 10), 1)
    statements = count_statements(app)
    as_alice.get("/trends/")  # the one day changed the data: loaded afresh
    one_day = len(statements)
    add_days(app, alice, date(2026, 3, 9), THREE_YEARS - 1)
    start = date(2023, 4, 1)
    for number in range(12):
        first = start + timedelta(days=90 * number)
        add_series(app, alice, f"Series {number + 1}", [first, first + timedelta(days=2)])
    add_opioid_days(app, alice, start, 3 * 365, "morphine", "15")
    statements.clear()
    assert as_alice.get("/trends/").status_code == 200
    assert len(statements) == one_day
    for path in ("/trends/timeline?range=all", "/trends/side-effects"):  # unchanged since: reused
        statements.clear()
        assert as_alice.get(path).status_code == 200
        assert len(statements) < one_day, path


def test_series_compared_numbers_are_written_out_too(app, as_alice, alice, clock):
    clock.set("2026-03-20T09:00")
    a_responder(app, alice)
    page = parse(as_alice.get("/trends/"))
    figure = embedded_figure(as_alice.get("/trends/"), "chart-compared")
    line = figure["data"][0]
    assert line["name"] == "Spring series" and line["x"][0] == -14 and line["x"][-1] == 47
    assert line["y"][:14] == [8] * 14 and line["y"][14:17] == [None, None, None]
    text = " ".join(page.select_one("details.numbers p").get_text().split())
    assert text.startswith("day -14: 8; day -13: 8;") and "day 3: 4;" in text
    assert "day 0:" not in text  # infusion days without a diary entry are not invented


def test_a_nasal_series_speaks_of_doses(app, as_alice, alice, clock):
    clock.set("2026-03-20T09:00")
    a_responder(app, alice)
    with Session(app.extensions["diary_engine"]) as session:
        series = session.get(InfusionSeries, 1)
        series.route = "intranasal"
        session.add(series)
        bump_data_version(session, series.patient_id)
        session.commit()
    card = parse(as_alice.get("/trends/")).select_one(".series-result")
    assert "2 doses" in card.select_one(".meta").get_text()
    assert [h3.get_text() for h3 in card.find_all("h3")][-1] == "Each dose"
