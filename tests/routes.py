"""Walking every route of the app: URLs with real ids, the forms pages offer, and table dumps.

The access-control, CSRF, fuzzing and account-deletion tests all start here, so a route, a form
or a table added later is covered by them without anyone remembering to list it.

A route with an id in its URL (``<int:entry_id>``) needs a real object of the owner's to point
at: ``PARAMETER_FACTORIES`` maps each URL parameter name to a function that creates one through
the app itself, as the patient would. A new parameter name fails the tests until it is added.
"""

import functools
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import parse_qsl, urlsplit

import pyotp
import pytest
from sqlalchemy import select as core_select
from sqlmodel import SQLModel, select
from werkzeug.routing import IntegerConverter, Rule

from diary import create_app, days
from diary.models import Entry, Medication, PushSubscription, QuestionnaireAnswer, ShareLink, TherapyEvent
from tests.conftest import PASSWORD, TEST_CONFIG
from tests.html import parse

# Routes anyone may open without logging in, by URL rule. Everything else must send an
# anonymous visitor to the login page (or answer 401). Add the share view and the service
# worker here when they land, and nothing that shows a patient's data.
PUBLIC_ROUTES = {
    "/login",
    "/register",
    "/static/<path:filename>",
    "/health",  # "ok" or 503, nothing else
    "/s/<secret:token>",  # the clinician's view of a share link: the token is the key
    "/trends/how",  # how the before/after analysis works: the same text for everyone
    "/sw.js",  # the service worker: caches only versioned static files
    "/offline",  # the page shown with no network: no patient data
    "/fhir/CodeSystem/pain-diary",  # the diary's own FHIR codes, named in every export: no patient data
    "/password/forgot",  # asks for an address; answers the same whether it has an account or not
    "/password/reset/<secret:token>",  # the e-mailed token is the key; shows no data
    "/reminders/unsubscribe/<secret:token>",  # the signed link in a reminder e-mail is the key
    "/clinic/login",  # the clinicians' login: the same as the patients', on its own page
    "/clinic/register",  # a clinician's account needs an invite code of the clinician kind
}

# Where each part of the app sends a visitor who is not logged in (as its kind of account).
CLINIC_PREFIX = "/clinic"


def login_path(rule: str) -> str:
    return "/clinic/login" if rule.startswith(CLINIC_PREFIX + "/") else "/login"

# Writes that take no CSRF token, with the reason. Anything else without one must be refused.
CSRF_EXEMPT = {
    # Mail apps post here themselves (RFC 8058 one-click) without a session: the signed link is
    # the proof, and all it can do is stop reminder e-mails.
    "/reminders/unsubscribe/<secret:token>",
}

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Route:
    """One method of one URL rule, e.g. POST /entries/<int:entry_id>."""

    rule: str
    method: str
    werkzeug_rule: Rule = field(repr=False, compare=False)

    def __str__(self):
        return f"{self.method} {self.rule}"

    @property
    def arguments(self) -> tuple[str, ...]:
        return tuple(sorted(self.werkzeug_rule.arguments))

    @property
    def int_arguments(self) -> tuple[str, ...]:
        return tuple(name for name, converter in self.werkzeug_rule._converters.items()
                     if isinstance(converter, IntegerConverter))

    def url(self, values: dict) -> str:
        """The path, built by werkzeug as url_for would."""
        return self.werkzeug_rule.build(values, append_unknown=False)[1]


