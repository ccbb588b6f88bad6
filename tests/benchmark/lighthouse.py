"""Lighthouse on the chart pages and the share view, as a small self-hoster serves them.

Run: `python -m tests.benchmark.lighthouse` (or `make lighthouse`). Not a test: scores vary from
run to run and machine to machine, so it prints the median of RUNS runs per page, mobile
settings (Lighthouse's default: a mid-range phone, simulated 4x slower CPU and a slow 4G link).

1. Seeds a fresh SQLite database with the benchmark's heavy patient (tests/benchmark/seed.py:
   three years of diary, 12 series) and a share link of theirs.
2. Starts the production server alone, as `make serve` does (gunicorn with gunicorn.conf.py,
   wsgi:app), on 127.0.0.1 with no proxy in front: no compression, no CDN.
3. Runs npm `lighthouse` (pinned in tests/benchmark/lighthouse/package.json, installed there by
   `npm ci` on first use, git-ignored) with Debian's Chromium against each page, logged in by the
   session cookie where the page needs it.
Only 127.0.0.1 is contacted (Chromium's background networking is off).
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.benchmark.run import Browser, free_port, prepare, start_server, stop_server
from tests.benchmark.seed import HEAVY_EMAIL, PASSWORD

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tests" / "benchmark" / "lighthouse"
CLI = TOOL / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                  "--disable-component-update --disable-sync --no-first-run")
RUNS = int(os.environ.get("LIGHTHOUSE_RUNS", "3"))
PAGES = {  # name -> (path, needs the patient's session)
    "before/after": ("/trends/", True),
    "timeline": ("/trends/timeline", True),
    "share view": ("/s/{token}", False),
}


def install() -> None:
    if not CLI.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=TOOL,
                       check=True)


def lighthouse(url: str, cookie: str, workdir: Path) -> dict:
    report = workdir / "report.json"
    command = ["node", str(CLI), url, "--quiet", "--output=json", f"--output-path={report}",
               "--only-categories=performance", f"--chrome-path={CHROMIUM}",
               f"--chrome-flags={CHROMIUM_FLAGS}"]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    subprocess.run(command, check=True, timeout=300, env={**os.environ, "CHROME_PATH": CHROMIUM})
    result = json.loads(report.read_text())
    audits = result["audits"]
    return {"score": result["categories"]["performance"]["score"],
            "tbt_ms": audits["total-blocking-time"]["numericValue"],
            "fcp_ms": audits["first-contentful-paint"]["numericValue"],
            "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
            "bytes": audits["total-byte-weight"]["numericValue"]}


def main() -> None:
    install()
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        env, token = prepare(workdir)
        port = free_port()
        server = start_server("wsgi:app", port, env, workdir / "server.log")
        try:
            base = f"http://127.0.0.1:{port}"
            browser = Browser(base)
            browser.post("/login", {"email": HEAVY_EMAIL, "password": PASSWORD,
                                    "csrf_token": browser.csrf("/login")})
            cookie = browser.cookie_header()
            print(f"{'page':14} {'score':>6} {'TBT ms':>7} {'FCP ms':>7} {'LCP ms':>7} {'KB':>6}  (median of {RUNS})")
            for name, (path, logged_in) in PAGES.items():
                url = base + path.format(token=token)
                runs = [lighthouse(url, cookie if logged_in else "", workdir) for _ in range(RUNS)]
                median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
                print(f"{name:14} {median['score']:6.2f} {median['tbt_ms']:7.0f} {median['fcp_ms']:7.0f} "
                      f"{median['lcp_ms']:7.0f} {median['bytes'] / 1024:6.0f}   "
                      f"scores {[run['score'] for run in runs]}", flush=True)
        finally:
            stop_server(server)


if __name__ == "__main__":
    sys.exit(main())
