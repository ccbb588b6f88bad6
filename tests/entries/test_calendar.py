"""History's month calendar and its compact backfill (issue 20)."""

from datetime import date

import pytest
from sqlmodel import select

from diary.models import Entry
from tests.html import parse
from tests.routes import data_versions
from tests.treatments.conftest import add_infusion, add_series


@pytest.fixture(autouse=True)
def fixed_now(clock):
    clock.set("2026-11-20T09:00", "Europe/London")


def log(client, day: str, pain: str = "5"):
    assert client.post("/entries", data={"day": day, "pain_avg": pain}).status_code == 302


def cell(page, day: int):
    """The calendar's cell for ``day`` of the month shown."""
    return next(td for td in page.select("table.calendar td.day")
                if td.select_one(".day-number").get_text(strip=True) == str(day))


def words(td) -> str:
    """What a screen reader says for the cell."""
    return td.select_one(".visually-hidden").get_text(strip=True)


def entries(db) -> dict[str, int]:
    return {entry.day.isoformat(): entry.pain_avg for entry in db.exec(select(Entry))}


@pytest.fixture
def diary(as_alice):
    """Logged on 2, 3 and 5 November (pain 2, 7, 9); an infusion on 5 November."""
    for day, pain in (("2026-11-02", "2"), ("2026-11-03", "7"), ("2026-11-05", "9")):
        log(as_alice, day, pain)
    add_infusion(as_alice, add_series(as_alice, name="Autumn"), "2026-11-05")
    return as_alice


def test_each_logged_day_shows_its_pain_as_a_number_and_a_band(diary):
    page = parse(diary.get("/entries/calendar"))
    assert page.find("h2", id="month-title").get_text(strip=True) == "November 2026"
    third = cell(page, 3)
    assert third.select_one(".day-value").get_text(strip=True) == "7"
    assert "pain-6-7" in third["class"]
    assert words(third) == "Tuesday 3 November 2026: pain 7" and third.find("a") is not None
    assert "pain-2-3" in cell(page, 2)["class"]


def test_missing_days_stand_out_and_infusion_days_are_marked(diary):
    page = parse(diary.get("/entries/calendar"))
    fourth = cell(page, 4)
    assert "day-missing" in fourth["class"]
    assert words(fourth) == "Wednesday 4 November 2026: not logged, fill it in"
    assert fourth.find("a")["href"] == "/entries/calendar?month=2026-11&day=2026-11-04#backfill"
    fifth = cell(page, 5)
    assert fifth.select_one(".day-mark").get_text(strip=True) == "Inf"
    assert words(fifth) == "Thursday 5 November 2026: pain 9, infusion day"
    # Today is not missing yet, and the days after today can't be logged.
    assert "day-today" in cell(page, 20)["class"]
    assert "day-future" in cell(page, 21)["class"] and cell(page, 21).find("a") is None
    # The diary began with the infusion's before window (22 October): 1 and 4 November and
    # 6..19 November are missing.
    assert "day-missing" in cell(page, 1)["class"]
    assert page.select_one(".calendar-summary").get_text(" ", strip=True).startswith("16 days missing")


def test_months_page_back_to_the_diarys_start_and_forward_to_this_one(diary):
    page = parse(diary.get("/entries/calendar"))
    assert page.find("a", rel="prev")["href"] == "/entries/calendar?month=2026-10"
    assert page.find("a", rel="next") is None
    october = parse(diary.get("/entries/calendar?month=2026-10"))
    assert october.find("h2", id="month-title").get_text(strip=True) == "October 2026"
    # The before window of the infusion on 5 November began on 22 October: the days before it
    # are not missing and have no backfill link.
    assert "day-missing" in cell(october, 22)["class"]
    assert "day-before-start" in cell(october, 21)["class"] and cell(october, 21).find("a") is None
    assert october.find("a", rel="prev") is None
    assert october.find("a", rel="next")["href"] == "/entries/calendar?month=2026-11"


@pytest.mark.parametrize("month", ["2026-12", "2026-13", "soon", "0999-01"])
def test_a_month_in_the_future_or_not_a_month_answers_422_with_a_message(diary, month):
    response = diary.get(f"/entries/calendar?month={month}")
    assert response.status_code == 422
    assert "Choose a month from the past or this one" in parse(response).select_one(".flash-error").get_text()


