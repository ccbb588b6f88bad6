"""No one inherits another patient's account, sessions or cached diary (issue 22, items 1, 2, 6).

Account ids are never given out twice; every session and remember-me cookie is bound to a secret
the account keeps, so it opens only the account it was issued for; logging in starts a new
session; cached histories are keyed by what no two accounts share. Runs on SQLite and, with
DIARY_TEST_DATABASE_URL, on PostgreSQL.
"""

from sqlmodel import select

from diary.loaded_history import caches
from diary.models import Patient
from tests import inherited_account
from tests.conftest import PASSWORD, make_patient
from tests.html import parse
from tests.inherited_account import ClientDevice, data_version_reader


def test_a_deleted_patients_cookies_and_cached_diary_reach_nobody_who_signs_up_after(app):
    """The attack end to end: two sessions and a remember-me cookie, deletion, a new sign-up."""
    observed = inherited_account.play(lambda: ClientDevice(app), data_version_reader(app.extensions["diary_engine"]))
    assert observed["alices_version"] > 10


def register(client, email: str, name: str = "Patient") -> None:
    response = client.post("/register", data={"display_name": name, "email": email,
                                              "password": PASSWORD, "time_zone": "Europe/London"})
    assert response.status_code == 302


def test_an_account_id_is_never_given_out_again(app, db):
    client = app.test_client()
    register(client, "first@example.com")
    first = db.exec(select(Patient.id).where(Patient.email == "first@example.com")).one()
    client.post("/account/delete", data={"password": PASSWORD})
    assert db.exec(select(Patient).where(Patient.id == first)).first() is None
    register(app.test_client(), "second@example.com")
    second = db.exec(select(Patient.id).where(Patient.email == "second@example.com")).one()
    assert second > first


def test_each_account_has_its_own_random_session_secret(app, db):
    make_patient(app, "alice@example.com", "Alice")
    make_patient(app, "bob@example.com", "Bob")
    secrets = db.exec(select(Patient.session_secret)).all()
    assert len(set(secrets)) == 2
    assert all(len(secret) >= 43 for secret in secrets)  # 256 random bits, urlsafe base64


def test_a_cookie_for_one_account_never_opens_another_with_the_same_id(app, db, alice):
    """As after a restore of an older backup: the id comes back, the account is someone else."""
    client = app.test_client()
    client.post("/login", data={"email": alice.email, "password": PASSWORD, "remember": "yes"})
    remembered = client.get_cookie("remember_token").value
    account = db.exec(select(Patient).where(Patient.id == alice.id)).one()
    account.email, account.display_name = "erin@example.com", "Erin"
    account.session_secret = Patient().session_secret  # a new account's secret, under Alice's id
    db.add(account)
    db.commit()
    assert client.get("/today").status_code == 302
    stale = app.test_client()
    stale.set_cookie("remember_token", remembered)
    answer = stale.get("/today")
    assert answer.status_code == 302 and answer.location.startswith("/login")


def test_logging_in_starts_a_new_session(make_app, alice):
    """A CSRF token (or anything) planted in the session before login is not carried into it."""
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    planted = parse(client.get("/login")).find("input", {"name": "csrf_token"})["value"]
    before = client.get_cookie("session").value
    response = client.post("/login", data={"email": alice.email, "password": PASSWORD,
                                           "csrf_token": planted})
    assert response.status_code == 302
    assert client.get_cookie("session").value != before
    # The token from before login no longer passes; the page's new one does.
    refused = client.post("/account", data={"display_name": "Mallory", "time_zone": "UTC",
                                            "csrf_token": planted})
    assert refused.status_code == 400
    fresh = parse(client.get("/account")).find("input", {"name": "csrf_token"})["value"]
    assert fresh != planted
    accepted = client.post("/account", data={"display_name": "Al", "time_zone": "UTC",
                                             "csrf_token": fresh})
    assert accepted.status_code == 302


def test_deleting_an_account_drops_its_cached_diary(app, as_alice, alice):
    for path in ("/trends/", "/trends/figures/timeline.json", "/report"):
        assert as_alice.get(path).status_code == 200
    with app.app_context():
        cached = [slot for cache in caches() for slot in cache.items]
    assert cached, "the views above did not use the caches: this test would pass vacuously"
    as_alice.post("/account/delete", data={"password": PASSWORD})
    with app.app_context():
        assert [slot for cache in caches() for slot in cache.items] == []


def test_every_other_process_drops_a_deleted_patients_cached_diary(make_app, alice, charlie):
    """Two apps on one database stand for two server workers; the sweep runs before a request,
    here at every request instead of once a minute."""
    worker, other_worker = make_app(HISTORY_SWEEP_SECONDS=0), make_app(HISTORY_SWEEP_SECONDS=0)
    for patient in (alice, charlie):
        client = worker.test_client()
        client.post("/login", data={"email": patient.email, "password": PASSWORD})
        assert client.get("/trends/").status_code == client.get("/report").status_code == 200
    with worker.app_context():
        assert {key.patient_id for cache in caches() for key in cache.keys()} == {alice.id, charlie.id}
    elsewhere = other_worker.test_client()
    elsewhere.post("/login", data={"email": alice.email, "password": PASSWORD})
    assert elsewhere.post("/account/delete", data={"password": PASSWORD}).status_code == 302
    worker.test_client().get("/health")  # any request
    with worker.app_context():
        assert {key.patient_id for cache in caches() for key in cache.keys()} == {charlie.id}
