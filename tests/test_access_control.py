"""Nobody gets in where they don't belong, checked over every route of the app.

The routes come from ``app.url_map`` at collection time, so a route added later is covered
without anyone listing it: anonymous visitors are sent to log in (outside ``PUBLIC_ROUTES``),
another patient's ids answer 404 for reading and for every write, and every write needs the
session's CSRF token. Each check also dumps every table before and after, so "changes nothing"
means nothing at all.

Clinicians (diary.clinic) are walked over every route too: one Alice is connected to, one she
never connected to, and one she disconnected after it had opened her diary. No clinician opens a
patient's route; on the clinic's routes none changes anything of a patient's, and only the
connected one sees Alice's diary. A patient opens none of the clinic's routes.

One more persona: the patient who signs up after another deleted her account (issue 22). The
deleted patient's cookies must open no route, and nothing the new one opens may show the deleted
diary, although every page once held it in the caches and the new diary's data version is the
deleted one's.
"""

from urllib.parse import urlsplit

import pytest
from sqlmodel import Session, select
from werkzeug.routing import Map, Rule

from diary import create_app
from diary.models import ClinicianConnection, Patient
from tests.clinic.personas import connect, enrolled, new_code
from tests.conftest import PASSWORD, TEST_CONFIG, make_patient
from tests.html import parse, title
from tests.inherited_account import Answer
from tests.routes import (
    CLINIC_PREFIX, CSRF_EXEMPT, PARAMETER_FACTORIES, PUBLIC_ROUTES, WRITE_METHODS, Diary, Route,
    all_routes, crawl, data_versions, dump, filled_diary, logged_in, login_path, request_data,
    values_for,
)

ROUTES = all_routes()
PRIVATE = [route for route in ROUTES if route.rule not in PUBLIC_ROUTES]
CLINIC = [route for route in ROUTES if route.rule.startswith(CLINIC_PREFIX + "/")]
PATIENTS_PRIVATE = [route for route in PRIVATE if route not in CLINIC]
# Routes with a patient's own ids; the clinic's (a patient's id in a clinician's URL) are below.
WITH_IDS = [route for route in ROUTES if route.int_arguments and route not in CLINIC]
WRITES = [route for route in ROUTES if route.method in WRITE_METHODS]

# What Alice's diary holds that must never appear in someone else's response.
SECRETS = ("alice@example.com", "secret-note", "secret-side-effect", "secret-series",
           "secret-clinic", "secret-medicine", "secret-clinician")


@pytest.fixture
def alices_diary(app, alice, db):
    return filled_diary(app, alice, db)


def assert_nothing_leaks(response):
    body = response.get_data(as_text=True)
    for secret in SECRETS:
        assert secret not in body, f"{secret!r} leaked"
        assert secret not in response.headers.get("Location", "")


def engine_of(app):
    return app.extensions["diary_engine"]


def test_the_walk_finds_the_diary_routes():
    """Guards the walk itself: if it found nothing, every test below would pass vacuously."""
    found = {str(route) for route in ROUTES}
    assert {"GET /today", "POST /entries", "POST /entries/<int:entry_id>",
            "POST /entries/<int:entry_id>/delete", "POST /logout"} <= found
    assert len(WITH_IDS) >= 5 and len(WRITES) >= 6


@pytest.mark.parametrize("route", PRIVATE, ids=str)
def test_anonymous_visitors_are_sent_to_log_in_and_see_nothing(app, alices_diary, route):
    url = route.url(values_for(route, alices_diary))
    data = request_data(route, url, alices_diary)
    before, versions = dump(engine_of(app)), data_versions(engine_of(app))
    for headers in ({}, {"HX-Request": "true"}):
        response = app.test_client().open(url, method=route.method, data=data, headers=headers)
        if response.status_code != 401:
            assert response.status_code == 302, f"{route} answered {response.status_code}"
            assert urlsplit(response.location).path == login_path(route.rule)
        assert_nothing_leaks(response)
    assert data_versions(engine_of(app)) == versions  # a refused write leaves every data version
    assert dump(engine_of(app)) == before


@pytest.mark.parametrize("route", [route for route in ROUTES if route.rule in PUBLIC_ROUTES
                                   and route.method == "GET"], ids=str)
def test_public_pages_show_anonymous_visitors_no_patient_data(app, alices_diary, route):
    response = app.test_client().get(route.url(values_for(route, alices_diary)))
    response.get_data()
    response.close()  # static files are open streams
    assert response.status_code in (200, 404, 410)
    assert_nothing_leaks(response)


