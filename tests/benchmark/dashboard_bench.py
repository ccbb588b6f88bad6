"""The clinic's dashboard under load. Run `python -m tests.benchmark.dashboard_bench` (or `make bench`).

1. Seeds a fresh SQLite database (tests/benchmark/clinic_seed.py): 500 patients with three years
   of diary each, all connected to one clinician; the time it takes, summaries included.
2. What a summary adds to a write: computing and storing the summary of the heaviest diary
   (three years, the benchmark's heavy patient of tests/benchmark/seed.py), median of 50, in
   process; and the median time of a whole entry save through the server.
3. Starts gunicorn with the production config (gunicorn.conf.py) and the real app, signs in as
   the clinician (password and TOTP), times the first dashboard requests, then drives /clinic/
   with wrk (8 connections, BENCH_SECONDS): requests/s and p50/p95/p99.
4. Restarts the server and times the first dashboard requests after the restart.
Writes tests/benchmark/results/dashboard.md and dashboard.json. Only 127.0.0.1 is contacted.
"""

import os
import platform
import statistics
import tempfile
import time
import urllib.parse
from datetime import date
from pathlib import Path

from tests.benchmark.run import (
    CONNECTIONS, SECONDS, Browser, free_port, measure_ceiling, save_results, start_server, stop_server, wrk,
)

PATIENTS = int(os.environ.get("BENCH_PATIENTS", "500"))
CLINICIAN_EMAIL = "clinician@clinic.example"
CLINICIAN_PASSWORD = "clinic benchmark password"
TARGET_P95_MS, TARGET_FIRST_MS = 150, 2000
QUIET_CEILING_RPS = 2448  # hello world on a quiet machine (README, Benchmarks)


def prepare(workdir: Path) -> tuple[dict, str, dict]:
    """Migrate and seed; returns the server environment, the clinician's TOTP secret and timings."""
    from tests.benchmark.clinic_seed import seed_clinic
    from tests.benchmark.seed import HEAVY_EMAIL, PASSWORD, seed

    env = {**os.environ, "DIARY_DATABASE_URL": f"sqlite:///{workdir / 'diary.sqlite3'}",
           "DIARY_INSTANCE_PATH": str(workdir / "instance"), "DIARY_WORKERS": "2",
           "DIARY_LOG_LEVEL": "WARNING"}
    os.environ.update(env)
    from diary import create_app
    from diary.db import upgrade
    from diary.security import hash_password
    from tests.benchmark.clinic_seed import connect_all

    app = create_app()
    engine = app.extensions["diary_engine"]
    upgrade(engine)
    timings = {}
    with app.app_context():
        started = time.monotonic()
        patient_ids = seed_clinic(engine, date.today(), PATIENTS, hash_password(PASSWORD))
        heavy_id = seed(engine, date.today(), light_patients=0)
        # Connecting them computes their summaries (only a connected patient has one).
        secret = connect_all(engine, [*patient_ids, heavy_id], CLINICIAN_EMAIL, CLINICIAN_PASSWORD)
        timings["seed_s"] = round(time.monotonic() - started, 1)
        timings["summary_ms"] = summary_cost(engine, heavy_id)
    engine.dispose()
    env["HEAVY_EMAIL"] = HEAVY_EMAIL
    return env, secret, timings


def summary_cost(engine, patient_id: int, runs: int = 50) -> float:
    """Median milliseconds to compute and store one summary of a three-year diary."""
    from sqlmodel import Session

    from diary.summaries.store import refresh

    times = []
    with Session(engine) as session:
        for _ in range(runs):
            started = time.perf_counter()
            refresh(session, patient_id)
            session.commit()
            times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def clinician_signed_in(base: str, secret: str) -> Browser:
    import pyotp

    browser = Browser(base)
    browser.post("/clinic/login", {"email": CLINICIAN_EMAIL, "password": CLINICIAN_PASSWORD,
                                   "csrf_token": browser.csrf("/clinic/login")})
    browser.post("/clinic/login/code", {"code": pyotp.TOTP(secret).now(),
                                        "csrf_token": browser.csrf("/clinic/login/code")})
    return browser


def first_requests(browser: Browser) -> list[float]:
    """Milliseconds of the first two dashboard requests (one per worker, most likely)."""
    times = []
    for _ in range(2):
        started = time.perf_counter()
        page = browser.get("/clinic/")
        times.append(round((time.perf_counter() - started) * 1000, 1))
        assert f"{PATIENTS + 1} connected patients" in page, page[:2000]
    return times


