"""Fixtures for the real-browser tests: the real server, Debian's Chromium, phone and desktop contexts.

One gunicorn process serves the whole run from a fresh SQLite file migrated by ``flask migrate``,
with CSRF on and nothing patched: tests talk to it only over 127.0.0.1, as a phone would. Each test
creates its own patients (``new_patient``), so tests never see each other's data.

Playwright drives ``/usr/bin/chromium``; ``.ci/run`` installs it. Never ``playwright install``.
"""

import itertools
import os
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, sync_playwright
from sqlmodel import Session, delete, select

from diary.days import today_in
from diary.db import make_engine
from diary.models import Entry, EntrySideEffect, Patient, RateLimitCount, ShareLink

from tests.browser.pages import SCREENSHOTS, VIEWPORTS, Viewport, Watch, daytime_zone, watch_context

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "correct horse battery"


@dataclass
class LiveServer:
    url: str
    database_url: str


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """gunicorn serving wsgi:app on a free loopback port, with a freshly migrated database."""
    folder = tmp_path_factory.mktemp("live")
    environment = {**os.environ,
                   "DIARY_DATABASE_URL": f"sqlite:///{folder / 'diary.sqlite3'}",
                   "DIARY_SECRET_KEY": "browser-tests-secret",
                   "DIARY_LOG_LEVEL": "WARNING"}
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "migrate"], cwd=ROOT,
                   env=environment, check=True, capture_output=True)
    # We open the listening socket and hand it to gunicorn: the port is ours from the start, and
    # the first requests wait in the backlog until gunicorn is ready (no polling, no race).
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"fd://{listener.fileno()}",
         "--workers", "1", "--worker-class", "gthread", "--threads", "8",
         "--error-logfile", str(folder / "gunicorn.log"), "wsgi:app"],
        cwd=ROOT, env=environment, pass_fds=(listener.fileno(),))
    listener.close()
    yield LiveServer(url=f"http://127.0.0.1:{port}", database_url=environment["DIARY_DATABASE_URL"])
    server.terminate()
    server.wait(timeout=10)


# "package": Playwright's sync API allows one instance at a time, so the browser is closed when
# the tests of this folder end and other folders may start their own.
@pytest.fixture(scope="package")
def browser():
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)  # only this run's screenshots, none stale
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def time_zone():
    """A time zone where it is now daytime, so no test straddles the patient's midnight."""
    return daytime_zone()


class Contexts:
    """Opens browser contexts like phones: a viewport, touch, the patient's time zone.

    Every page of every context is watched; a JS error, CSP violation or failed load anywhere
    fails the test when it ends, even if the test never looked.
    """

    def __init__(self, browser: Browser, server: LiveServer, time_zone: str):
        self.browser, self.server, self.time_zone = browser, server, time_zone
        self.opened: list[BrowserContext] = []
        self.watches: dict[BrowserContext, Watch] = {}

    def open(self, viewport: Viewport, *, dark: bool = False, storage_state=None,
             service_workers: str = "block") -> BrowserContext:
        context = self.browser.new_context(
            base_url=self.server.url, viewport={"width": viewport.width, "height": viewport.height},
            is_mobile=viewport.touch, has_touch=viewport.touch, device_scale_factor=1,
            color_scheme="dark" if dark else "light", timezone_id=self.time_zone, locale="en-GB",
            storage_state=storage_state, service_workers=service_workers)
        context.set_default_timeout(10_000)
        self.opened.append(context)
        self.watches[context] = watch_context(context)
        return context

    def watch(self, context: BrowserContext) -> Watch:
        return self.watches[context]

    def problems(self) -> list[str]:
        return [problem for watch in self.watches.values() for problem in watch.problems]

    def close(self):
        for context in self.opened:
            context.close()


@pytest.fixture
def contexts(browser, live_server, time_zone):
    opened = Contexts(browser, live_server, time_zone)
    yield opened
    opened.close()
    assert opened.problems() == [], "the browser reported problems"


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request) -> Viewport:
    """Each test using this runs once per viewport: two phones and a desktop."""
    return VIEWPORTS[request.param]


_numbers = itertools.count(1)


@dataclass
class SignUp:
    email: str
    name: str
    password: str = PASSWORD


def register_through_form(page, patient: SignUp, *, touch: bool) -> None:
    """Fill in and send the real registration form, as a patient would."""
    page.goto("/register")
    page.fill("#email", patient.email)
    page.fill("#display_name", patient.name)
    page.fill("#password", patient.password)
    with page.expect_navigation():
        (page.tap if touch else page.click)("button[type=submit]")


@pytest.fixture
def new_patient(contexts, database):
    """Registers a new patient through the real form; returns the patient and their logged-in state."""
    def register(name: str = "Alice") -> tuple[SignUp, dict]:
        # Every browser test signs up from 127.0.0.1 on one server: past 20 sign-ups an hour the
        # limit (tested in tests/test_rate_limits.py) would refuse the next test's patient.
        database.forget_rate_limits()
        patient = SignUp(email=f"{name.lower()}{next(_numbers)}.{os.getpid()}@example.com", name=name)
        context = contexts.open(VIEWPORTS["phone-360"])
        page = context.new_page()
        register_through_form(page, patient, touch=True)
        assert page.url.endswith("/today"), page.url
        return patient, context.storage_state()

    return register