@pytest.mark.parametrize("route", WITH_IDS, ids=str)
def test_another_patients_ids_answer_404_and_change_nothing(app, alices_diary, charlie, route):
    url = route.url(values_for(route, alices_diary))
    data = request_data(route, url, alices_diary)
    intruder = logged_in(app, charlie.email)
    before, versions = dump(engine_of(app)), data_versions(engine_of(app))
    for headers in ({}, {"HX-Request": "true"}):
        response = intruder.open(url, method=route.method, data=data, headers=headers)
        assert response.status_code == 404, f"{route} answered {response.status_code} to Charlie"
        assert_nothing_leaks(response)
    assert data_versions(engine_of(app)) == versions  # a refused write leaves every data version
    assert dump(engine_of(app)) == before
    # The same request from Alice is not a 404: the id was real, ownership made the difference.
    assert alices_diary.client.open(url, method=route.method, data=data).status_code != 404


@pytest.fixture
def csrf_app(app, make_app):
    """The same database served with CSRF protection on, as in production."""
    protected = make_app(WTF_CSRF_ENABLED=True)
    yield protected
    protected.extensions["diary_engine"].dispose()


def logged_in_with_token(app, email: str):
    client = app.test_client()
    token = parse(client.get("/login")).find("input", {"name": "csrf_token"})["value"]
    response = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("route", [route for route in WRITES if route.rule not in CSRF_EXEMPT], ids=str)
def test_every_write_without_a_valid_csrf_token_is_refused(csrf_app, alices_diary, route):
    url = route.url(values_for(route, alices_diary))
    data = {name: value for name, value in request_data(route, url, alices_diary).items()
            if name != "csrf_token"}
    client = logged_in_with_token(csrf_app, "alice@example.com")
    before, versions = dump(engine_of(csrf_app)), data_versions(engine_of(csrf_app))
    attempts = (
        ({}, data),
        ({}, {**data, "csrf_token": "forged"}),
        ({"X-CSRFToken": "forged", "HX-Request": "true"}, data),
    )
    for headers, form in attempts:
        response = client.open(url, method=route.method, data=form, headers=headers)
        assert response.status_code == 400, f"{route} answered {response.status_code}"
        assert title(response) == "This form has expired"
    assert data_versions(engine_of(csrf_app)) == versions  # a refused write leaves every data version
    assert dump(engine_of(csrf_app)) == before
    assert client.get("/today").status_code == 200  # still logged in: even logout needs the token


def test_a_new_id_parameter_without_a_factory_fails_loudly(app, alices_diary):
    rule = Rule("/widgets/<int:widget_id>", endpoint="widgets.show")
    Map([rule])  # binds the rule, as the app's URL map does
    with pytest.raises(pytest.fail.Exception, match="no factory for the URL parameter 'widget_id'"):
        values_for(Route(rule.rule, "GET", rule), alices_diary)


@pytest.fixture(scope="module")
def successor(databases, tmp_path_factory):
    """Alice fills her diary, opens every page (so every cache holds it) and deletes her account,
    with a second device still logged in and a remember-me cookie kept. Dana signs up next (on
    SQLite she used to get Alice's id back), makes one of everything and changes her diary until
    its data version is the one Alice's had. Built once: the tests below only read, and check
    that the stale cookies change nothing."""
    folder = tmp_path_factory.mktemp("successor")
    url = databases.new(folder)
    app = create_app({**TEST_CONFIG, "DATABASE_URL": url}, instance_path=str(folder / "instance"))
    engine = engine_of(app)
    with Session(engine, expire_on_commit=False) as db:
        alice = Diary(logged_in(app, make_patient(app, "alice@example.com", "Alice").email), db,
                      db.exec(select(Patient).where(Patient.email == "alice@example.com")).one())
        for name, factory in PARAMETER_FACTORIES.items():
            alice.ids[name] = factory(alice)
        crawl(app, alice)
        remembered = app.test_client()
        remembered.post("/login", data={"email": "alice@example.com", "password": PASSWORD,
                                        "remember": "yes"})
        other_device = app.test_client()
        other_device.set_cookie("session", alice.client.get_cookie("session").value)
        remember_only = app.test_client()
        remember_only.set_cookie("remember_token", remembered.get_cookie("remember_token").value)
        db.expire_all()
        alices_version = db.get(Patient, alice.patient.id).data_version
        assert alice.client.post("/account/delete", data={"password": PASSWORD}).status_code == 302

        dana_client = app.test_client()
        assert dana_client.post("/register", data={
            "display_name": "Dana", "email": "dana@example.com", "password": PASSWORD,
            "time_zone": alice.patient.time_zone}).status_code == 302
        dana = Diary(dana_client, db, db.exec(select(Patient).where(Patient.email == "dana@example.com")).one(),
                     word="dana")
        for name, factory in PARAMETER_FACTORIES.items():
            dana.ids[name] = factory(dana)
        while db.get(Patient, dana.patient.id).data_version < alices_version:
            assert dana.client.post("/entries", data={"day": dana.day(), "pain_avg": "1"}).status_code == 302
            db.expire_all()
        assert db.get(Patient, dana.patient.id).data_version == alices_version
        yield app, {"Alice's other session": other_device, "Alice's remember-me cookie": remember_only,
                    "the device Alice deleted her account on": alice.client}, dana
    engine.dispose()
    databases.drop(url)


