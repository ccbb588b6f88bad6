"""A series: its dates derived from its infusions, each infusion's acute change, PGIC, delete."""

from datetime import date

import pytest
from sqlmodel import select

from diary.loaded_history import load_history
from diary.models import Infusion, InfusionSeries, InfusionSideEffect, Patient
from tests.html import field_error, parse, title
from tests.treatments.conftest import add_infusion, add_series


@pytest.fixture(autouse=True)
def fixed_now(clock):
    clock.set("2026-03-20T12:00", "Europe/London")


def span(client, series_id: int) -> str:
    return parse(client.get(f"/treatments/series/{series_id}")).select_one(".series-span").get_text(" ", strip=True)


def test_a_series_with_no_infusions_says_so(as_alice, db, alice):
    series_id = add_series(as_alice, clinic="Riverside Pain Clinic", notes="Six sessions")
    series = db.get(InfusionSeries, series_id)
    assert (series.patient_id, series.name, series.condition, series.route, series.clinic) == (
        alice.id, "Spring 2026 series", "crps", "iv", "Riverside Pain Clinic")
    assert span(as_alice, series_id) == "No infusions yet"
    overview = parse(as_alice.get("/treatments/"))
    assert "No infusions yet" in overview.select_one(".entry-row").get_text()


def test_series_dates_are_the_first_and_last_infusion_days(as_alice):
    series_id = add_series(as_alice)
    add_infusion(as_alice, series_id, "2026-03-09")
    add_infusion(as_alice, series_id, "2026-03-02")  # logged late, still the first
    add_infusion(as_alice, series_id, "2026-03-05")
    assert span(as_alice, series_id) == "Monday 2 March 2026 to Monday 9 March 2026 · 3 infusions"


def test_an_infusion_at_2330_local_time_lands_on_that_local_day(as_kai, db, clock):
    clock.set("2026-03-01T23:45", "Pacific/Honolulu")  # 2 March 09:45 in UTC
    series_id = add_series(as_kai)
    add_infusion(as_kai, series_id, "2026-03-01", "23:30", pain_before="6")
    infusion = db.exec(select(Infusion)).one()
    assert (infusion.day, f"{infusion.start_time:%H:%M}") == (date(2026, 3, 1), "23:30")
    assert span(as_kai, series_id) == "Sunday 1 March 2026 · 1 infusion"
    kai = db.exec(select(Patient).where(Patient.email == "kai@example.com")).one()
    with as_kai.application.test_request_context():
        history = load_history(kai)
    assert history.series[0].first_day == date(2026, 3, 1) == history.series[0].last_day


def test_an_infusion_on_the_utc_date_that_is_tomorrow_locally_is_refused(as_kai, db, clock):
    clock.set("2026-03-01T23:45", "Pacific/Honolulu")
    series_id = add_series(as_kai)
    response = as_kai.post(f"/treatments/series/{series_id}/infusions",
                           data={"day": "2026-03-02", "start_time": "09:00"})
    assert response.status_code == 422
    assert field_error(response, "day") == "Date cannot be in the future (today is 2026-03-01)"
    assert db.exec(select(Infusion)).all() == []


def test_the_series_page_lists_infusions_in_order_with_their_acute_change(as_alice):
    series_id = add_series(as_alice)
    add_infusion(as_alice, series_id, "2026-03-04", pain_before="6", pain_after="6")
    add_infusion(as_alice, series_id, "2026-03-02", pain_before="7", pain_after="3", pain_24h="5",
                 dose_mg="52.5", weight_kg="70")
    add_infusion(as_alice, series_id, "2026-03-06", pain_after="2")  # no "before": no numbers
    rows = parse(as_alice.get(f"/treatments/series/{series_id}")).select("li.entry-row")
    assert [row.select_one(".row-title").get_text(strip=True) for row in rows] == [
        "Monday 2 March 2026, 09:00", "Wednesday 4 March 2026, 09:00", "Friday 6 March 2026, 09:00"]

    def changes(row):
        return [" ".join(td.get_text(" ", strip=True).split()) for td in row.select(".changes td")][1:]

    missing = "– no number, a pain score is missing"
    assert changes(rows[0]) == ["−4 less pain", missing, "−2 less pain"]
    assert changes(rows[1])[0] == "0 no change"
    assert changes(rows[2]) == [missing] * 3
    pains = [" ".join(td.get_text(" ", strip=True).split()) for td in rows[0].select(".pains td")]
    assert pains == ["7", "3", "– not logged", "5"]
    assert "52.5 mg (0.75 mg/kg)" in rows[0].select_one(".scores").get_text(" ", strip=True)


