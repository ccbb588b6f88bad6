"""Infusions: the quick "next infusion", half-filled infusions, later pain, side effects, bad input."""

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from diary.models import Infusion, InfusionSideEffect
from tests.html import field_error, parse, summary_errors
from tests.treatments.conftest import add_infusion, add_series


@pytest.fixture(autouse=True)
def fixed_now(clock):
    clock.set("2026-03-10T12:00", "Europe/London")


def form_values(page) -> dict[str, str]:
    form = page.select_one("form.entry-form")
    values = {field["name"]: field.get("value", "") for field in form.find_all("input")
              if field.get("type") not in ("radio", "hidden")}
    values |= {field["name"]: field["value"] for field in form.find_all("input", {"type": "radio"})
               if field.has_attr("checked")}
    return values


def test_the_next_infusion_proposes_series_route_time_and_last_dose(as_alice, db, clock):
    clock.set("2026-03-09T12:00", "Europe/London")
    older = add_series(as_alice, name="Winter series")
    add_infusion(as_alice, older, "2026-01-05", "14:00", dose_mg="30")
    series_id = add_series(as_alice, route="iv")
    add_infusion(as_alice, series_id, "2026-03-09", "09:15", dose_mg="52.5", duration_min="40",
                 weight_kg="70.5", pain_before="7", pain_after="3")
    clock.set("2026-03-12T10:00", "Europe/London")

    response = as_alice.get("/treatments/infusions/new")
    assert response.status_code == 302
    assert response.location == f"/treatments/series/{series_id}/infusions/new"
    page = parse(as_alice.get(response.location))
    assert page.select_one(".lead").get_text(" ", strip=True) == "Series: Spring 2026 series · IV infusion"
    values = form_values(page)
    assert {name: values[name] for name in ("day", "start_time", "dose_mg", "duration_min", "weight_kg")} == {
        "day": "2026-03-12", "start_time": "09:15", "dose_mg": "52.5", "duration_min": "40",
        "weight_kg": "70.5"}
    assert values["pain_before"] == values["pain_after"] == ""  # pain is never proposed
    assert [a.get_text() for a in page.select("details .stack-links a")] == ["Winter series", "A new series"]

    # A few taps: the two pains, then save what was proposed.
    form = page.select_one("form.entry-form")
    as_alice.post(form["action"], data={**values, "pain_before": "6", "pain_after": "2"})
    latest = db.exec(select(Infusion).order_by(Infusion.id.desc())).first()
    assert (latest.series_id, latest.day, f"{latest.start_time:%H:%M}", latest.dose_mg,
            latest.duration_min, latest.weight_kg, latest.pain_before, latest.pain_after) == (
        series_id, date(2026, 3, 12), "09:15", Decimal("52.5"), 40, Decimal("70.5"), 6, 2)


def test_a_proposed_start_time_still_to_come_today_becomes_now(as_alice, clock):
    series_id = add_series(as_alice)
    add_infusion(as_alice, series_id, "2026-03-09", "15:30")
    clock.set("2026-03-10T11:20", "Europe/London")
    assert form_values(parse(as_alice.get(f"/treatments/series/{series_id}/infusions/new")))["start_time"] == "11:20"


def test_logging_an_infusion_without_a_series_starts_with_the_series(as_alice):
    response = as_alice.get("/treatments/infusions/new")
    assert response.status_code == 302 and response.location == "/treatments/series/new"


def test_a_half_filled_infusion_is_kept(as_alice, db):
    series_id = add_series(as_alice)
    add_infusion(as_alice, series_id, "2026-03-10", "08:00")
    infusion = db.exec(select(Infusion)).one()
    assert (infusion.day, infusion.dose_mg, infusion.pain_before, infusion.pain_after,
            infusion.pain_2h, infusion.pain_24h) == (date(2026, 3, 10), None, None, None, None, None)


