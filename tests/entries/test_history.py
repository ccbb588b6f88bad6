"""History: newest first, more pages as the patient scrolls."""

from datetime import date, timedelta

from tests.html import parse


def test_history_is_newest_first_and_loads_more_as_you_scroll(as_alice, clock):
    clock.set("2026-03-10T09:00")
    start = date(2026, 1, 1)
    for offset in range(25):
        as_alice.post("/entries", data={"day": (start + timedelta(days=offset)).isoformat(),
                                        "pain_avg": str(offset % 11)})
    page = parse(as_alice.get("/entries"))
    titles = [h.get_text() for h in page.select(".entry-row .row-title")]
    assert len(titles) == 20
    assert titles[0] == "Sunday 25 January 2026" and titles[-1] == "Tuesday 6 January 2026"
    more = page.select_one(".load-more")
    assert more["hx-trigger"] == "revealed"
    assert more["hx-get"] == "/entries?before=2026-01-06"
    rest = as_alice.get(more["hx-get"], headers={"HX-Request": "true"})
    fragment = parse(rest)
    assert fragment.find("html") is None
    assert [h.get_text() for h in fragment.select(".row-title")] == [
        "Monday 5 January 2026", "Sunday 4 January 2026", "Saturday 3 January 2026",
        "Friday 2 January 2026", "Thursday 1 January 2026"]
    assert fragment.select_one(".load-more") is None


def test_empty_history_says_how_to_start(as_alice):
    page = parse(as_alice.get("/entries"))
    assert "Nothing logged yet" in page.select_one(".empty").get_text()


def test_history_without_javascript_pages_through_links(as_alice):
    for day in range(1, 23):
        as_alice.post("/entries", data={"day": f"2026-01-{day:02d}", "pain_avg": "3"})
    page = parse(as_alice.get("/entries"))
    link = page.select_one(".load-more a")["href"]
    older = parse(as_alice.get(link))
    assert older.find("html") is not None
    assert len(older.select(".entry-row")) == 2