def test_pgic_is_asked_once_the_after_window_has_passed_and_can_be_changed(as_alice, db, clock):
    series_id = add_series(as_alice)
    add_infusion(as_alice, series_id, "2026-03-01")
    add_infusion(as_alice, series_id, "2026-03-06")
    clock.set("2026-03-20T12:00", "Europe/London")  # 14 days after the last: still in the window
    assert parse(as_alice.get(f"/treatments/series/{series_id}")).find(id="pgic") is None
    clock.set("2026-03-21T08:00", "Europe/London")
    page = parse(as_alice.get(f"/treatments/series/{series_id}"))
    options = page.find(id="pgic").find_all("input", {"name": "pgic"})
    assert [option.parent.get_text(strip=True) for option in options] == [
        "Very much improved", "Much improved", "Minimally improved", "No change",
        "Minimally worse", "Much worse", "Very much worse"]
    assert not any(option.has_attr("checked") for option in options)

    response = as_alice.post(f"/treatments/series/{series_id}/pgic", data={"pgic": "much_improved"})
    assert response.status_code == 302
    assert db.get(InfusionSeries, series_id).pgic == "much_improved"
    page = parse(as_alice.get(f"/treatments/series/{series_id}"))
    assert page.select_one(".panel p").get_text(strip=True) == "You said:Much improved."
    assert page.select_one(".panel details") is not None  # the question is folded away now

    as_alice.post(f"/treatments/series/{series_id}/pgic", data={"pgic": "minimally_improved"})
    db.expire_all()
    assert db.get(InfusionSeries, series_id).pgic == "minimally_improved"


def test_a_pgic_answer_off_the_scale_is_refused(as_alice, db, clock):
    series_id = add_series(as_alice)
    add_infusion(as_alice, series_id, "2026-03-01")
    response = as_alice.post(f"/treatments/series/{series_id}/pgic", data={"pgic": "cured"})
    assert response.status_code == 422
    assert field_error(response, "pgic") == "Choose how you are since before the series from the list"
    assert db.get(InfusionSeries, series_id).pgic is None


def test_deleting_a_series_asks_first_then_deletes_its_infusions(as_alice, db):
    series_id = add_series(as_alice)
    add_infusion(as_alice, series_id, "2026-03-02", se_during_dissociation="moderate")
    add_infusion(as_alice, series_id, "2026-03-05")
    confirm = as_alice.get(f"/treatments/series/{series_id}/delete")
    assert title(confirm) == "Delete Spring 2026 series?"
    assert "its 2 infusions" in parse(confirm).find("main").get_text(" ", strip=True)
    assert len(db.exec(select(Infusion)).all()) == 2  # asking deletes nothing
    form = parse(confirm).select_one("main form")
    assert form["method"] == "post" and form.find("input", {"name": "csrf_token"})
    response = as_alice.post(form["action"])
    assert response.status_code == 302 and response.location == "/treatments/"
    assert db.exec(select(InfusionSeries)).all() == []
    assert db.exec(select(Infusion)).all() == [] and db.exec(select(InfusionSideEffect)).all() == []


def test_a_series_can_be_changed(as_alice, db):
    series_id = add_series(as_alice)
    response = as_alice.post(f"/treatments/series/{series_id}/edit", data={
        "name": "Autumn", "condition": "other", "condition_other": "Phantom limb pain",
        "route": "intranasal"})
    assert response.status_code == 302
    db.expire_all()
    series = db.get(InfusionSeries, series_id)
    assert (series.name, series.condition, series.condition_other, series.route) == (
        "Autumn", "other", "Phantom limb pain", "intranasal")
    assert parse(as_alice.get(f"/treatments/series/{series_id}")).select_one(".lead").get_text(
        strip=True) == "Intranasal spray for Phantom limb pain"


@pytest.mark.parametrize("form, field, message", [
    ({"name": ""}, "name", "Enter name of the series"),
    ({"condition": "gout"}, "condition", "Choose the condition treated from the list"),
    ({"condition": "other"}, "condition_other", "Describe the other condition"),
    ({"route": "other"}, "route_other", "Describe the other route"),
    ({"name": "x" * 81}, "name", "Name of the series must be 80 characters or fewer (you typed 81)"),
])
def test_a_bad_series_is_refused_and_nothing_is_stored(as_alice, db, form, field, message):
    data = {"name": "Spring", "condition": "crps", "route": "iv", **form}
    response = as_alice.post("/treatments/series", data=data)
    assert response.status_code == 422
    assert field_error(response, field) == message
    assert db.exec(select(InfusionSeries)).all() == []