def entry_save_ms(base: str, env: dict, runs: int = 30) -> float:
    """Median milliseconds of saving the heavy patient's entry for today through the server."""
    from tests.benchmark.run import EntryForm
    from tests.benchmark.seed import PASSWORD

    browser = Browser(base)
    browser.post("/login", {"email": env["HEAVY_EMAIL"], "password": PASSWORD,
                            "csrf_token": browser.csrf("/login")})
    form = EntryForm(browser.get("/today"))
    times = []
    for number in range(runs):
        data = urllib.parse.urlencode({**form.fields, "pain_avg": str(number % 11)}).encode()
        started = time.perf_counter()
        browser.opener.open(base + form.action, data=data, timeout=30).read()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def measure(env: dict, secret: str, workdir: Path) -> dict:
    """Sign in once (a TOTP code is taken only once): the session outlives the restart, as the
    secret key stays in the instance folder."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server("wsgi:app", port, env, workdir / "diary.log")
    try:
        clinician = clinician_signed_in(base, secret)
        first = first_requests(clinician)
        load = wrk(f"{base}/clinic/", workdir, clinician.cookie_header())
        size = len(clinician.get("/clinic/").encode())
        save = entry_save_ms(base, env)
    finally:
        stop_server(server)
    server = start_server("wsgi:app", port, env, workdir / "diary-restarted.log")
    try:
        after_restart = first_requests(clinician)
    finally:
        stop_server(server)
    return {"first_ms": first, "after_restart_ms": after_restart, "load": load, "bytes": size,
            "entry_save_ms": save, "ceiling": measure_ceiling(env, workdir),
            "load_average": round(os.getloadavg()[0], 1)}


def markdown(report: dict) -> str:
    load = report["load"]
    p95 = load["p95_us"] / 1000
    worst_first = max(report["after_restart_ms"])
    return "\n".join([
        f"Measured {report['date']} on {report['cores']} cores ({report['machine']}), gunicorn with 2 "
        f"workers, SQLite, {report['patients']} connected patients with three years of diary each "
        f"(and the heavy patient of seed.py). wrk {report['connections']} connections for "
        f"{report['seconds']} s.", "",
        "| What | Result | Target |", "|---|---:|---:|",
        f"| dashboard p50 / p95 / p99 at {report['connections']} clients | {load['p50_us'] / 1000:.1f} / "
        f"{p95:.1f} / {load['p99_us'] / 1000:.1f} ms | p95 < {TARGET_P95_MS} ms "
        f"{'(met)' if p95 < TARGET_P95_MS else '(NOT met)'} |",
        f"| dashboard requests/s | {load['rps']} ({load['errors'] + load['bad_status']} errors) | |",
        f"| the same server's bare Flask hello world (the machine's ceiling now) | {report['ceiling']['rps']} "
        f"requests/s, p95 {report['ceiling']['p95_us'] / 1000:.1f} ms | {QUIET_CEILING_RPS} requests/s "
        f"on a quiet machine |",
        f"| load average of the machine (1 min) at the end | {report['load_average']} | |",
        f"| first two dashboard requests after a restart | {', '.join(f'{ms} ms' for ms in report['after_restart_ms'])} "
        f"| < {TARGET_FIRST_MS} ms {'(met)' if worst_first < TARGET_FIRST_MS else '(NOT met)'} |",
        f"| first two dashboard requests after seeding | {', '.join(f'{ms} ms' for ms in report['first_ms'])} | |",
        f"| dashboard page size | {report['bytes']:,} bytes | |",
        f"| seeding {report['patients']} × 3 years (and the heavy patient), summaries included | {report['seed_s']} s | |",
        f"| a summary's cost in a write (3-year diary, median of 50) | {report['summary_ms']} ms | |",
        f"| saving an entry through the server (3-year diary, median of 30) | {report['entry_save_ms']} ms | |",
    ]) + "\n"


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="diary-dashboard-bench-"))
    env, secret, timings = prepare(workdir)
    report = {"date": date.today().isoformat(), "cores": os.cpu_count(), "machine": platform.machine(),
              "patients": PATIENTS, "connections": CONNECTIONS, "seconds": SECONDS, **timings,
              **measure(env, secret, workdir)}
    save_results("dashboard", report, markdown(report))


if __name__ == "__main__":
    main()
