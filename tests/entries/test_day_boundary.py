"""A diary day is the patient's own calendar day, not UTC's."""

from datetime import date, datetime, timezone

import pytest
from sqlmodel import select

from diary.days import today_in
from diary.models import Entry
from tests.conftest import make_patient


@pytest.mark.parametrize("instant_utc, time_zone, expected", [
    ("2026-03-02T09:30", "Pacific/Honolulu", date(2026, 3, 1)),  # 23:30 on the 1st in Honolulu
    ("2026-03-01T15:30", "Pacific/Auckland", date(2026, 3, 2)),  # 04:30 on the 2nd in Auckland
    ("2026-03-29T00:30", "Europe/London", date(2026, 3, 29)),  # the night the clocks go forward
    ("2026-03-01T23:59", "UTC", date(2026, 3, 1)),
])
def test_today_in_the_patients_time_zone(instant_utc, time_zone, expected):
    now = datetime.fromisoformat(instant_utc).replace(tzinfo=timezone.utc)
    assert today_in(time_zone, now) == expected


def test_logging_at_2330_local_time_lands_on_that_day(app, client, auth, db, clock):
    make_patient(app, "kai@example.com", "Kai", time_zone="Pacific/Honolulu")
    auth.login("kai@example.com")
    clock.set("2026-03-01T23:30", "Pacific/Honolulu")  # already 2 March in UTC
    page = client.get("/today").get_data(as_text=True)
    assert 'name="day" value="2026-03-01"' in page
    assert client.post("/entries", data={"day": "2026-03-01", "pain_avg": "4"}).status_code == 302
    assert db.exec(select(Entry.day)).all() == [date(2026, 3, 1)]


def test_a_day_that_is_today_locally_is_not_the_future(app, client, auth, db, clock):
    make_patient(app, "mia@example.com", "Mia", time_zone="Pacific/Auckland")
    auth.login("mia@example.com")
    clock.set("2026-03-02T04:30", "Pacific/Auckland")  # still 1 March in UTC
    assert client.post("/entries", data={"day": "2026-03-02", "pain_avg": "4"}).status_code == 302
    assert client.post("/entries", data={"day": "2026-03-03", "pain_avg": "4"}).status_code == 422
