"""The benchmark: the real server under load, beside the ceiling and the naive way. Run `make bench`.

1. Seeds a fresh SQLite database (tests/benchmark/seed.py): a heavy patient with three years of
   diary, 12 series of 6 infusions and daily medications, plus 200 lighter patients.
2. Starts gunicorn with the production config (gunicorn.conf.py) and the real app (wsgi:app) on
   127.0.0.1 and drives each page with wrk from another process for a fixed time: requests/s and
   p50/p95/p99 latency.
3. In the same run, the same gunicorn setup serving a bare Flask "hello world": the ceiling, and
   each page's throughput as a share of it.
4. In the same run, the naive timeline (a plotly.express figure rendered with to_html, plotly.js
   included, on every request) against ours (the figure as plain JSON): time and bytes. It runs in
   a server of its own after the diary's, so pandas and plotly never sit in the diary's workers.
5. Resident memory of each diary worker after the load.
Writes tests/benchmark/results/latest.md and latest.json. Only 127.0.0.1 is ever contacted.
"""

import http.cookiejar
import json
import os
import platform
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "tests" / "benchmark" / "results"
VENV_BIN = Path(sys.executable).parent
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))

WRK_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format('RESULT {"requests": %d, "duration_us": %d, "errors": %d, "bad_status": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "bytes": %d}\\n',
    summary.requests, summary.duration, errors, summary.errors.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), summary.bytes))
end
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(app_path: str, port: int, env: dict, log: Path, root: Path = ROOT) -> subprocess.Popen:
    """gunicorn with the production config of the source tree at ``root``, once /health answers."""
    server = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "--config", str(root / "gunicorn.conf.py"), app_path],
        cwd=root, env={**env, "DIARY_BIND": f"127.0.0.1:{port}"},
        stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2)
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"the server stopped at start; see {log}")
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"the server did not answer /health within 60 s; see {log}")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=30)


def worker_memory_mb(master_pid: int) -> list[float]:
    """Resident memory of each worker (the master's children), from /proc."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master_pid}$", text, re.MULTILINE):
            rss_kb = int(re.search(r"^VmRSS:\s+(\d+) kB", text, re.MULTILINE).group(1))
            sizes.append(round(rss_kb / 1024, 1))
    return sorted(sizes)


def wrk(url: str, workdir: Path, cookie: str = "", post_bodies: tuple[str, ...] = ()) -> dict:
    """Drive ``url`` for SECONDS; with ``post_bodies``, POST them in turn (each one a real change)."""
    script = workdir / "report.lua"
    lua = WRK_REPORT
    if post_bodies:
        bodies = ", ".join(json.dumps(body) for body in post_bodies)  # JSON strings are Lua strings here
        lua = (f'local bodies = {{{bodies}}}\nlocal sent = 0\n'
               'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
               'request = function()\n  sent = sent + 1\n'
               '  return wrk.format("POST", nil, nil, bodies[sent % #bodies + 1])\nend\n') + lua
    script.write_text(lua)
    if not post_bodies:  # a few reads first, as a patient's first look: the rows measure the ones after
        for _ in range(4):
            request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
            urllib.request.urlopen(request, timeout=60).read()
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "-s", str(script), url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, timeout=SECONDS + 60).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["rps"] = round(result["requests"] / (result["duration_us"] / 1e6), 1)
    return result


class EntryForm(HTMLParser):
    """The quick-log form as a browser would send it: its action, and each named field's value
    as shown (radios only when checked)."""

    def __init__(self, page: str):
        super().__init__()
        self.action, self.fields, self.inside = "", {}, False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "entry-form" in (attrs.get("class") or "").split():
            self.action, self.inside = attrs["action"], True
        elif self.inside and tag in ("input", "textarea") and attrs.get("name"):
            if attrs.get("type") != "radio" or "checked" in attrs:
                self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def entry_posts(form: EntryForm) -> tuple[str, ...]:
    """Eleven saves of today's entry, each a change from the one before: average pain 0 to 10, and
    nausea on every other one, as a patient tapping a number (and a side effect) and Save."""
    return tuple(urllib.parse.urlencode({**form.fields, "pain_avg": str(pain),
                                         "se_nausea": "mild" if pain % 2 else "none"})
                 for pain in range(11))


class Browser:
    """A cookie-keeping client for logging in and reading CSRF tokens, like a browser would."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        return self.opener.open(self.base + path, timeout=30).read().decode()

    def post(self, path: str, form: dict) -> str:
        data = urllib.parse.urlencode(form).encode()
        return self.opener.open(self.base + path, data=data, timeout=30).read().decode()

    def csrf(self, path: str) -> str:
        return re.search(r'name="csrf_token" value="([^"]+)"', self.get(path)).group(1)

    def cookie_header(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.jar)


