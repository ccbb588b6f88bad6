"""Where one request's time goes, in-process: `python -m tests.benchmark.profile PATH [--cprofile]`.

The benchmark (run.py) says how fast the real server is; this says why. It seeds the benchmark's
heavy patient into a fresh SQLite file, logs in through Flask's test client and requests PATH
(e.g. /today, /entries, /trends/) again and again: the best of five rounds, since the machine may
be shared, in milliseconds per request. Two more paths give the floor: /logged-in-noop (a route
that only needs the logged-in patient) and /noop (one that needs nothing). `post` saves today's
entry the way the benchmark does, each save a real change; `share` opens a share link of the
patient's as a clinician would. With --cprofile it also prints
cProfile's cumulative list (set SORT=tottime for the self-time one).
"""

import cProfile
import os
import pstats
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from tests.benchmark.run import EntryForm, entry_posts

# REQUESTS=3 for a slow path such as /export/fhir.json (a three-year diary as one FHIR Bundle).
ROUNDS, REQUESTS = 5, int(os.environ.get("REQUESTS", "200"))


def seeded_app():
    workdir = Path(tempfile.mkdtemp(prefix="diary-profile-"))
    os.environ.update({"DIARY_DATABASE_URL": f"sqlite:///{workdir / 'diary.sqlite3'}",
                       "DIARY_INSTANCE_PATH": str(workdir / "instance"), "DIARY_LOG_LEVEL": "WARNING"})
    from flask_login import login_required

    from diary import create_app
    from diary.db import upgrade
    from tests.benchmark.seed import seed

    app = create_app()
    app.add_url_rule("/noop", "noop", lambda: "ok")
    app.add_url_rule("/logged-in-noop", "logged_in_noop", login_required(lambda: "ok"))
    upgrade(app.extensions["diary_engine"])
    with app.test_request_context():
        seed(app.extensions["diary_engine"], date.today(), light_patients=0)
    return app


def logged_in(app):
    from tests.benchmark.seed import HEAVY_EMAIL, PASSWORD

    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post("/login", data={"email": HEAVY_EMAIL, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302, response.status_code
    return client


def share_path(client) -> str:
    """Make a share link through the form, as the patient would; its path, /s/<token>."""
    page = client.get("/share").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    made = client.post("/share", data={"label": "Profile", "expires_in_days": "30", "csrf_token": token})
    page = client.get(made.location).get_data(as_text=True)
    return "/s/" + page.split('id="share-url"', 1)[1].split('value="', 1)[1].split('"', 1)[0].rsplit("/s/", 1)[1]


def requester(client, path: str):
    if path == "share":
        path = share_path(client)
    if path != "post":
        def get():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        return get
    form = EntryForm(client.get("/today").get_data(as_text=True))
    bodies, session_cookie = entry_posts(form), client.get_cookie("session").value
    sent = 0

    def post():
        nonlocal sent
        client.set_cookie("session", session_cookie)  # as wrk: the same cookie, no flash piling up
        response = client.post(form.action, data=bodies[sent % len(bodies)],
                               content_type="application/x-www-form-urlencoded")
        assert response.status_code == 302, response.status_code
        sent += 1
    return post


def main() -> None:
    path, with_cprofile = sys.argv[1], "--cprofile" in sys.argv
    request = requester(logged_in(seeded_app()), path)
    for _ in range(min(20, REQUESTS)):  # warm: templates compiled, the history cached
        request()
    rounds = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for _ in range(REQUESTS):
            request()
        rounds.append((time.perf_counter() - started) / REQUESTS * 1000)
    print(f"{path}: {min(rounds):.2f} ms per request (best of {ROUNDS} rounds of {REQUESTS})")
    if with_cprofile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(REQUESTS):
            request()
        profile.disable()
        pstats.Stats(profile).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(40)


if __name__ == "__main__":
    main()