def routes_of(app) -> list[Route]:
    """Every (rule, method) pair the app answers, HEAD and OPTIONS aside (Flask adds those)."""
    routes = [Route(rule.rule, method, rule)
              for rule in app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"}]
    return sorted(routes, key=lambda route: (route.rule, route.method))


@functools.cache
def all_routes() -> list[Route]:
    """The routes of an app built only to read its URL map (at collection time)."""
    instance = tempfile.mkdtemp(prefix="diary-routes-")
    return routes_of(create_app({**TEST_CONFIG, "DATABASE_URL": "sqlite://"}, instance_path=instance))


# --- Objects to point the URLs at ---------------------------------------------------------------

class Diary:
    """Creates objects of one patient through the app, using that patient's logged-in client.

    Every text it writes starts with ``word`` ("secret-note"), so a page can be searched for it.
    """

    def __init__(self, client, db, patient, word: str = "secret"):
        self.client, self.db, self.patient, self.word = client, db, patient, word
        self.next_day = date(2026, 1, 1)
        self.ids: dict[str, int] = {}  # one object per parameter name, shared by all routes

    def day(self) -> str:
        self.next_day += timedelta(days=1)
        return self.next_day.isoformat()


def make_entry(diary: Diary) -> int:
    day = diary.day()
    response = diary.client.post("/entries", data={
        "day": day, "pain_avg": "7", "pain_worst": "9", "mood": "3", "se_nausea": "moderate",
        "se_other": "mild", "se_other_text": f"{diary.word}-side-effect", "notes": f"{diary.word}-note"})
    assert response.status_code == 302, f"could not create an entry: {response.status_code}"
    diary.db.expire_all()
    return diary.db.exec(select(Entry.id).where(Entry.patient_id == diary.patient.id,
                                                Entry.day == date.fromisoformat(day))).one()


def posted(diary: Diary, path: str, data: dict) -> str:
    """POST as the patient; the new object's page (the redirect) must follow."""
    response = diary.client.post(path, data=data)
    assert response.status_code == 302, f"{path}: {response.status_code} {response.get_data(as_text=True)[:500]}"
    diary.db.expire_all()
    return response.location


def newest(diary: Diary, model) -> int:
    return diary.db.exec(select(model.id).where(model.patient_id == diary.patient.id)
                         .order_by(model.id.desc())).first()


def make_series(diary: Diary) -> int:
    location = posted(diary, "/treatments/series", {
        "name": f"{diary.word}-series", "condition": "crps", "route": "iv",
        "clinic": f"{diary.word}-clinic"})
    return int(re.search(r"/series/(\d+)", location).group(1))


def make_infusion(diary: Diary) -> int:
    series_id = make_series(diary)
    location = posted(diary, f"/treatments/series/{series_id}/infusions", {
        "day": diary.day(), "start_time": "09:00", "dose_mg": "35", "pain_before": "8",
        "se_during_dissociation": "moderate", "se_after_nausea": "mild", "notes": f"{diary.word}-note"})
    return int(re.search(r"#infusion-(\d+)$", location).group(1))


def make_medication(diary: Diary) -> int:
    posted(diary, "/treatments/medications/", {"name": f"{diary.word}-medicine", "drug": "oxycodone",
                                               "unit": "mg", "form": "tablet", "usual_dose": "5"})
    medication_id = newest(diary, Medication)
    posted(diary, "/treatments/medications/day", {"day": diary.day(), f"amount_{medication_id}": "10"})
    return medication_id


def make_therapy(diary: Diary) -> int:
    posted(diary, "/treatments/therapies/", {"day": diary.day(), "kind": "cbt", "note": f"{diary.word}-note"})
    return newest(diary, TherapyEvent)


def make_share_link(diary: Diary) -> int:
    posted(diary, "/share", {"label": f"{diary.word}-clinician", "expires_in_days": "30"})
    return newest(diary, ShareLink)


def make_questionnaire_answer(diary: Diary) -> int:
    """Today's PHQ-9, with question 9 answered, so the safety flag shows on every page."""
    posted(diary, "/questionnaires/phq9", {**{f"item_{n}": "2" for n in range(1, 10)}, "difficulty": "1"})
    return newest(diary, QuestionnaireAnswer)


def make_push_subscription(diary: Diary) -> int:
    """Reminders by push and e-mail on a device, one reminder claimed (its push cannot be
    delivered: nothing listens on port 9), and a forgot-password link."""
    from diary.password_reset import create_reset
    from tests.reminders.services import Device

    posted(diary, "/reminders", {"time_1": "00:00", "by_push": "yes", "by_email": "yes"})
    posted(diary, "/reminders/devices", Device(f"https://127.0.0.1:9/push/patient-{diary.patient.id}").form())
    app = diary.client.application
    result = app.test_cli_runner().invoke(args=["admin", "send-reminders"])
    assert result.exit_code == 0, result.output
    with app.test_request_context():
        create_reset(diary.patient.id)
    return newest(diary, PushSubscription)


def make_clinician_connection(diary: Diary) -> int:
    """The patient connected to a clinician (with notes), who has opened the diary once. The
    clinician makes the code on the clinic's page; here, with the same query function."""
    from diary.clinic import queries
    from tests.clinic.personas import make_clinician

    app = diary.client.application
    clinician = make_clinician(app, "clinician@example.com", "Dr Grey")
    with app.app_context():
        code, _ = queries.new_connection_code(diary.db, clinician.id)
    posted(diary, "/clinicians", {"code": code, "include_notes": "yes"})
    connection = queries.active_connection(diary.db, clinician.id, diary.patient.id)
    queries.record_visit(diary.db, connection)
    return connection.id


def turn_on_second_factor(client) -> tuple[str, list[str]]:
    """Set up two-step login as the patient would: scan (here: read) the key shown on the page,
    type back the app's current code (now as the app's clock has it: tests may set it).
    The key and the 10 recovery codes shown once."""
    assert client.post("/account/two-step/start").status_code == 302
    secret = "".join(parse(client.get("/account/two-step")).find(id="setup-key").get_text().split())
    response = client.post("/account/two-step/confirm", data={"code": pyotp.TOTP(secret).at(days.utc_now())})
    assert response.status_code == 302 and response.location == "/account/two-step/recovery-codes"
    codes = [item.get_text(strip=True) for item in
             parse(client.get(response.location)).select("ol.recovery-codes li")]
    return secret, codes


# URL parameter name -> function creating the patient's object and returning its id.
PARAMETER_FACTORIES = {
    "entry_id": make_entry,
    "series_id": make_series,
    "infusion_id": make_infusion,
    "medication_id": make_medication,
    "therapy_id": make_therapy,
    "link_id": make_share_link,
    "answer_id": make_questionnaire_answer,
    "subscription_id": make_push_subscription,
    "connection_id": make_clinician_connection,
    # A patient's id in the clinician's URLs: the route walk's clinician personas read them.
    "patient_id": lambda diary: diary.patient.id,
}


def values_for(route: Route, diary: Diary) -> dict:
    """Real ids of the patient's objects for every argument of the route."""
    values = {}
    for argument in route.arguments:
        if argument in route.int_arguments:
            if argument not in PARAMETER_FACTORIES:
                pytest.fail(f"{route}: no factory for the URL parameter {argument!r}; add one to "
                            "PARAMETER_FACTORIES in tests/routes.py so that this route's access "
                            "control is tested")
            if argument not in diary.ids:
                diary.ids[argument] = PARAMETER_FACTORIES[argument](diary)
            values[argument] = diary.ids[argument]
        else:
            values[argument] = "css/app.css" if argument == "filename" else "not-a-real-token"
    return values


def logged_in(app, email: str):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def filled_diary(app, patient, db) -> Diary:
    """The patient logged in, with one of everything, so that every page shows something."""
    diary = Diary(logged_in(app, patient.email), db, patient)
    for name, factory in PARAMETER_FACTORIES.items():
        diary.ids[name] = factory(diary)
    return diary


# --- Forms and query parameters the pages offer -------------------------------------------------

@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str]  # name -> value as the page fills it in
    options: dict[str, list[str]]  # name -> every value the page offers (radios, selects)


