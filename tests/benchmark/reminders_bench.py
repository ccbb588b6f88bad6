"""Benchmark: one pass of ``admin send-reminders`` over 10,000 patients, network left out.

10,000 patients in a dozen time zones have reminders on; a third logged today, a tenth had an
infusion yesterday or today, a tenth have a finished series waiting for its impression of change.
The pass works out what is due, claims it in the database and hands each reminder to a postman
that only counts (sending is network time, which the target leaves out). A second pass, with
everything already claimed, shows the cost of the every-minute run when nothing is new.

    python -m tests.benchmark.reminders_bench [--patients 10000] [--database-url URL]

Target (issue 20): under 5 s for the first pass.
"""

import argparse
import tempfile
import time
from datetime import date, datetime, time as clock_time, timedelta, timezone
from pathlib import Path

from sqlalchemy import insert

from diary import create_app
from diary.db import make_engine, upgrade
from diary.models import Entry, Infusion, InfusionSeries, Patient, ReminderSetting
from diary.reminders.delivery import send_due

ZONES = ("Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "Asia/Tokyo",
         "Australia/Sydney", "Pacific/Honolulu", "Asia/Kolkata", "America/Sao_Paulo", "Africa/Lagos",
         "Europe/Helsinki", "UTC")
NOW = datetime(2026, 3, 2, 20, 30, tzinfo=timezone.utc)


class CountingPostman:
    def __init__(self):
        self.emails = self.pushes = 0
        self.gone = []

    def email(self, address, reminder):
        self.emails += 1

    def push(self, subscription, reminder):
        self.pushes += 1


def seed(engine, patients: int) -> None:
    created = NOW - timedelta(days=60)
    with engine.begin() as connection:
        connection.execute(insert(Patient.__table__), [
            {"id": number, "email": f"p{number}@bench.example", "display_name": f"P{number}",
             "password_hash": "x", "time_zone": ZONES[number % len(ZONES)], "session_secret": f"s{number}",
             "trends_before_days": 14, "trends_after_days": 14, "questionnaire_interval_days": 14,
             "data_version": 0, "created_at": created} for number in range(1, patients + 1)])
        connection.execute(insert(ReminderSetting.__table__), [
            {"patient_id": number, "times": "08:00,20:00" if number % 2 else "07:30", "by_email": True,
             "by_push": number % 3 == 0, "after_infusion": True, "quiet_from": None, "quiet_until": None,
             "snoozed_day": None} for number in range(1, patients + 1)])
        connection.execute(insert(Entry.__table__), [
            {"patient_id": number, "day": day, "pain_avg": 4, "created_at": created, "updated_at": created}
            for number in range(1, patients + 1, 3)
            for day in (date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3))])
        connection.execute(insert(InfusionSeries.__table__), [
            {"id": number, "patient_id": number, "name": "Series", "condition": "crps", "route": "iv",
             "created_at": created, "updated_at": created} for number in range(1, patients + 1, 5)])
        connection.execute(insert(Infusion.__table__), [
            {"series_id": number, "day": date(2026, 3, 2) if number % 10 == 1 else date(2026, 1, 20),
             "start_time": clock_time(9, 0), "created_at": created, "updated_at": created}
            for number in range(1, patients + 1, 5)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="reminders-bench-"))
    url = options.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    seed(engine, options.patients)
    # Mail "configured" so e-mails are handed to the postman; nothing connects to this address.
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "SMTP_HOST": "127.0.0.1",
                      "SMTP_FROM": "bench@example.org", "PUBLIC_URL": "https://diary.example.org"},
                     instance_path=str(folder / "instance"))
    with app.app_context():
        for label in ("first pass", "second pass (all claimed)"):
            postman = CountingPostman()
            with engine.connect() as connection:
                started = time.perf_counter()
                claimed = send_due(app, connection, NOW, postman)
                seconds = time.perf_counter() - started
            print(f"{label}: {options.patients} patients, {len(claimed)} reminders claimed "
                  f"({postman.emails} e-mails, {postman.pushes} pushes handed over) in {seconds:.2f} s")


if __name__ == "__main__":
    main()
