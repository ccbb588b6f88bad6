"""Many patients at once on the real server: nothing fails, and no acknowledged entry is lost,
not even when a worker is killed mid-load.

gunicorn runs as in production (``gunicorn --config gunicorn.conf.py wsgi:app``) with 3 workers
on 127.0.0.1 and a free port, against this test's database (SQLite in WAL mode by default). Each of 8 clients logs in as its own patient and sends
40 requests, every other one a new diary day; an entry counts as acknowledged when the server
answered 302 (saved, go on). Afterwards every acknowledged entry must be in the database.
"""

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.client import HTTPConnection, HTTPException
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from diary.models import Entry
from tests.conftest import PASSWORD, make_patient
from tests.html import parse

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 8
REQUESTS_PER_CLIENT = 40
WORKERS = 3
STARTUP_SECONDS = 60


class Server:
    """gunicorn in a process group of its own, its log read line by line (no sleeping)."""

    def __init__(self, database_url: str, instance_path: Path, workers: int = WORKERS):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        # The production command and settings (gunicorn.conf.py reads the DIARY_* variables).
        environment = {key: value for key, value in os.environ.items() if not key.startswith("DIARY_")}
        environment.update(DIARY_DATABASE_URL=database_url, DIARY_INSTANCE_PATH=str(instance_path),
                           DIARY_SECRET_KEY="concurrency-test", DIARY_BIND=f"127.0.0.1:{self.port}",
                           DIARY_WORKERS=str(workers), DIARY_LOG_LEVEL="INFO")
        self.process = subprocess.Popen(
            [Path(sys.executable).parent / "gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True)
        self.booted = queue.Queue()
        self.log: list[str] = []
        self.reader = threading.Thread(target=self._read_log, daemon=True)
        self.reader.start()
        self.wait_for_workers(workers)

    def _read_log(self):
        for line in self.process.stdout:
            self.log.append(line)
            if "Booting worker with pid" in line:
                self.booted.put(int(line.split("Booting worker with pid")[1].strip(": \n").split()[0]))

    def wait_for_workers(self, count: int) -> list[int]:
        try:
            return [self.booted.get(timeout=STARTUP_SECONDS) for _ in range(count)]
        except queue.Empty:
            raise AssertionError("gunicorn did not start:\n" + "".join(self.log)) from None

    def workers(self) -> list[int]:
        """The live worker processes: the master's children."""
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid and fields[0] != "Z":
                children.append(int(stat.parent.name))
        return children

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.reader.join(timeout=30)
        self.process.stdout.close()


class Browser:
    """One patient's client: its own connection and cookies, the CSRF token from the page."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.token = ""

    def request(self, method: str, path: str, form: dict | None = None):
        connection = HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode({**form, "csrf_token": self.token})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, content
        finally:
            connection.close()

    def log_in(self, email: str):
        status, page = self.request("GET", "/login")
        self.token = parse_token(page)
        status, _ = self.request("POST", "/login", {"email": email, "password": PASSWORD})
        assert status == 302, f"login answered {status}"
        status, page = self.request("GET", "/today")
        self.token = parse_token(page)


def parse_token(page: str) -> str:
    return parse_html(page).find("input", {"name": "csrf_token"})["value"]


def parse_html(page: str):
    class Page:  # tests.html.parse reads a response; here we only have the text
        def get_data(self, as_text=True):
            return page
    return parse(Page())


@dataclass
class Load:
    acknowledged: list[tuple[int, date, int]] = field(default_factory=list)  # patient, day, pain
    errors: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # connections cut by a killed worker
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    milestones: dict[int, threading.Event] = field(default_factory=dict)

    def count_request(self):
        with self.lock:
            self.requests += 1
            for at, event in self.milestones.items():
                if self.requests >= at:
                    event.set()


# What a client sees when the worker serving it is killed: the connection is cut.
DROPPED = (ConnectionError, OSError, HTTPException)


def run_client(server: Server, load: Load, patient_id: int, email: str, number: int,
               drops_allowed: bool):
    try:
        load_as_patient(server, load, patient_id, email, number, drops_allowed)
    except Exception as error:  # reported by the test, not lost with the thread
        load.errors.append(f"client {number} stopped: {error!r}")


def load_as_patient(server, load, patient_id, email, number, drops_allowed):
    browser = Browser(server.port)
    for attempt in range(3):  # a kill may cut the login itself
        try:
            browser.log_in(email)
            break
        except DROPPED as error:
            if not drops_allowed or attempt == 2:
                raise
            load.dropped.append(f"login: {error!r}")
    first_day = date(2024, 1, 1) + timedelta(days=60 * number)  # each patient its own past days
    for step in range(REQUESTS_PER_CLIENT):
        try:
            if step % 2 == 0:
                day, pain = first_day + timedelta(days=step // 2), step % 11
                status, _ = browser.request("POST", "/entries", {"day": day.isoformat(),
                                                                 "pain_avg": str(pain)})
                if status == 302:
                    with load.lock:
                        load.acknowledged.append((patient_id, day, pain))
                else:
                    load.errors.append(f"POST /entries answered {status}")
            else:
                path = ("/today", "/entries", f"/entries?before={first_day + timedelta(days=5)}")[step % 3]
                status, _ = browser.request("GET", path)
                if status != 200:
                    load.errors.append(f"GET {path} answered {status}")
        except DROPPED as error:
            (load.dropped if drops_allowed else load.errors).append(f"step {step}: {error!r}")
        load.count_request()


def run_load(server: Server, patients, drops_allowed: bool = False, kill_at=()) -> Load:
    load = Load(milestones={at: threading.Event() for at in kill_at})
    threads = [threading.Thread(target=run_client, args=(server, load, patient.id, patient.email,
                                                          number, drops_allowed))
               for number, patient in enumerate(patients)]
    for thread in threads:
        thread.start()
    for at in kill_at:
        assert load.milestones[at].wait(timeout=300), "the load stalled"
        victim = server.workers()[0]
        os.kill(victim, signal.SIGKILL)
        server.wait_for_workers(1)  # the master boots a replacement
    for thread in threads:
        thread.join(timeout=300)
    return load


@pytest.fixture
def patients(app):
    return [make_patient(app, f"patient{number}@example.com", f"Patient {number}")
            for number in range(CLIENTS)]


@pytest.fixture
def server(app, database_url, patients, tmp_path):
    app.extensions["diary_engine"].dispose()
    running = Server(database_url, tmp_path / "server-instance")
    yield running
    running.stop()


def assert_every_acknowledged_entry_is_stored(app, load: Load):
    with Session(app.extensions["diary_engine"]) as session:
        stored = {(entry.patient_id, entry.day): entry.pain_avg for entry in session.exec(select(Entry))}
    lost = [write for write in load.acknowledged if stored.get(write[:2]) != write[2]]
    assert not lost, f"acknowledged but not stored: {lost}"


def assert_database_intact(app, database_url: str):
    if database_url.startswith("sqlite"):
        with app.extensions["diary_engine"].connect() as connection:
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def test_many_clients_at_once_get_no_errors_and_lose_no_entry(app, server, patients, database_url):
    load = run_load(server, patients)
    assert load.errors == []
    assert load.requests == CLIENTS * REQUESTS_PER_CLIENT
    assert len(load.acknowledged) == CLIENTS * REQUESTS_PER_CLIENT // 2
    assert_every_acknowledged_entry_is_stored(app, load)
    assert_database_intact(app, database_url)
    print(f"requests: {load.requests}, acknowledged and verified: {len(load.acknowledged)}")


def test_a_worker_killed_mid_load_loses_no_acknowledged_entry(app, server, patients, database_url):
    total = CLIENTS * REQUESTS_PER_CLIENT
    load = run_load(server, patients, drops_allowed=True, kill_at=(total // 4, total // 2))
    assert load.errors == []  # only requests cut off by the kills may fail, and only as a drop
    assert load.requests == total
    assert len(load.acknowledged) >= total // 2 - len(load.dropped)
    assert_every_acknowledged_entry_is_stored(app, load)
    assert_database_intact(app, database_url)
    assert len(server.workers()) == WORKERS
    print(f"kills: {len((total // 4, total // 2))}, requests: {load.requests}, acknowledged "
          f"and verified: {len(load.acknowledged)}, cut off by a kill: {load.dropped}")