def prepare(workdir: Path) -> tuple[dict, str]:
    """Migrate and seed a fresh database; return the server environment and a share token."""
    from tests.benchmark.seed import seed

    env = {**os.environ, "DIARY_DATABASE_URL": f"sqlite:///{workdir / 'diary.sqlite3'}",
           "DIARY_INSTANCE_PATH": str(workdir / "instance"), "DIARY_WORKERS": "2",
           "DIARY_LOG_LEVEL": "WARNING"}
    os.environ.update(env)
    from diary import create_app
    from diary.db import upgrade
    from diary.sharing.links import create_link

    app = create_app()
    engine = app.extensions["diary_engine"]
    upgrade(engine)
    started = time.monotonic()
    with app.test_request_context():
        heavy_id = seed(engine, date.today())
        _, token = create_link(heavy_id, "Benchmark clinician", 30)
    print(f"seeded in {time.monotonic() - started:.1f} s", flush=True)
    engine.dispose()
    return env, token


def heavy_data_version(env: dict) -> int:
    from tests.benchmark.seed import HEAVY_EMAIL

    database = env["DIARY_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT data_version FROM patient WHERE email = ?",
                                  (HEAVY_EMAIL,)).fetchone()[0]


def logged_in(base: str) -> Browser:
    from tests.benchmark.seed import HEAVY_EMAIL, PASSWORD

    browser = Browser(base)
    browser.post("/login", {"email": HEAVY_EMAIL, "password": PASSWORD,
                            "csrf_token": browser.csrf("/login")})
    return browser


def diary_rows(base: str, token: str, browser: Browser) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """The diary's rows of the table: each one's URL, the cookie it is sent with (none for the
    share view, opened by a clinician) and, for posting, the bodies to POST in turn."""
    cookie = browser.cookie_header()
    form = EntryForm(browser.get("/today"))
    return {
        "quick-log page (/today)": (f"{base}/today", cookie, ()),
        "history page (/entries)": (f"{base}/entries", cookie, ()),
        "timeline chart data, 3 years": (f"{base}/trends/figures/timeline.json?range=all", cookie, ()),
        "before/after page (/trends/)": (f"{base}/trends/", cookie, ()),
        "clinician share view": (f"{base}/s/{token}", "", ()),
        "posting an entry": (f"{base}{form.action}", cookie, entry_posts(form)),
    }


def measure_diary(env: dict, token: str, workdir: Path) -> tuple[dict, int, list[float]]:
    """The real app (wsgi:app) alone, so its workers' memory is the diary's own."""
    port = free_port()
    server = start_server("wsgi:app", port, env, workdir / "diary.log")
    base = f"http://127.0.0.1:{port}"
    try:
        browser = logged_in(base)
        pages = {}
        for name, (url, cookie, bodies) in diary_rows(base, token, browser).items():
            version = heavy_data_version(env)
            pages[name] = wrk(url, workdir, cookie, post_bodies=bodies)
            if bodies:  # each save changes the diary, so the version rises with them: they really wrote
                pages[name]["versions_bumped"] = heavy_data_version(env) - version
        size = len(browser.opener.open(f"{base}/trends/figures/timeline.json?range=all").read())
        memory = worker_memory_mb(server.pid)
    finally:
        stop_server(server)
    return pages, size, memory


