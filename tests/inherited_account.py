"""The attack of issue 22, as steps any browser can play: in-process or against the real server.

Alice registers, logs in on a second device with "remember me", fills her diary and looks at every
page built from it (so every cache holds it), then deletes her account. Dana signs up next: on
SQLite she used to get Alice's id back. Alice's old cookies must then land on the login page, and
nothing Dana can open (pages, chart JSON, exports, her share link) may show Alice's diary, also
once Dana has made as many changes as Alice had, when a cache keyed by id and data version would
hand her Alice's history.

A ``Device`` is one browser with its own cookies: ``get(path)`` and ``post(path, form)`` answer
``Answer(status, location, body)``; ``carrying(name)`` is a new device holding only that copied
cookie. tests/test_identity.py plays it with Flask's test client, tests/test_identity_server.py
over HTTP against gunicorn with two workers.
"""

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from bs4 import BeautifulSoup
from sqlmodel import Session, select

from diary.models import Patient

PASSWORD = "correct horse battery"
ALICE = {"display_name": "Alice", "email": "alice@example.com", "password": PASSWORD,
         "time_zone": "Europe/London"}
# Same time zone and window settings as Alice: the rest of a history's key is the same.
DANA = {"display_name": "Dana", "email": "dana@example.com", "password": PASSWORD,
        "time_zone": "Europe/London"}
# Words only Alice's diary holds: her series, its condition and clinic, her medicine.
ALICE_WORDS = ("alice-series", "alice-condition", "alice-clinic", "alice-medicine")

# Everything a patient can open that is built from their history, and the pages around it.
HISTORY_VIEWS = (
    "/today", "/entries", "/treatments/", "/treatments/medications/", "/trends/",
    "/trends/timeline", "/trends/timeline?range=all", "/trends/side-effects",
    "/trends/figures/timeline.json", "/trends/figures/timeline.json?range=all",
    "/trends/figures/before-after.json", "/trends/figures/compared.json", "/report",
    "/export/fhir.json", "/export/diary.zip",
)


@dataclass
class Answer:
    status: int
    location: str | None
    body: bytes

    @property
    def path(self) -> str | None:
        return urlsplit(self.location).path if self.location else None

    def text(self) -> str:
        """The body as text; an export's zip as the text of every file in it."""
        if self.body[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(self.body)) as archive:
                return "\n".join(archive.read(name).decode() for name in archive.namelist())
        return self.body.decode()


class ClientDevice:
    """A browser played by Flask's test client."""

    def __init__(self, app, client=None):
        self.app = app
        self.client = client or app.test_client()

    def get(self, path: str) -> Answer:
        return self.answer(self.client.get(path))

    def post(self, path: str, form: dict) -> Answer:
        return self.answer(self.client.post(path, data=form))

    @staticmethod
    def answer(response) -> Answer:
        return Answer(response.status_code, response.headers.get("Location"), response.get_data())

    def carrying(self, name: str) -> "ClientDevice":
        copy = self.app.test_client()
        copy.set_cookie(name, self.client.get_cookie(name).value)
        return ClientDevice(self.app, copy)


class HttpDevice:
    """A browser over HTTP against a real server, with CSRF on: it keeps its cookies and sends
    the token of the last page that had a form (a new session needs a new token)."""

    NEW_SESSION = ("/login", "/register", "/logout", "/account/delete", "/account/password")

    def __init__(self, port: int, cookies: dict | None = None):
        self.port = port
        self.cookies: dict[str, str] = dict(cookies or {})
        self.token: str | None = None

    def request(self, method: str, path: str, body: str | None = None) -> Answer:
        connection = HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            answer = Answer(response.status, response.getheader("Location"), response.read())
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel.value and morsel["max-age"] != "0" and "1970" not in morsel["expires"]:
                        self.cookies[name] = morsel.value
                    else:  # the server deleted it
                        self.cookies.pop(name, None)
        finally:
            connection.close()
        return answer

    def get(self, path: str) -> Answer:
        answer = self.request("GET", path)
        if answer.status == 200 and b'name="csrf_token"' in answer.body:
            page = BeautifulSoup(answer.body, "html.parser")
            self.token = page.find("input", {"name": "csrf_token"})["value"]
        return answer

    def post(self, path: str, form: dict) -> Answer:
        if self.token is None:
            self.get("/login")  # any page with a form gives this session's token
        answer = self.request("POST", path, urlencode({**form, "csrf_token": self.token}))
        if path in self.NEW_SESSION:
            self.token = None
        return answer

    def carrying(self, name: str) -> "HttpDevice":
        return HttpDevice(self.port, {name: self.cookies[name]})


def data_version_reader(engine):
    def data_version(email: str) -> int:
        with Session(engine) as session:
            return session.exec(select(Patient.data_version).where(Patient.email == email)).one()
    return data_version


def today() -> date:
    return date.today()


def register(device, patient: dict) -> None:
    device.get("/register")
    answer = device.post("/register", patient)
    assert answer.status == 302 and answer.path == "/today", f"registering answered {answer.status}"


def log_in(device, patient: dict, remember: bool = False) -> None:
    device.get("/login")
    form = {"email": patient["email"], "password": patient["password"]}
    answer = device.post("/login", {**form, **({"remember": "yes"} if remember else {})})
    assert answer.status == 302 and answer.path == "/today", f"logging in answered {answer.status}"


