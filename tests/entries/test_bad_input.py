"""Bad input gets a clear message next to its field and a 4xx, and nothing is stored."""

import pytest
from sqlmodel import select

from diary.models import Entry, EntrySideEffect
from tests.html import field_error, parse


@pytest.fixture(autouse=True)
def fixed_today(clock):
    clock.set("2026-03-10T12:00", "Europe/London")


@pytest.mark.parametrize("form, field, message", [
    ({"pain_avg": "11"}, "pain_avg", "Average pain in the last 24 hours must be a whole number between 0 and 10"),
    ({"pain_avg": "-1"}, "pain_avg", "Average pain in the last 24 hours must be a whole number between 0 and 10"),
    ({"pain_avg": "4.5"}, "pain_avg", "Average pain in the last 24 hours must be a whole number between 0 and 10"),
    ({"pain_avg": "٣"}, "pain_avg", "Average pain in the last 24 hours must be a whole number between 0 and 10"),
    ({"pain_avg": ""}, "pain_avg", "Choose a number from 0 to 10 for average pain in the last 24 hours"),
    ({"pain_avg": "5", "mood": "99999999999999999999"}, "mood", "Mood must be a whole number between 0 and 10"),
    ({"pain_avg": "5", "day": "2026-03-11"}, "day", "Date cannot be in the future (today is 2026-03-10)"),
    ({"pain_avg": "5", "day": "2026-02-30"}, "day", "Date must be a real date, like 2026-03-10"),
    ({"pain_avg": "5", "day": ""}, "day", "Enter date"),
    ({"pain_avg": "5", "notes": "x" * 2001}, "notes", "Notes must be 2000 characters or fewer (you typed 2001)"),
    ({"pain_avg": "5", "se_nausea": "unbearable"}, "se_nausea", "Choose how bad nausea or vomiting was from the list"),
    ({"pain_avg": "5", "se_other": "mild"}, "se_other_text", "Describe the other side effect"),
])
def test_bad_entry_is_refused_and_nothing_is_stored(as_alice, db, form, field, message):
    data = {"day": "2026-03-10", **form}
    response = as_alice.post("/entries", data=data)
    assert response.status_code == 422
    assert field_error(response, field) == message
    assert db.exec(select(Entry)).all() == [] and db.exec(select(EntrySideEffect)).all() == []


def test_a_refused_form_keeps_what_was_typed(as_alice):
    response = as_alice.post("/entries", data={"day": "2026-03-10", "pain_avg": "11", "mood": "7",
                                               "notes": "kept", "se_nausea": "moderate"})
    page = parse(response)
    assert page.find("input", {"name": "mood", "checked": True})["value"] == "7"
    assert page.find("input", {"name": "se_nausea", "checked": True})["value"] == "moderate"
    assert page.find("textarea", {"name": "notes"}).get_text() == "kept"
    assert page.find("title").get_text().startswith("Error: Log a day")


def test_a_second_entry_for_a_day_from_a_stale_form_is_refused(as_alice, db):
    as_alice.post("/entries", data={"day": "2026-03-10", "pain_avg": "4"})
    stale = as_alice.post("/entries", data={"day": "2026-03-10", "pain_avg": "9"})
    assert stale.status_code == 409
    assert "You already logged Tuesday 10 March 2026" in field_error(stale, "day")
    assert parse(stale).select_one(".notice a")["href"].endswith("/edit")
    assert [e.pain_avg for e in db.exec(select(Entry))] == [4]


def test_a_too_large_request_is_refused_cleanly(as_alice, db):
    response = as_alice.post("/entries", data={"day": "2026-03-10", "pain_avg": "4", "notes": "x" * 3_000_000})
    assert response.status_code == 413
    assert db.exec(select(Entry)).all() == []


def test_unknown_fields_are_ignored(as_alice, db):
    response = as_alice.post("/entries", data={"day": "2026-03-10", "pain_avg": "4", "patient_id": "999"})
    assert response.status_code == 302
    assert db.exec(select(Entry)).one().pain_avg == 4
