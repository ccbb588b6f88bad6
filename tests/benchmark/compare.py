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
from datetime import date
from pathlib import Path

from tests.benchmark.run import (
    ROOT, diary_rows, free_port, logged_in, save_results, start_server, stop_server, wrk,
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
        self.name, self.workdir = name, workdir
        workdir.mkdir(parents=True)
        done = subprocess.run([sys.executable, "-c", PREPARE, str(workdir)], cwd=tree,
                              capture_output=True, text=True, check=True)
        prepared = json.loads(done.stdout.strip().splitlines()[-1])
        port = free_port()
        self.server = start_server("wsgi:app", port, {**os.environ, **prepared["env"]},
                                   workdir / "server.log", root=tree)
        base = f"http://127.0.0.1:{port}"
        self.rows = diary_rows(base, prepared["token"], logged_in(base))

    def drive(self, row: str) -> dict:
        url, cookie, bodies = self.rows[row]
        return wrk(url, self.workdir, cookie, post_bodies=bodies)

    def stop(self) -> None:
        stop_server(self.server)


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
    save_results("compare", report, markdown(report))


if __name__ == "__main__":
    main()