def measure_naive(env: dict, workdir: Path) -> tuple[dict, int]:
    """The naive timeline in a server of its own, after the diary's: pandas and plotly stay out of it."""
    port = free_port()
    server = start_server("tests.benchmark.naive:app", port, env, workdir / "naive.log")
    base = f"http://127.0.0.1:{port}"
    try:
        browser = logged_in(base)
        result = wrk(f"{base}/naive/timeline", workdir, browser.cookie_header())
        size = len(browser.opener.open(f"{base}/naive/timeline").read())
    finally:
        stop_server(server)
    return result, size


def measure_ceiling(env: dict, workdir: Path) -> dict:
    port = free_port()
    server = start_server("tests.benchmark.hello:app", port, env, workdir / "hello.log")
    try:
        return wrk(f"http://127.0.0.1:{port}/", workdir)
    finally:
        stop_server(server)


def markdown(report: dict) -> str:
    ceiling = report["ceiling"]["rps"]
    lines = [
        f"Measured {report['date']} on {report['cores']} cores ({report['machine']}), "
        f"gunicorn with {report['workers']} workers, wrk {report['connections']} connections "
        f"for {report['seconds']} s per row.", "",
        "| What | Requests/s | Share of hello world | p50 ms | p95 ms | p99 ms | Errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| bare Flask hello world (ceiling) | {ceiling} | 100 % | {ceiling_ms(report['ceiling'])} | 0 |",
    ]
    for name, result in report["pages"].items():
        errors = result["errors"] + result["bad_status"]
        lines.append(f"| {name} | {result['rps']} | {round(100 * result['rps'] / ceiling)} % | "
                     f"{result['p50_us'] / 1000:.1f} | {result['p95_us'] / 1000:.1f} | "
                     f"{result['p99_us'] / 1000:.1f} | {errors} |")
    ours = report["pages"]["timeline chart data, 3 years"]
    naive = report["pages"]["naive timeline (plotly.express to_html)"]
    posting = report["pages"]["posting an entry"]
    lines += ["",
              f"Timeline, ours against the naive way: {naive['p50_us'] / max(ours['p50_us'], 1):.0f}× faster "
              f"at the median, {report['bytes']['naive'] / report['bytes']['ours']:.0f}× fewer bytes "
              f"({report['bytes']['ours']:,} against {report['bytes']['naive']:,} bytes per request).",
              f"Posting: {posting['requests']:,} saves of today's entry answered, each a change from the one "
              f"before (average pain 0 to 10 in turn, nausea on every other); the diary's data version, "
              f"bumped by every transaction that changes the diary, rose by {posting['versions_bumped']:,}.",
              f"Diary worker resident memory after the load (the naive timeline runs in a server of its own): "
              f"{', '.join(f'{mb} MB' for mb in report['memory_mb'])}."]
    return "\n".join(lines) + "\n"


def save_results(name: str, report: dict, text: str) -> None:
    """tests/benchmark/results/NAME.json and NAME.md, and the table on the terminal."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / f"{name}.md").write_text(text)
    print(text)


def ceiling_ms(result: dict) -> str:
    return f"{result['p50_us'] / 1000:.1f} | {result['p95_us'] / 1000:.1f} | {result['p99_us'] / 1000:.1f}"


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="diary-bench-"))
    env, token = prepare(workdir)
    pages, ours, memory = measure_diary(env, token, workdir)
    pages["naive timeline (plotly.express to_html)"], naive = measure_naive(env, workdir)
    sizes = {"ours": ours, "naive": naive}
    report = {
        "date": date.today().isoformat(), "cores": os.cpu_count(), "machine": platform.machine(),
        "workers": int(env["DIARY_WORKERS"]), "connections": CONNECTIONS, "seconds": SECONDS,
        "ceiling": measure_ceiling(env, workdir), "pages": pages, "bytes": sizes, "memory_mb": memory,
    }
    save_results("latest", report, markdown(report))


if __name__ == "__main__":
    main()
