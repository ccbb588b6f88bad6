"""The proof of README's "Self-hosting": the real production command, driven as a browser would.

gunicorn starts from gunicorn.conf.py on a clean instance folder on 127.0.0.1, migrates, answers
/health; the admin CLI switches registration to invite codes and makes one; a patient registers
with it and logs a day over HTTP (CSRF token read from the form, cookies kept); SIGTERM stops the
server cleanly; started again, it still has the day.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener, urlopen

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.no_test_database(reason="the server runs on its own SQLite file")

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the virtualenv's bin/, where `make install` puts gunicorn
START_TIMEOUT = 30  # seconds; measured: 1-2 s on an idle 2-core machine, 4-6 s under heavy load
STOP_TIMEOUT = 30

PASSWORD = "a phrase only Dana knows"
NOTES = "First day back at work"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(instance_path: Path, **settings: str) -> dict:
    """A server's settings: only the documented DIARY_* variables, its own instance folder and port."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DIARY_")}
    env.update({"DIARY_INSTANCE_PATH": str(instance_path), "DIARY_BIND": f"127.0.0.1:{free_port()}",
                "DIARY_WORKERS": "2", **settings})
    return env


@pytest.fixture
def environment(tmp_path):
    return server_environment(tmp_path / "instance")


class Server:
    def __init__(self, env, log_path: Path, checkout: Path = ROOT):
        self.env, self.log_path, self.checkout = env, log_path, checkout
        self.url = f"http://{env['DIARY_BIND']}"
        self.process = None

    def start(self) -> float:
        """Start the production command; return the seconds until /health answered ok."""
        started = time.monotonic()
        self.launch()
        return self.wait_until_healthy(started)

    def launch(self) -> None:
        """Start the production command (``wait_until_healthy`` then waits for it)."""
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(
                [BIN / "gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"],
                cwd=self.checkout, env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def wait_until_healthy(self, started: float) -> float:
        deadline = started + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"gunicorn exited:\n{self.log_path.read_text()}"
            try:
                with urlopen(f"{self.url}/health", timeout=2) as response:
                    if response.status == 200 and response.read() == b"ok":
                        return time.monotonic() - started
            except (URLError, ConnectionError):
                pass
            time.sleep(0.05)  # polling interval under a deadline, not a wait for something to happen
        raise AssertionError(f"no health within {START_TIMEOUT} s:\n{self.log_path.read_text()}")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=STOP_TIMEOUT)

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=STOP_TIMEOUT)


@pytest.fixture
def server(environment, tmp_path):
    server = Server(environment, tmp_path / "server.log")
    yield server
    server.kill()


def admin(env, *args, checkout: Path = ROOT, input: str | None = None) -> str:
    """An admin command exactly as README gives it: flask --app wsgi admin ..."""
    result = subprocess.run([BIN / "flask", "--app", "wsgi", "admin", *args], cwd=checkout, env=env,
                            capture_output=True, text=True, timeout=60, input=input)
    assert result.returncode == 0, result.stderr + result.stdout
    return result.stdout


class Browser:
    """Keeps cookies and sends each form with the CSRF token the page gave it."""

    def __init__(self, base_url: str, cookies: CookieJar | None = None):
        self.base_url = base_url
        self.cookies = CookieJar() if cookies is None else cookies
        self.opener = build_opener(HTTPCookieProcessor(self.cookies))

    def at(self, base_url: str) -> "Browser":
        """The same browser, its cookies and all, sent to another address (another server)."""
        return Browser(base_url, self.cookies)

    def read(self, path: str) -> str:
        with self.opener.open(self.base_url + path, timeout=10) as response:
            return response.read().decode()

    def get(self, path: str) -> tuple[str, BeautifulSoup]:
        with self.opener.open(self.base_url + path, timeout=10) as response:
            return response.url, BeautifulSoup(response.read().decode(), "html.parser")

    def send(self, path: str, form_selector: str, fields: dict, headers: dict | None = None):
        """Open the page, fill the form and send it; the response after any redirects."""
        _, page = self.get(path)
        form = page.select_one(form_selector)
        data = {field["name"]: field.get("value", "") for field in form.select("input[type=hidden]")}
        data.update(fields)
        action = form.get("action") or path
        request = Request(self.base_url + action, urlencode(data).encode(), headers=headers or {})
        return self.opener.open(request, timeout=10)

    def submit(self, path: str, form_selector: str, fields: dict) -> tuple[str, BeautifulSoup]:
        """As ``send``, for a form that must succeed; returns where the redirects ended."""
        try:
            with self.send(path, form_selector, fields) as response:
                return response.url, BeautifulSoup(response.read().decode(), "html.parser")
        except HTTPError as error:
            with error:
                raise AssertionError(f"{path} answered {error.code}: {error.read().decode()[:2000]}")


def test_production_server_from_clean_instance_to_restart(environment, server, tmp_path):
    first_start = server.start()
    assert (tmp_path / "instance" / "diary.sqlite3").is_file()  # migrated at start

    admin(environment, "registration", "invite")
    code = re.search(r"Invite code: (\S+)", admin(environment, "invite", "create")).group(1)

    browser = Browser(server.url)
    _, page = browser.get("/register")
    assert page.find("input", {"name": "invite_code"}) is not None
    landed, _ = browser.submit("/register", "form[method=post]", {
        "invite_code": code, "display_name": "Dana", "email": "dana@example.com",
        "password": PASSWORD, "time_zone": "Europe/London"})
    assert landed.endswith("/today")

    _, today = browser.get("/today")
    day = today.select_one("form.entry-form input[name=day]")["value"]
    landed, page = browser.submit("/today", "form.entry-form",
                                  {"day": day, "pain_avg": "6", "notes": NOTES})
    assert landed.endswith("/today")
    assert "Saved: pain 6" in page.select_one(".flash-success").get_text()

    assert server.stop() == 0  # SIGTERM: graceful, clean exit

    second_start = server.start()
    again = Browser(server.url)
    landed, _ = again.submit("/login", "form[method=post]",
                             {"email": "dana@example.com", "password": PASSWORD})
    assert landed.endswith("/today")
    _, history = again.get("/entries")
    rows = history.select(".entry-row")
    assert len(rows) == 1
    assert rows[0].select_one(".notes").get_text(strip=True) == NOTES
    assert server.stop() == 0

    log = server.log_path.read_text()
    assert "Running upgrade" in log and '"POST /entries" 302' in log
    assert PASSWORD not in log and NOTES not in log and code not in log
    print(f"production server start-up to healthy: first {first_start:.2f} s, again {second_start:.2f} s")


@pytest.mark.parametrize("trusted_proxies, status", [
    ("0", 401),  # the header is ignored: a plain wrong-password answer
    ("1", 400),  # believed: an https request, whose CSRF check then demands a Referer
])
def test_forwarded_headers_count_only_when_a_proxy_is_configured(environment, server, trusted_proxies, status):
    server.env.update(DIARY_TRUSTED_PROXIES=trusted_proxies, DIARY_WORKERS="1")
    server.start()
    with pytest.raises(HTTPError) as answer:
        Browser(server.url).send("/login", "form[method=post]",
                                 {"email": "nobody@example.com", "password": "not the password"},
                                 headers={"X-Forwarded-Proto": "https"})
    answer.value.close()
    assert answer.value.code == status
    assert server.stop() == 0
