"""Two versions of the diary side by side: `python -m tests.benchmark.compare REF [ROUNDS]`.

On a shared machine whose speed drifts from one minute to the next, two `make bench` runs a few
minutes apart differ by more than most changes being measured (hello world alone moved from
4,400 to 3,400 requests/s between two runs here). So this checks out REF (e.g. the commit before
a redesign) into a temporary worktree, seeds a fresh database for each version with that
version's own code (tests/benchmark/seed.py), starts both servers as `make bench` does (gunicorn,
gunicorn.conf.py, 2 workers) and drives each row of the benchmark with wrk on one version, then
at once on the other, ROUNDS times (the first version of each pair alternating). A row's figure
is the median of its rounds; its change is the median of the rounds' changes, each between two
runs seconds apart, which the drift moves least.
The saves of the posting row are real changes, as in run.py. Writes
tests/benchmark/results/compare.md and compare.json. Only 127.0.0.1 is contacted.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

from tests.benchmark.run import (
    RESULTS, ROOT, VENV_BIN, EntryForm, entry_posts, free_port, logged_in, wrk,
)

SECONDS = os.environ.get("BENCH_SECONDS", "5")
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 5
# Each version seeds its own database with its own code, in a process of its own.
PREPARE = ("import json, sys; from pathlib import Path; from tests.benchmark.run import prepare; "
           "env, token = prepare(Path(sys.argv[1])); "
           "print(json.dumps({'env': {k: v for k, v in env.items() if k.startswith('DIARY_')}, 'token': token}))")


class Version:
    """One version of the diary: its source tree, seeded database and running server."""

    def __init__(self, name: str, tree: Path, workdir: Path):
        self.name, self.tree, self.workdir = name, tree, workdir
        workdir.mkdir(parents=True)
        done = subprocess.run([sys.executable, "-c", PREPARE, str(workdir)], cwd=tree,
                              capture_output=True, text=True, check=True)
        prepared = json.loads(done.stdout.strip().splitlines()[-1])
        self.env, self.token = {**os.environ, **prepared["env"]}, prepared["token"]
        self.port = free_port()
        self.env["DIARY_BIND"] = f"127.0.0.1:{self.port}"
        self.base = f"http://127.0.0.1:{self.port}"
        self.server = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "--config", str(tree / "gunicorn.conf.py"), "wsgi:app"],
            cwd=tree, env=self.env, stdout=(workdir / "server.log").open("w"), stderr=subprocess.STDOUT)
        self.wait_until_up()
        browser = logged_in(self.base)
        self.cookie = browser.cookie_header()
        form = EntryForm(browser.get("/today"))
        self.rows = {  # (url, cookie, bodies to post)
            "quick-log page (/today)": (f"{self.base}/today", self.cookie, ()),
            "history page (/entries)": (f"{self.base}/entries", self.cookie, ()),
            "timeline chart data, 3 years": (f"{self.base}/trends/figures/timeline.json?range=all", self.cookie, ()),
            "before/after page (/trends/)": (f"{self.base}/trends/", self.cookie, ()),
            "clinician share view": (f"{self.base}/s/{self.token}", "", ()),
            "posting an entry": (f"{self.base}{form.action}", self.cookie, entry_posts(form)),
        }

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.base}/health", timeout=2)
                return
            except OSError:
                if self.server.poll() is not None:
                    raise SystemExit(f"{self.name}: the server stopped at start; see {self.workdir}/server.log")
                time.sleep(0.2)
        raise SystemExit(f"{self.name}: no answer on /health within 60 s")

    def drive(self, row: str) -> dict:
        url, cookie, bodies = self.rows[row]
        return wrk(url, self.workdir, cookie, post_bodies=bodies)

    def stop(self) -> None:
        self.server.terminate()
        self.server.wait(timeout=30)


def markdown(report: dict) -> str:
    before, after = report["versions"]
    lines = [f"Measured {report['date']} on {os.cpu_count()} cores: {before} and {after} side by side, "
             f"each row driven on one and then the other {report['rounds']} times "
             f"(wrk, 8 connections, {report['seconds']} s each); requests/s: the median of the rounds; "
             f"change: the median of each round's change.", "",
             f"| What | {before} requests/s | {after} requests/s | Change | {after} p95 ms | Errors |",
             "|---|---:|---:|---:|---:|---:|"]
    for row, figures in report["rows"].items():
        a, b = figures[before], figures[after]
        change = 100 * (statistics.median(
            after_rps / before_rps for before_rps, after_rps in zip(a["rounds_rps"], b["rounds_rps"])) - 1)
        lines.append(f"| {row} | {a['rps']} | {b['rps']} | {change:+.1f} % | {b['p95_ms']} | "
                     f"{a['errors'] + b['errors']} |")
    return "\n".join(lines) + "\n"


def summary(results: list[dict]) -> dict:
    return {"rps": round(statistics.median(result["rps"] for result in results), 1),
            "p95_ms": round(statistics.median(result["p95_us"] for result in results) / 1000, 1),
            "rounds_rps": [result["rps"] for result in results],
            "errors": sum(result["errors"] + result["bad_status"] for result in results)}


def short_name(ref: str) -> str:
    return subprocess.run(["git", "rev-parse", "--short", ref], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout.strip()


def main() -> None:
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    ref = sys.argv[1]
    os.environ["BENCH_SECONDS"] = SECONDS
    workdir = Path(tempfile.mkdtemp(prefix="diary-compare-"))
    before_tree = workdir / "before"
    subprocess.run(["git", "worktree", "add", "--detach", str(before_tree), ref], cwd=ROOT,
                   check=True, capture_output=True)
    label = short_name(ref)
    here = short_name("HEAD") + (" + changes" if subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True,
        text=True, check=True).stdout.strip() else "")
    versions = []
    try:
        versions.append(Version(label, before_tree, workdir / "before-data"))
        versions.append(Version(here, ROOT, workdir / "after-data"))
        rows = {row: {version.name: [] for version in versions} for row in versions[0].rows}
        for round_number in range(ROUNDS):
            order = versions if round_number % 2 == 0 else versions[::-1]
            for row in rows:
                for version in order:
                    rows[row][version.name].append(version.drive(row))
            print(f"round {round_number + 1} of {ROUNDS} done", flush=True)
    finally:
        for version in versions:
            version.stop()
        subprocess.run(["git", "worktree", "remove", "--force", str(before_tree)], cwd=ROOT)
        shutil.rmtree(workdir, ignore_errors=True)
    report = {"date": date.today().isoformat(), "versions": [v.name for v in versions],
              "rounds": ROUNDS, "seconds": int(SECONDS),
              "rows": {row: {name: summary(results) for name, results in figures.items()}
                       for row, figures in rows.items()}}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "compare.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "compare.md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