@pytest.mark.parametrize("route", PRIVATE, ids=str)
def test_a_deleted_patients_cookies_open_no_route(successor, route):
    app, stale_devices, dana = successor
    url = route.url(values_for(route, dana))  # Dana's ids: the account that took Alice's place
    data = request_data(route, url, dana)
    before = dump(engine_of(app))
    for what, device in stale_devices.items():
        for headers in ({}, {"HX-Request": "true"}):
            response = device.open(url, method=route.method, data=data, headers=headers)
            if response.status_code != 401:
                assert response.status_code == 302, f"{what}: {route} answered {response.status_code}"
                assert urlsplit(response.location).path == login_path(route.rule), f"{what}: {route}"
            assert_nothing_leaks(response)
            assert "dana" not in response.get_data(as_text=True).lower()
    assert dump(engine_of(app)) == before


@pytest.mark.parametrize("route", [route for route in ROUTES if route.method == "GET"], ids=str)
def test_the_patient_who_signs_up_after_a_deletion_sees_nothing_of_it_on_any_route(successor, route):
    app, _, dana = successor
    url = route.url(values_for(route, dana))
    for headers in ({}, {"HX-Request": "true"}):
        response = dana.client.get(url, headers=headers)
        body = readable(response)
        response.close()  # static files are open streams
        assert response.status_code in (200, 302, 404, 410), f"{route} answered {response.status_code}"
        for secret in SECRETS:
            assert secret not in body, f"{secret!r} leaked"


def readable(response) -> str:
    """The body as text; a zip (the export) as the text of every file in it."""
    return Answer(response.status_code, None, response.get_data()).text()


# --- Clinicians and patients on each other's routes ---------------------------------------------

@pytest.fixture
def clinicians(app, alices_diary, db):
    """Three clinicians who passed their second factor: Alice connected to the first (with her
    notes), never to the second, and disconnected the third after it had opened her diary (so
    every cache holds it)."""
    alice = alices_diary
    connected, stranger, former = (enrolled(app, f"{who}@clinic.example.com", f"Dr {who.title()}")
                                   for who in ("connected", "stranger", "former"))
    assert connect(alice.client, new_code(connected.client), include_notes=True).status_code == 302
    assert connect(alice.client, new_code(former.client), include_notes=True).status_code == 302
    assert former.client.get(f"/clinic/patients/{alice.patient.id}").status_code == 200
    connection = db.exec(select(ClinicianConnection).where(
        ClinicianConnection.clinician_id == former.clinician.id)).one()
    assert alice.client.post(f"/clinicians/{connection.id}/disconnect").status_code == 302
    return {"connected": connected, "never connected": stranger, "disconnected": former}


def patients_rows(engine) -> dict[str, list[tuple]]:
    """Everything of every patient, but the log of clinicians' visits (which a visit adds to)."""
    return {name: rows for name, rows in dump(engine).items()
            if name not in ("clinician_visit", "clinician", "clinician_second_factor",
                            "clinician_recovery_code", "connection_code", "rate_limit_count")}


