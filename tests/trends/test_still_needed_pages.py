""""Log today" and the before/after page say what an open window still needs (issue 20)."""

from datetime import date, timedelta

from sqlmodel import select

from diary.models import Entry
from tests.html import parse
from tests.treatments.conftest import add_infusion, add_series

DETAIL = {"pain_worst": "7", "interference_enjoyment": "5", "interference_activity": "6",
          "mood": "4", "sleep_quality": "3"}
INFUSION_DAY = date(2026, 11, 12)  # before window 29 Oct - 11 Nov, after window 13-26 Nov


def log(client, day: date, pain: str = "6", detail: bool = False):
    response = client.post("/entries", data={"day": day.isoformat(), "pain_avg": pain,
                                             **(DETAIL if detail else {})})
    assert response.status_code == 302, response.get_data(as_text=True)


def after_day(n: int) -> date:
    return INFUSION_DAY + timedelta(days=n)


def mostly_quick_patient(client, clock, db):
    """11 of the after window's first 12 days logged, only 5 with the detail form; today is the
    window's 12th day, so 2 days are still to come."""
    clock.set("2026-11-24T20:00", "Europe/London")
    series_id = add_series(client, name="Autumn")
    add_infusion(client, series_id, INFUSION_DAY.isoformat())
    for n in range(1, 15):
        log(client, INFUSION_DAY - timedelta(days=n), detail=True)
    for n in (1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12):
        log(client, after_day(n), pain="4", detail=n <= 5)
    assert len(db.exec(select(Entry)).all()) == 25


def test_quick_logging_11_of_14_days_shows_what_would_complete_the_detail_measures(as_alice, clock, db):
    mostly_quick_patient(as_alice, clock, db)
    page = parse(as_alice.get("/trends/"))
    statuses = [node.get_text(" ", strip=True) for node in page.select(".measure .no-number")]
    assert statuses.count("not enough data (5 of 14 days logged)") == 4  # PEG, worst, mood, sleep
    hint = page.select_one("#series-1 .still-needed").get_text(" ", strip=True)
    assert hint == ("Add the detail form to 2 more days by 26 November (days you already logged "
                    "count too), to see PEG, worst pain, mood and sleep quality for the Autumn series.")


def test_log_today_says_the_same_and_links_to_the_before_after_page(as_alice, clock, db):
    mostly_quick_patient(as_alice, clock, db)
    hint = parse(as_alice.get("/today")).select_one(".still-needed")
    assert hint.get_text(" ", strip=True).startswith("Add the detail form to 2 more days by 26 November")
    assert hint.find("a")["href"] == "/trends/#series-1"


def test_once_the_window_has_ended_neither_page_says_anything(as_alice, clock, db):
    mostly_quick_patient(as_alice, clock, db)
    clock.set("2026-11-27T09:00", "Europe/London")
    assert parse(as_alice.get("/trends/")).select(".still-needed") == []
    assert parse(as_alice.get("/today")).select(".still-needed") == []


def test_adding_the_detail_form_to_two_logged_days_completes_it_and_the_words_go(as_alice, clock, db):
    mostly_quick_patient(as_alice, clock, db)
    for n in (7, 8):
        entry = db.exec(select(Entry).where(Entry.day == after_day(n))).one()
        response = as_alice.post(f"/entries/{entry.id}", data={
            "day": after_day(n).isoformat(), "pain_avg": "4", **DETAIL})
        assert response.status_code == 302
    assert parse(as_alice.get("/today")).select(".still-needed") == []
    page = parse(as_alice.get("/trends/"))
    assert page.select(".still-needed") == []
    statuses = [node.get_text(" ", strip=True) for node in page.select(".measure .no-number")]
    assert statuses == ["not enough data (0 of 14 days logged)"] * 2 + ["no comparison"]  # MME only


def test_log_today_reads_only_the_open_series_days_and_says_what_the_whole_analysis_says(
        as_alice, clock, db):
    # An earlier series whose after window ended long ago, then the mostly-quick one: Log today
    # loads the diary from the open series' before window on, and must agree with /trends/.
    clock.set("2026-11-24T20:00", "Europe/London")
    earlier = add_series(as_alice, name="Summer")
    add_infusion(as_alice, earlier, "2026-07-01")
    for n in range(1, 15):
        log(as_alice, date(2026, 7, 1) + timedelta(days=n), detail=n % 2 == 0)
    series_id = add_series(as_alice, name="Autumn")
    add_infusion(as_alice, series_id, INFUSION_DAY.isoformat())
    for n in range(1, 15):
        log(as_alice, INFUSION_DAY - timedelta(days=n), detail=True)
    for n in (1, 2, 3, 4, 5):
        log(as_alice, after_day(n), pain="4", detail=n <= 2)
    today_words = [node.get_text(" ", strip=True).removesuffix(" See the before and after")
                   for node in parse(as_alice.get("/today")).select(".still-needed")]
    trends_words = [node.get_text(" ", strip=True)
                    for node in parse(as_alice.get("/trends/")).select(".still-needed")]
    assert today_words == trends_words == [
        "Log 2 more days by 26 November, with the detail form on at least 5 (days you already "
        "logged count too), to see the Autumn series' result."]