def test_the_later_pain_is_asked_on_the_today_page_and_completed_later(as_alice, db, clock):
    clock.set("2026-03-10T09:00", "Europe/London")
    series_id = add_series(as_alice)
    infusion_id = add_infusion(as_alice, series_id, "2026-03-10", "09:00", pain_before="7",
                               pain_after="4")

    def prompt():
        node = parse(as_alice.get("/today")).select_one(".later-pain a")
        return (node.get_text(" ", strip=True), node["href"]) if node else None

    clock.set("2026-03-10T10:30", "Europe/London")
    assert prompt() is None  # too soon for the 2 hour pain
    clock.set("2026-03-10T11:30", "Europe/London")
    text, href = prompt()
    assert href == f"/treatments/infusions/{infusion_id}/later"
    assert text.endswith("Add the pain 2 hours and 24 hours after")

    response = as_alice.post(href, data={"pain_2h": "3", "pain_24h": ""})
    assert response.status_code == 302
    db.expire_all()
    infusion = db.get(Infusion, infusion_id)
    assert (infusion.pain_before, infusion.pain_after, infusion.pain_2h, infusion.pain_24h) == (7, 4, 3, None)
    clock.set("2026-03-10T20:00", "Europe/London")
    assert prompt() is None  # 2 h given; the 24 h pain is not due yet

    clock.set("2026-03-11T09:30", "Europe/London")
    assert prompt()[0].endswith("Add the pain 24 hours after")
    as_alice.post(href, data={"pain_24h": "5"})
    db.expire_all()
    assert (db.get(Infusion, infusion_id).pain_2h, db.get(Infusion, infusion_id).pain_24h) == (3, 5)
    assert prompt() is None
    row = parse(as_alice.get(f"/treatments/series/{series_id}")).select_one(f"#infusion-{infusion_id}")
    assert [td.get_text(" ", strip=True) for td in row.select(".changes td")][1:] == [
        "−3 less pain", "−4 less pain", "−2 less pain"]


def test_the_later_pain_is_not_asked_after_two_days(as_alice, clock):
    clock.set("2026-03-10T09:00", "Europe/London")
    add_infusion(as_alice, add_series(as_alice), "2026-03-10", "09:00")
    clock.set("2026-03-12T09:01", "Europe/London")
    assert parse(as_alice.get("/today")).select_one(".later-pain") is None


def test_a_bad_later_pain_is_refused(as_alice, db):
    infusion_id = add_infusion(as_alice, add_series(as_alice), "2026-03-10", "08:00")
    response = as_alice.post(f"/treatments/infusions/{infusion_id}/later", data={"pain_2h": "12"})
    assert response.status_code == 422
    assert field_error(response, "pain_2h") == "Pain 2 hours after must be a whole number between 0 and 10"
    assert db.get(Infusion, infusion_id).pain_2h is None


def test_side_effects_during_and_after_use_the_diary_list_and_severities(as_alice, db):
    series_id = add_series(as_alice)
    infusion_id = add_infusion(as_alice, series_id, "2026-03-10", se_during_dissociation="severe",
                               se_during_nausea="mild", se_after_drowsiness="moderate",
                               se_after_other="mild", se_after_other_text="metallic taste")
    effects = {(e.phase, e.symptom): (e.severity, e.detail) for e in db.exec(select(InfusionSideEffect))}
    assert effects == {("during", "dissociation"): (3, None), ("during", "nausea"): (1, None),
                       ("after", "drowsiness"): (2, None), ("after", "other"): (1, "metallic taste")}
    page = parse(as_alice.get(f"/treatments/infusions/{infusion_id}/edit"))
    checked = page.find("input", {"name": "se_during_dissociation", "checked": True})
    assert checked["value"] == "severe"
    legend = page.find(id="se_during_dissociation").find("legend").get_text(" ", strip=True)
    assert legend == "Dissociation (feeling detached or unreal)"


def test_changing_an_infusion_replaces_what_was_there(as_alice, db):
    series_id = add_series(as_alice)
    infusion_id = add_infusion(as_alice, series_id, "2026-03-10", dose_mg="50",
                               se_during_dizziness="mild")
    values = form_values(parse(as_alice.get(f"/treatments/infusions/{infusion_id}/edit")))
    assert (values["dose_mg"], values["se_during_dizziness"]) == ("50", "mild")
    response = as_alice.post(f"/treatments/infusions/{infusion_id}/edit",
                             data={**values, "dose_mg": "60", "se_during_dizziness": "none",
                                   "pain_before": "5"})
    assert response.status_code == 302
    db.expire_all()
    infusion = db.get(Infusion, infusion_id)
    assert (infusion.dose_mg, infusion.pain_before) == (Decimal("60"), 5)
    assert db.exec(select(InfusionSideEffect)).all() == []


def test_deleting_an_infusion_asks_first(as_alice, db):
    infusion_id = add_infusion(as_alice, add_series(as_alice), "2026-03-10", se_after_nausea="mild")
    assert as_alice.get(f"/treatments/infusions/{infusion_id}/delete").status_code == 200
    assert db.get(Infusion, infusion_id) is not None
    assert as_alice.post(f"/treatments/infusions/{infusion_id}/delete").status_code == 302
    assert db.exec(select(Infusion)).all() == [] and db.exec(select(InfusionSideEffect)).all() == []


