"""Forgot password: a single-use link by e-mail that expires within the hour, only its hash kept,
requests rate-limited, the page the same whether or not the address has an account, and every
session ended once the new password is set. Without SMTP the page says to ask the admin."""

import hashlib
import re

import pytest
from sqlalchemy import event
from sqlmodel import select

from diary.models import PasswordReset, Patient
from tests.conftest import PASSWORD, make_patient
from tests.html import parse, title
from tests.routes import dump

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def mail_app(make_app, smtp):
    return make_app(**smtp.config())


@pytest.fixture
def alice_account(mail_app):
    return make_patient(mail_app, "alice@example.com", "Alice")


def ask_for_a_link(client, email: str):
    """The forgot-password form sent, and its response closed, as a server closes it once sent."""
    response = client.post("/password/forgot", data={"email": email})
    response.close()
    return response


def reset_link(smtp) -> str:
    [mail] = smtp.inbox.messages
    return re.search(r"https://diary\.example\.org(/password/reset/\S+)", mail.get_content()).group(1)


def test_without_smtp_the_page_says_to_ask_the_admin(client):
    response = client.get("/password/forgot")
    assert response.status_code == 200
    assert "Ask the person who runs this diary" in parse(response).find("main").get_text()
    assert parse(response).find("form", method="post") is None
    assert parse(client.get("/login")).find("a", href="/password/forgot")


def test_the_link_sets_a_new_password_once_and_ends_every_session(mail_app, alice_account, smtp, db):
    other_device = mail_app.test_client()
    other_device.post("/login", data={"email": "alice@example.com", "password": PASSWORD})
    client = mail_app.test_client()
    response = ask_for_a_link(client, "Alice@Example.com")
    assert response.status_code == 200 and title(response) == "Check your email"
    link = reset_link(smtp)
    token = link.rsplit("/", 1)[1]
    [reset] = db.exec(select(PasswordReset)).all()
    assert reset.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in repr(dump(mail_app.extensions["diary_engine"]))  # only its hash is kept

    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": NEW_PASSWORD})
    assert response.status_code == 302 and response.location == "/login"
    assert other_device.get("/today").status_code == 302  # logged out everywhere
    assert client.post("/login", data={"email": "alice@example.com", "password": PASSWORD}).status_code == 401
    assert client.post("/login", data={"email": "alice@example.com", "password": NEW_PASSWORD}).status_code == 302

    assert mail_app.test_client().post(link, data={"password": "yet another password"}).status_code == 410
    db.expire_all()
    assert db.exec(select(PasswordReset.used_at)).one() is not None


def statements_of(engine, request):
    """The SQL statements (without their values) that ``request()`` sent, and its response."""
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        return statements, request()
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_the_answer_takes_the_same_work_for_any_address_and_the_email_goes_after_it(
        mail_app, alice_account, smtp, db):
    engine = mail_app.extensions["diary_engine"]
    answers = {}
    for email in ("alice@example.com", "nobody@example.com"):
        client = mail_app.test_client()
        sent_before = len(smtp.inbox.messages)
        statements, response = statements_of(
            engine, lambda: client.post("/password/forgot", data={"email": email}))
        assert response.status_code == 200
        answers[email] = (statements, parse(response).find("main").get_text(),
                          len(smtp.inbox.messages) - sent_before)
        # Only after the server has sent the response (WSGI: it closes it) is the account
        # looked up, the link stored and mailed.
        response.close()
    assert answers["alice@example.com"] == answers["nobody@example.com"]
    assert answers["nobody@example.com"][2] == 0  # no e-mail went out while either request ran
    assert smtp.inbox.recipients == [["alice@example.com"]]
    assert [reset.patient_id for reset in db.exec(select(PasswordReset))] == [alice_account.id]


def test_the_link_expires_after_an_hour(mail_app, alice_account, smtp, clock, db):
    clock.set("2026-03-02T10:00")
    client = mail_app.test_client()
    ask_for_a_link(client, "alice@example.com")
    link = reset_link(smtp)
    clock.set("2026-03-02T11:01")
    response = client.post(link, data={"password": NEW_PASSWORD})
    assert response.status_code == 410 and title(response) == "This link no longer works"
    db.expire_all()
    assert db.get(Patient, alice_account.id).password_hash == alice_account.password_hash


def test_a_short_password_is_refused_and_the_link_still_works(mail_app, alice_account, smtp):
    client = mail_app.test_client()
    ask_for_a_link(client, "alice@example.com")
    link = reset_link(smtp)
    response = client.post(link, data={"password": "short"})
    assert response.status_code == 422
    assert client.post(link, data={"password": NEW_PASSWORD}).status_code == 302


def test_a_bad_address_is_explained(mail_app):
    response = ask_for_a_link(mail_app.test_client(), "not an address")
    assert response.status_code == 422


def test_requests_for_one_address_are_rate_limited(make_app, smtp, alice_account):
    limited = make_app(**smtp.config(), RATELIMIT_RESET_PER_EMAIL="2 per hour")
    client = limited.test_client()
    statuses = [ask_for_a_link(client, "alice@example.com").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert len(smtp.inbox.messages) == 2


def test_a_made_up_token_answers_410(mail_app):
    assert mail_app.test_client().get("/password/reset/made-up-token").status_code == 410
