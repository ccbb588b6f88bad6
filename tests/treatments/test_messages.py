"""What the infusion and series pages tell the patient matches what was actually entered (issue 19)."""

from tests.html import parse
from tests.treatments.conftest import add_infusion, add_series


def saved_message(client, response) -> str:
    page = parse(client.get(response.location))
    return " ".join(page.select(".flash-success")[-1].get_text(" ", strip=True).split())


def test_an_infusion_saved_with_its_2h_and_24h_pain_asks_for_nothing_more(as_alice, clock):
    clock.set("2026-03-12T10:00", "Europe/London")
    series_id = add_series(as_alice)
    response = as_alice.post(f"/treatments/series/{series_id}/infusions", data={
        "day": "2026-03-10", "start_time": "09:00", "pain_before": "7", "pain_after": "3",
        "pain_2h": "3", "pain_24h": "4"})
    assert saved_message(as_alice, response) == "The infusion of Tuesday 10 March is saved."


def test_an_infusion_saved_with_its_2h_pain_asks_only_for_the_24h_pain(as_alice, clock):
    clock.set("2026-03-10T12:00", "Europe/London")
    series_id = add_series(as_alice)
    response = as_alice.post(f"/treatments/series/{series_id}/infusions", data={
        "day": "2026-03-10", "start_time": "09:00", "pain_2h": "3"})
    assert saved_message(as_alice, response) == (
        "The infusion of Tuesday 10 March is saved. You can add the pain 24 hours after later: "
        "the Log today page will remind you.")


def test_an_infusion_entered_long_after_says_where_to_add_its_later_pain(as_alice, clock):
    clock.set("2026-03-20T12:00", "Europe/London")
    series_id = add_series(as_alice)
    response = as_alice.post(f"/treatments/series/{series_id}/infusions", data={
        "day": "2026-03-01", "start_time": "09:00"})
    assert saved_message(as_alice, response) == (
        "The infusion of Sunday 1 March is saved. You can add the pain 2 hours and 24 hours after "
        "from this series page.")


def test_the_first_infusion_of_a_patient_says_nothing_was_filled_in(as_alice, clock):
    clock.set("2026-03-10T12:00", "Europe/London")
    series_id = add_series(as_alice)
    page = parse(as_alice.get(f"/treatments/series/{series_id}/infusions/new"))
    hints = [" ".join(hint.get_text(" ", strip=True).split()) for hint in page.select("form .hint")]
    assert not any("Filled in from last time" in hint for hint in hints)
    assert "Anything you do not know yet can be added later." in hints


def test_the_next_infusion_says_it_was_filled_in_from_last_time(as_alice, clock):
    clock.set("2026-03-10T12:00", "Europe/London")
    series_id = add_series(as_alice)
    add_infusion(as_alice, series_id, "2026-03-09", dose_mg="35")
    page = parse(as_alice.get(f"/treatments/series/{series_id}/infusions/new"))
    hints = [" ".join(hint.get_text(" ", strip=True).split()) for hint in page.select("form .hint")]
    assert ("Filled in from last time: change what was different. Anything you do not know yet "
            "can be added later.") in hints


def test_a_past_series_being_entered_does_not_ask_for_the_impression_of_change(as_alice, clock):
    """Entering last year's series: after its first infusion more are still to come."""
    clock.set("2026-06-10T12:00", "Europe/London")
    series_id = add_series(as_alice)
    add_infusion(as_alice, series_id, "2026-01-05")
    assert parse(as_alice.get(f"/treatments/series/{series_id}")).find(id="pgic") is None
    add_infusion(as_alice, series_id, "2026-01-07")
    assert parse(as_alice.get(f"/treatments/series/{series_id}")).find(id="pgic") is None
    clock.set("2026-06-11T09:00", "Europe/London")  # back another day: the series is entered
    assert parse(as_alice.get(f"/treatments/series/{series_id}")).find(id="pgic") is not None