@pytest.mark.parametrize("form, field, message", [
    ({"dose_mg": "-5"}, "dose_mg", "Dose must be between 0.01 and 1000 mg"),
    ({"dose_mg": "0"}, "dose_mg", "Dose must be between 0.01 and 1000 mg"),
    ({"dose_mg": "25000"}, "dose_mg", "Dose must be between 0.01 and 1000 mg"),
    ({"dose_mg": "fifty"}, "dose_mg", "Dose must be a number"),
    ({"duration_min": "1500"}, "duration_min", "Duration cannot be more than 24 hours (1440 minutes)"),
    ({"duration_min": "0"}, "duration_min", "Duration must be a whole number between 1 and 1440 minutes"),
    ({"weight_kg": "0"}, "weight_kg", "Body weight must be between 10 and 400 kg"),
    ({"pain_before": "11"}, "pain_before", "Pain right before must be a whole number between 0 and 10"),
    ({"pain_after": "-1"}, "pain_after", "Pain right after must be a whole number between 0 and 10"),
    ({"pain_24h": "7.5"}, "pain_24h", "Pain 24 hours after must be a whole number between 0 and 10"),
    ({"day": "2026-03-11"}, "day", "Date cannot be in the future (today is 2026-03-10)"),
    ({"start_time": "12:30"}, "start_time", "Start time cannot be later than now (12:00)"),
    ({"start_time": "25:00"}, "start_time", "Start time must be a time of day, like 09:30"),
    ({"start_time": ""}, "start_time", "Enter the start time, like 09:30"),
    ({"se_during_nausea": "awful"}, "se_during_nausea", "Choose how bad nausea or vomiting was from the list"),
    ({"se_after_other": "mild"}, "se_after_other_text", "Describe the other side effect"),
])
def test_a_bad_infusion_is_refused_and_nothing_is_stored(as_alice, db, form, field, message):
    series_id = add_series(as_alice)
    data = {"day": "2026-03-10", "start_time": "09:00", "pain_before": "6",
            "se_during_dizziness": "mild", **form}
    response = as_alice.post(f"/treatments/series/{series_id}/infusions", data=data)
    assert response.status_code == 422
    assert field_error(response, field) == message
    assert message in summary_errors(response)
    assert parse(response).find("title").get_text().startswith("Error: Log an infusion")
    assert db.exec(select(Infusion)).all() == [] and db.exec(select(InfusionSideEffect)).all() == []
    # What was typed is still there.
    assert parse(response).find("input", {"name": "se_during_dizziness", "checked": True})["value"] == "mild"


def test_a_rejected_change_leaves_the_infusion_as_it_was(as_alice, db):
    infusion_id = add_infusion(as_alice, add_series(as_alice), "2026-03-10", dose_mg="50",
                               se_during_dizziness="mild")
    response = as_alice.post(f"/treatments/infusions/{infusion_id}/edit", data={
        "day": "2026-03-10", "start_time": "09:00", "dose_mg": "-1", "se_during_dizziness": "none"})
    assert response.status_code == 422
    db.expire_all()
    assert db.get(Infusion, infusion_id).dose_mg == Decimal("50")
    assert len(db.exec(select(InfusionSideEffect)).all()) == 1


def test_a_refused_form_opens_only_the_section_with_the_problem(as_alice):
    series_id = add_series(as_alice)
    response = as_alice.post(f"/treatments/series/{series_id}/infusions", data={
        "day": "2026-03-10", "start_time": "09:00", "se_after_other": "mild"})
    sections = {" ".join(d.summary.get_text(" ", strip=True).split()): d.has_attr("open")
                for d in parse(response).select("form details")}
    assert sections == {"Pain 2 hours and 24 hours after (later)": False,
                        "Side effects during the infusion (optional)": False,
                        "Side effects after the infusion (optional)": True}


def test_for_a_spray_or_lozenge_it_is_a_dose_not_an_infusion(as_alice):
    series_id = add_series(as_alice, route="intranasal")
    page = parse(as_alice.get(f"/treatments/series/{series_id}/infusions/new"))
    assert page.find("h1").get_text(strip=True) == "Log a dose"
    assert page.select_one("form.entry-form button[type=submit]").get_text(strip=True) == "Save the dose"


def test_a_new_series_proposes_the_last_dose_only_from_the_same_route(as_alice):
    add_infusion(as_alice, add_series(as_alice, name="IV"), "2026-03-09", "09:00", dose_mg="55")
    same_route = add_series(as_alice, name="IV again", route="iv")
    spray = add_series(as_alice, name="Spray", route="intranasal")
    assert form_values(parse(as_alice.get(f"/treatments/series/{same_route}/infusions/new")))["dose_mg"] == "55"
    assert form_values(parse(as_alice.get(f"/treatments/series/{spray}/infusions/new")))["dose_mg"] == ""