def test_tapping_a_missing_day_opens_the_compact_backfill(diary):
    page = parse(diary.get("/entries/calendar?month=2026-11&day=2026-11-04"))
    panel = page.find(id="backfill")
    assert panel.find("h2").get_text(strip=True) == "Fill in Wednesday 4 November 2026"
    form = panel.find("form")
    assert form["action"] == "/entries/backfill" and form["hx-target"] == "#calendar-area"
    assert form.find("input", {"name": "day"})["value"] == "2026-11-04"
    assert len(form.select("fieldset#pain_avg input[type=radio]")) == 11
    details = form.select_one("details.more-detail")
    assert details is not None and not details.has_attr("open")  # details behind a toggle
    assert form.find("button", type="submit").get_text(strip=True) == "Save"


def test_an_htmx_request_gets_the_calendar_alone(diary):
    response = diary.get("/entries/calendar?month=2026-11&day=2026-11-04", headers={"HX-Request": "true"})
    assert "HX-Request" in response.headers["Vary"]
    page = parse(response)
    assert page.find("html") is None and page.find(id="calendar-area") is not None


def test_saving_a_missing_day_offers_the_next_missing_day(app, diary, db, alice):
    version = data_versions(app.extensions["diary_engine"])[alice.id]
    response = diary.post("/entries/backfill", data={"day": "2026-11-04", "pain_avg": "6"})
    assert response.status_code == 303
    assert response.location == "/entries/calendar?month=2026-11&saved=2026-11-04&day=2026-11-06#backfill"
    assert entries(db)["2026-11-04"] == 6
    assert data_versions(app.extensions["diary_engine"])[alice.id] == version + 1
    page = parse(diary.get(response.location))
    panel = page.find(id="backfill")
    assert panel.select_one(".flash-success").get_text(strip=True) == "Saved Wednesday 4 November 2026."
    assert panel.find("h2").get_text(strip=True) == "Next missing day: Friday 6 November 2026"
    assert "pain-6-7" in cell(page, 4)["class"]


def test_the_last_missing_day_saved_says_there_are_no_more(diary, db):
    # The diary began on 22 October (the infusion's before window): fill in all but 4 November.
    for day in [f"2026-10-{n}" for n in range(22, 32)] + ["2026-11-01"] + [
            f"2026-11-{n:02d}" for n in range(6, 20)]:
        log(diary, day)
    response = diary.post("/entries/backfill", data={"day": "2026-11-04", "pain_avg": "3"})
    assert response.location == "/entries/calendar?month=2026-11&saved=2026-11-04#backfill"
    panel = parse(diary.get(response.location)).find(id="backfill")
    assert panel.select_one(".flash-success").get_text(" ", strip=True) == (
        "Saved Wednesday 4 November 2026. No more missing days.")
    assert panel.find("form") is None


def test_a_backfill_without_pain_answers_422_with_the_message_and_stores_nothing(diary, db):
    response = diary.post("/entries/backfill", data={"day": "2026-11-04", "mood": "4"})
    assert response.status_code == 422
    page = parse(response)
    assert page.select_one("#pain_avg-error") is not None
    assert page.find(id="backfill").find("input", {"name": "day"})["value"] == "2026-11-04"
    assert page.select_one("#mood-4")["checked"] is not None  # what was typed is kept
    assert "2026-11-04" not in entries(db)


def test_a_future_day_cannot_be_backfilled(diary, db):
    response = diary.post("/entries/backfill", data={"day": "2026-11-21", "pain_avg": "4"})
    assert response.status_code == 422
    assert "2026-11-21" not in entries(db)
    assert diary.get("/entries/calendar?day=2026-11-21").status_code == 422


def test_a_day_already_logged_answers_409_and_changes_nothing(diary, db):
    response = diary.post("/entries/backfill", data={"day": "2026-11-03", "pain_avg": "1"})
    assert response.status_code == 409
    assert entries(db)["2026-11-03"] == 7
    assert "You already logged Tuesday 3 November 2026" in parse(response).get_text()


def test_a_logged_day_links_to_its_editor(diary, db):
    entry = db.exec(select(Entry).where(Entry.day == date(2026, 11, 3))).one()
    panel = parse(diary.get("/entries/calendar?day=2026-11-03")).find(id="backfill")
    assert panel.find("a")["href"] == f"/entries/{entry.id}/edit"


def test_another_patients_calendar_shows_none_of_alices_days(diary, client, auth, charlie):
    auth.logout()
    auth.login(charlie.email)
    page = parse(client.get("/entries/calendar?month=2026-11"))
    assert page.select("td.day-logged") == [] and page.select(".day-mark") == []