def forms_in(response, page_path: str) -> list[Form]:
    forms = []
    for node in parse(response).find_all("form"):
        action = urlsplit(node.get("action") or page_path).path or page_path
        fields, options = {}, {}
        for element in node.find_all(["input", "select", "textarea"]):
            name = element.get("name")
            if not name or element.get("type") in ("submit", "button"):
                continue
            if element.name == "select":
                choices = [option.get("value", option.get_text()) for option in element.find_all("option")]
                options[name] = choices
                chosen = element.find("option", selected=True)
                fields[name] = chosen.get("value") if chosen else (choices[0] if choices else "")
            elif element.get("type") in ("radio", "checkbox"):
                options.setdefault(name, []).append(element.get("value", "on"))
                if element.has_attr("checked"):
                    fields[name] = element.get("value", "on")
                else:
                    fields.setdefault(name, "")
            elif element.name == "textarea":
                fields[name] = element.get_text()
            else:
                fields[name] = element.get("value", "")
        forms.append(Form(action, (node.get("method") or "get").upper(), fields, options))
    return forms


def query_names_in(response) -> dict[str, set[str]]:
    """Path -> query parameter names, from every link, htmx attribute and GET form on a page."""
    names: dict[str, set[str]] = {}
    page = parse(response)
    for attribute in ("href", "hx-get", "action"):
        for node in page.find_all(attrs={attribute: True}):
            parts = urlsplit(node[attribute])
            if parts.netloc or not parts.path.startswith("/"):
                continue
            found = {name for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
            if node.name == "form" and (node.get("method") or "get").lower() == "get":
                found |= {element["name"] for element in node.find_all(attrs={"name": True})}
            names.setdefault(parts.path, set()).update(found - {"v"})  # v: static file version
    return names


def changed(form: Form) -> dict[str, str]:
    """The form filled in differently from what the page shows, so an accepted write would show."""
    data = {}
    for name, value in form.fields.items():
        others = [option for option in form.options.get(name, []) if option not in ("", value)]
        if others:
            data[name] = others[0]
        elif name == "csrf_token" or name == "day":
            data[name] = value
        else:
            data[name] = (value or "") + " changed"
    return data


@dataclass
class Site:
    """What the pages offer: forms by the route they send to, query parameter names by route."""

    forms: dict[tuple[str, str], Form] = field(default_factory=dict)  # (rule, method) -> form
    query_names: dict[str, set[str]] = field(default_factory=dict)  # rule -> names


def crawl(app, diary: Diary) -> Site:
    """Open every page the patient can open, full and as an htmx fragment, and note its forms
    and the query parameters of its links, by the route they go to."""
    site = Site()
    adapter = app.url_map.bind("localhost")

    def route_of(path: str, method: str):
        try:
            return adapter.match(path, method=method, return_rule=True)[0].rule
        except Exception:  # not one of ours, or not for that method
            return None

    for route in all_routes():
        if route.method != "GET" or route.rule.startswith("/static"):
            continue
        url = route.url(values_for(route, diary))
        for headers in ({}, {"HX-Request": "true"}):
            response = diary.client.get(url, headers=headers)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            for form in forms_in(response, url):
                rule = route_of(form.action, form.method)
                if rule:
                    site.forms.setdefault((rule, form.method), form)
            for path, names in query_names_in(response).items():
                rule = route_of(path, "GET")
                if rule:
                    site.query_names.setdefault(rule, set()).update(names)
    return site


def request_data(route: Route, url: str, diary: Diary) -> dict:
    """What the page's own form for this URL would send, filled in differently."""
    if route.method == "GET":
        return {}
    form = form_for(diary.client.application, route, diary)
    return changed(form) if form else {}


_site: list[Site] = []  # the first crawl of the run; page shapes do not change between tests


def form_for(app, route: Route, diary: Diary) -> Form | None:
    """The form the app's own pages offer for this route, if any."""
    if not _site:
        _site.append(crawl(app, diary))
    return _site[0].forms.get((route.rule, route.method))


# --- Everything in the database -----------------------------------------------------------------

def dump(engine) -> dict[str, list[tuple]]:
    """Every row of every table the models declare, in a stable order."""
    tables = {}
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            rows = connection.execute(core_select(table)).all()
            tables[table.name] = sorted((tuple(row) for row in rows), key=repr)
    return tables


def data_versions(engine) -> dict[int, int]:
    """Each patient's data version (diary.versions), by patient id."""
    with engine.connect() as connection:
        patients = SQLModel.metadata.tables["patient"]
        return dict(connection.execute(core_select(patients.c.id, patients.c.data_version)).all())