def test_no_clinician_opens_a_patients_route(app, alices_diary, clinicians):
    """One walk over every route (each is refused, so none changes what the next one sees): the
    personas are built once, which keeps this test to seconds."""
    for route in PATIENTS_PRIVATE:
        url = route.url(values_for(route, alices_diary))
        data = request_data(route, url, alices_diary)
        before, versions = dump(engine_of(app)), data_versions(engine_of(app))
        for who, clinician in clinicians.items():
            for headers in ({}, {"HX-Request": "true"}):
                response = clinician.client.open(url, method=route.method, data=data, headers=headers)
                if response.status_code != 401:
                    assert response.status_code == 302, f"{who}: {route} answered {response.status_code}"
                    assert urlsplit(response.location).path == "/login", f"{who}: {route}"
                assert_nothing_leaks(response)
        assert data_versions(engine_of(app)) == versions, route
        assert dump(engine_of(app)) == before, route
    for clinician in clinicians.values():  # still logged in to the clinic: nothing was mixed up
        assert clinician.client.get("/clinic/").status_code == 200


@pytest.mark.parametrize("route", CLINIC, ids=str)
def test_on_the_clinics_routes_no_clinician_changes_a_patients_data_and_only_the_connected_one_sees_it(
        app, alices_diary, clinicians, route):
    url = route.url(values_for(route, alices_diary))
    data = request_data(route, url, alices_diary)
    before, versions = patients_rows(engine_of(app)), data_versions(engine_of(app))
    for who, clinician in clinicians.items():
        for headers in ({}, {"HX-Request": "true"}):
            response = clinician.client.open(url, method=route.method, data=data, headers=headers)
            assert response.status_code < 500, f"{who}: {route} answered {response.status_code}"
            if who != "connected":
                assert_nothing_leaks(response)
                if route.rule == "/clinic/patients/<int:patient_id>":
                    assert response.status_code == 404, f"{who}: {route} answered {response.status_code}"
        assert patients_rows(engine_of(app)) == before, f"{who}: {route} changed a patient's data"
        assert data_versions(engine_of(app)) == versions
    if route.rule == "/clinic/patients/<int:patient_id>":  # the walk saw the diary where it may
        page = clinicians["connected"].client.get(url)
        assert page.status_code == 200 and "secret-note" in page.get_data(as_text=True)


def test_a_patient_opens_no_clinicians_route(app, alices_diary, clinicians):
    for route in [route for route in CLINIC if route.rule not in PUBLIC_ROUTES]:
        url = route.url(values_for(route, alices_diary))
        data = request_data(route, url, alices_diary)
        before, versions = dump(engine_of(app)), data_versions(engine_of(app))
        for headers in ({}, {"HX-Request": "true"}):
            response = alices_diary.client.open(url, method=route.method, data=data, headers=headers)
            assert response.status_code == 302, f"{route} answered {response.status_code}"
            assert urlsplit(response.location).path == "/clinic/login", route
            assert "secret-note" not in response.get_data(as_text=True)
        assert data_versions(engine_of(app)) == versions, route
        assert dump(engine_of(app)) == before, route
        assert alices_diary.client.get("/today").status_code == 200  # her own session is untouched


def clinician_with_token(app, email: str, recovery_code: str):
    """The clinician logged in on ``app`` (CSRF on) as in a browser: each form sends its token.
    The code step takes a recovery code: the app's code of this moment was used at set-up."""
    client = app.test_client()
    token = parse(client.get("/clinic/login")).find("input", {"name": "csrf_token"})["value"]
    response = client.post("/clinic/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302 and response.location == "/clinic/login/code"
    token = parse(client.get("/clinic/login/code")).find("input", {"name": "csrf_token"})["value"]
    response = client.post("/clinic/login/code", data={"code": recovery_code, "csrf_token": token})
    assert response.status_code == 302 and response.location == "/clinic/"
    return client


def test_every_write_from_a_clinician_without_a_valid_csrf_token_is_refused(csrf_app, alices_diary, clinicians):
    connected = clinicians["connected"]
    client = clinician_with_token(csrf_app, connected.clinician.email, connected.recovery_codes[0])
    for route in [route for route in WRITES if route.rule not in CSRF_EXEMPT]:
        url = route.url(values_for(route, alices_diary))
        data = {name: value for name, value in request_data(route, url, alices_diary).items()
                if name != "csrf_token"}
        before = dump(engine_of(csrf_app))
        for headers, form in (({}, data), ({}, {**data, "csrf_token": "forged"}),
                              ({"X-CSRFToken": "forged", "HX-Request": "true"}, data)):
            response = client.open(url, method=route.method, data=form, headers=headers)
            assert response.status_code == 400, f"{route} answered {response.status_code}"
            assert title(response) == "This form has expired", route
        assert dump(engine_of(csrf_app)) == before, route
        assert client.get("/clinic/").status_code == 200  # still logged in: even logout needs the token
