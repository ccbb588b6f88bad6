"""What "Log today" costs right after a save:
`python -m tests.benchmark.today_after_save [--open-window] [--bare]`.

"Log today" says what an open before/after window still needs (diary.trends.still_needed). While
a window is open it loads the diary from that series' before window on and analyses it after each
change (loading and analysing the whole history took ~170 ms here); otherwise one small query
decides that there is nothing to say. On the benchmark's
heavy patient (three years; its last series ended 74 days ago), each round saves today's entry
(a real change, not timed) and then times one GET /today; the best of five rounds of REQUESTS.
--open-window first adds a series with an infusion 3 days ago (its after window is open);
--bare skips the words altogether, for comparison.
"""

import os
import re
import sys
import time
from datetime import date, timedelta

from tests.benchmark.profile import ROUNDS, logged_in, requester, seeded_app

REQUESTS = int(os.environ.get("REQUESTS", "40"))


def open_a_window(client) -> None:
    page = client.get("/today").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    made = client.post("/treatments/series", data={"name": "Winter", "condition": "crps",
                                                   "route": "iv", "csrf_token": token})
    series_path = "/treatments/series/" + re.search(r"/series/(\d+)", made.location).group(1)
    day = date.today() - timedelta(days=3)
    added = client.post(f"{series_path}/infusions", data={"day": day.isoformat(), "start_time": "09:00",
                                                          "csrf_token": token})
    assert (made.status_code, added.status_code) == (302, 302), (made.location, added.status_code)


def main() -> None:
    app = seeded_app()
    if "--bare" in sys.argv:
        from diary.entries import views
        views.still_needed_today = lambda today: ()
    client = logged_in(app)
    if "--open-window" in sys.argv:
        open_a_window(client)
    save = requester(client, "post")
    for _ in range(5):  # warm: templates compiled
        save()
        client.get("/today")
    rounds = []
    for _ in range(ROUNDS):
        spent = 0.0
        for _ in range(REQUESTS):
            save()
            started = time.perf_counter()
            response = client.get("/today")
            spent += time.perf_counter() - started
            assert response.status_code == 200, response.status_code
        rounds.append(spent / REQUESTS * 1000)
    label = ("bare" if "--bare" in sys.argv else "with what the analysis still needs") + (
        ", a window open" if "--open-window" in sys.argv else ", no window open")
    print(f"/today after a save ({label}): {min(rounds):.1f} ms per request "
          f"(best of {ROUNDS} rounds of {REQUESTS})")


if __name__ == "__main__":
    main()