@dataclass
class Diarist:
    """A patient with a week of entries, shared by the tests that only look at pages."""
    patient: SignUp
    storage_state: dict
    entry_ids: list[int]  # newest first
    share_link_id: int
    share_path: str  # /s/<token>: what the clinician opens


def full_entry(day, pain: int) -> dict:
    return {"day": day.isoformat(), "pain_avg": str(pain), "pain_worst": str(min(pain + 2, 10)),
            "interference_enjoyment": str(pain), "interference_activity": str(max(pain - 1, 0)),
            "mood": "6", "sleep_quality": "5", "se_dissociation": "mild", "se_nausea": "moderate",
            "notes": "Infusion day. Tired in the evening but the pain eased."}


@pytest.fixture(scope="package")
def diarist(browser, live_server, time_zone) -> Diarist:
    """Registered through the real form; six past days logged through the real POST, with CSRF;
    a share link made through the sharing page."""
    patient = SignUp(email=f"diarist.{os.getpid()}@example.com", name="Dana")
    context = browser.new_context(base_url=live_server.url, timezone_id=time_zone)
    watch = watch_context(context)
    page = context.new_page()
    register_through_form(page, patient, touch=False)
    today = today_in(time_zone)
    for days_ago, pain in ((6, 7), (5, 6), (4, 8), (3, 5), (2, 4), (1, 3)):
        page.goto("/entries/new")
        form = {**full_entry(today - timedelta(days=days_ago), pain),
                "csrf_token": page.locator("input[name=csrf_token]").first.get_attribute("value")}
        response = context.request.post("/entries", form=form, max_redirects=0)
        assert response.status == 302, response.text()
    page.goto("/entries")
    entry_ids = [int(row.get_attribute("id").removeprefix("entry-"))
                 for row in page.locator(".entry-row").all()]
    page.goto("/share")
    page.fill("#label", "Dr. Lin, pain clinic")
    with page.expect_navigation():
        page.click("button.button-primary")
    share_link_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    share_path = "/s/" + page.input_value("#share-url").rsplit("/s/", 1)[1]
    state = context.storage_state()
    context.close()
    assert watch.problems == []
    return Diarist(patient, state, entry_ids, share_link_id, share_path)


class Database:
    """Reads back what the server wrote, from the same SQLite file (WAL lets us read alongside)."""

    def __init__(self, url: str):
        self.engine = make_engine(url)

    def patient(self, email: str) -> Patient:
        with Session(self.engine) as session:
            return session.exec(select(Patient).where(Patient.email == email)).one()

    def entries(self, email: str) -> list[Entry]:
        """The patient's entries, oldest first."""
        with Session(self.engine) as session:
            return list(session.exec(select(Entry).join(Patient, Entry.patient_id == Patient.id)
                                     .where(Patient.email == email).order_by(Entry.day)))

    def share_links(self, email: str) -> list[ShareLink]:
        with Session(self.engine) as session:
            return list(session.exec(select(ShareLink).join(Patient, ShareLink.patient_id == Patient.id)
                                     .where(Patient.email == email).order_by(ShareLink.id)))

    def forget_rate_limits(self) -> None:
        with Session(self.engine) as session:
            session.execute(delete(RateLimitCount))
            session.commit()

    def side_effects(self, entry_id: int) -> dict[str, int]:
        with Session(self.engine) as session:
            rows = session.exec(select(EntrySideEffect).where(EntrySideEffect.entry_id == entry_id))
            return {row.symptom: row.severity for row in rows}


@pytest.fixture(scope="session")
def database(live_server):
    database = Database(live_server.database_url)
    yield database
    database.engine.dispose()


@dataclass
class ClinicPatient:
    """Six months of diary around two series (tests/browser/six_months.py) and a share link."""
    patient: SignUp
    storage_state: dict
    share_path: str  # /s/<token>: what the clinician opens


@pytest.fixture(scope="package")
def clinic_patient(browser, live_server, time_zone, database) -> ClinicPatient:
    from tests.browser.six_months import add_six_months

    patient = SignUp(email=f"robin.{os.getpid()}@example.com", name="Robin")
    context = browser.new_context(base_url=live_server.url, timezone_id=time_zone)
    watch = watch_context(context)
    page = context.new_page()
    register_through_form(page, patient, touch=False)
    add_six_months(database.engine, patient.email, today_in(time_zone))
    page.goto("/share")
    page.fill("#label", "Dr. Lin, pain clinic")
    with page.expect_navigation():
        page.click("button.button-primary")
    share_path = "/s/" + page.input_value("#share-url").rsplit("/s/", 1)[1]
    state = context.storage_state()
    context.close()
    assert watch.problems == []
    return ClinicPatient(patient, state, share_path)