def created(device, path: str, form: dict) -> str:
    answer = device.post(path, form)
    assert answer.status == 302, f"{path} answered {answer.status}: {answer.text()[:300]}"
    return answer.location


def write_alices_diary(device) -> None:
    """Three weeks of pain, a ketamine series with a dose between, a medicine taken every day."""
    infusion_day = today() - timedelta(days=10)
    for offset in range(1, 21):
        day = today() - timedelta(days=offset)
        created(device, "/entries", {"day": day.isoformat(), "pain_avg": "9" if day < infusion_day else "3",
                                     "se_nausea": "mild"})
    location = created(device, "/treatments/series", {
        "name": "alice-series", "condition": "other", "condition_other": "alice-condition",
        "route": "iv", "clinic": "alice-clinic"})
    series_id = re.search(r"/series/(\d+)", location).group(1)
    created(device, f"/treatments/series/{series_id}/infusions", {
        "day": infusion_day.isoformat(), "start_time": "09:00", "dose_mg": "35", "pain_before": "9"})
    created(device, "/treatments/medications/", {"name": "alice-medicine", "drug": "oxycodone",
                                                 "unit": "mg", "form": "tablet", "usual_dose": "5"})
    page = BeautifulSoup(device.get("/treatments/medications/day").text(), "html.parser")
    amount = page.find("input", attrs={"name": re.compile(r"^amount_\d+$")})["name"]
    for offset in range(1, 4):
        created(device, "/treatments/medications/day",
                {"day": (today() - timedelta(days=offset)).isoformat(), amount: "10"})


def make_share_link(device) -> str:
    """A new share link's path (/s/<token>), read from the page that shows it once."""
    location = created(device, "/share", {"label": "Dr. Lin", "expires_in_days": "30"})
    page = BeautifulSoup(device.get(urlsplit(location).path).text(), "html.parser")
    return urlsplit(page.find("input", id="share-url")["value"]).path


def everything(device, share_path: str, clinician) -> dict[str, str]:
    """Every history view as ``device`` sees it, and the share link as a clinician sees it."""
    seen = {}
    for path in HISTORY_VIEWS:
        answer = device.get(path)
        assert answer.status == 200, f"{path} answered {answer.status}"
        seen[path] = answer.text()
    answer = clinician.get(share_path)
    assert answer.status == 200, f"the share link answered {answer.status}"
    seen[share_path] = answer.text()
    return seen


def alices_words_in(seen: dict[str, str]) -> dict[str, list[str]]:
    return {path: found for path, text in seen.items()
            if (found := [word for word in ALICE_WORDS if word in text])}


def assert_sent_to_log_in(device, what: str) -> None:
    for path in ("/today", "/trends/", "/export/fhir.json"):
        answer = device.get(path)
        assert answer.status == 302 and answer.path == "/login", (
            f"{what} opened {path}: {answer.status} {answer.location}")


def delete_account(device) -> None:
    answer = device.post("/account/delete", {"password": PASSWORD})
    assert answer.status == 302 and answer.path == "/login"


def play(new_device, data_version, remove_alice=delete_account) -> dict:
    """The whole attack; returns what it observed for the caller's own assertions.

    ``new_device()`` opens a browser; ``data_version(email)`` reads a patient's data version
    from the database; ``remove_alice(device)`` ends Alice's account (by default she deletes it
    on ``device``; a restore of a backup from before she signed up does it too).
    """
    alice = new_device()
    register(alice, ALICE)
    write_alices_diary(alice)
    laptop = new_device()
    log_in(laptop, ALICE, remember=True)
    clinician = new_device()
    alices_link = make_share_link(alice)
    for device in (alice, laptop):  # twice over, so that each worker of a real server has it
        seen = everything(device, alices_link, clinician)
        everything(device, alices_link, clinician)
    shown = alices_words_in(seen)
    # The check below can fail: Alice's own views do show her words.
    assert {"/trends/", "/report", "/export/fhir.json", "/export/diary.zip", alices_link} <= set(shown)
    assert set(ALICE_WORDS) == {word for words in shown.values() for word in words}
    alices_version = data_version(ALICE["email"])

    remembered = laptop.carrying("remember_token")
    session_copy = laptop.carrying("session")
    remove_alice(alice)

    dana = new_device()
    register(dana, DANA)
    for device, what in ((laptop, "Alice's other session"), (remembered, "Alice's remember-me cookie"),
                         (session_copy, "a copy of Alice's session cookie"),
                         (alice, "the device Alice deleted her account on")):
        assert_sent_to_log_in(device, what)

    danas_link = make_share_link(dana)
    # Dana changes her diary without opening any history view until her data version is Alice's:
    # opening one earlier would replace Alice's cached history under the same id.
    day = today() - timedelta(days=30)
    while data_version(DANA["email"]) < alices_version:
        created(dana, "/entries", {"day": day.isoformat(), "pain_avg": "2"})
        day -= timedelta(days=1)
    versions_seen = []
    for _ in range(2):  # at Alice's version, and past it
        version = data_version(DANA["email"])
        versions_seen.append(version)
        leaks = alices_words_in(everything(dana, danas_link, clinician))
        assert not leaks, f"at Dana's data version {version} (Alice's was {alices_version}): {leaks}"
        created(dana, "/entries", {"day": day.isoformat(), "pain_avg": "2"})
        day -= timedelta(days=1)
    assert versions_seen == [alices_version, alices_version + 1]
    return {"alices_version": alices_version, "danas_versions": versions_seen}
