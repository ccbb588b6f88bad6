"""Who may create an account: open by default, closed, or by invite code."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from diary.models import Invite, SiteSetting, utcnow
from diary.registration import (
    InviteRefused, create_invite, find_invite, hash_code, set_registration_mode, use_invite,
)
from tests.conftest import find_user
from tests.html import field_error, parse, summary_errors

NEW_PATIENT = {"email": "dana@example.com", "display_name": "Dana", "password": "longenough",
               "time_zone": "Europe/London"}


@pytest.fixture
def admin(app):
    """What an admin does from the command line, done through the same functions."""
    class Admin:
        def registration(self, mode):
            with Session(app.extensions["diary_engine"]) as session:
                set_registration_mode(session, mode)

        def invite(self, expires_days=30, max_uses=1):
            with Session(app.extensions["diary_engine"], expire_on_commit=False) as session:
                code, _ = create_invite(session, expires_days=expires_days, max_uses=max_uses)
            return code

    return Admin()


def invite_row(db, code) -> Invite:
    db.expire_all()
    return db.exec(select(Invite).where(Invite.code_hash == hash_code(code))).one()


def test_a_new_install_is_open_and_asks_for_no_code(client, db):
    page = parse(client.get("/register"))
    assert page.find("input", {"name": "invite_code"}) is None
    assert parse(client.get("/login")).find("a", href="/register") is not None
    assert client.post("/register", data=NEW_PATIENT).status_code == 302
    assert find_user(db, "dana@example.com") is not None


def test_closed_registration_refuses_and_hides_the_link(client, admin, db):
    admin.registration("closed")
    assert client.get("/register").status_code == 403
    assert client.post("/register", data=NEW_PATIENT).status_code == 403
    assert find_user(db, "dana@example.com") is None
    assert parse(client.get("/login")).find("a", href="/register") is None


def test_invite_mode_asks_for_the_code_first(client, admin):
    admin.registration("invite")
    field = parse(client.get("/register")).find("input", {"name": "invite_code"})
    assert field is not None and field.has_attr("required")


def test_a_valid_code_creates_the_account_and_counts_one_use(client, admin, db):
    admin.registration("invite")
    code = admin.invite()
    typed = code.lower().replace("-", " ")  # as copied from paper: any case, spaces
    response = client.post("/register", data={**NEW_PATIENT, "invite_code": typed})
    assert response.status_code == 302 and response.location == "/today"
    assert find_user(db, "dana@example.com") is not None
    assert invite_row(db, code).uses == 1


@pytest.mark.parametrize("code, message", [
    ("", "Enter the invite code your clinic gave you"),
    ("AAAA-BBBB-CCCC", "This invite code is not right. Check it against the one you were given"),
])
def test_a_missing_or_wrong_code_is_refused_next_to_the_field(client, admin, db, code, message):
    admin.registration("invite")
    admin.invite()
    response = client.post("/register", data={**NEW_PATIENT, "invite_code": code})
    assert response.status_code == 422
    assert field_error(response, "invite_code") == message
    assert message in summary_errors(response)
    assert find_user(db, "dana@example.com") is None


def test_an_expired_code_is_refused(client, admin, db):
    admin.registration("invite")
    code = admin.invite()
    row = invite_row(db, code)
    row.expires_at = utcnow() - timedelta(minutes=1)
    db.add(row)
    db.commit()
    response = client.post("/register", data={**NEW_PATIENT, "invite_code": code})
    assert field_error(response, "invite_code") == "This invite code has expired. Ask your clinic for a new one"
    assert find_user(db, "dana@example.com") is None


def test_a_revoked_code_is_refused(client, admin, db):
    admin.registration("invite")
    code = admin.invite()
    row = invite_row(db, code)
    row.revoked_at = utcnow()
    db.add(row)
    db.commit()
    response = client.post("/register", data={**NEW_PATIENT, "invite_code": code})
    assert field_error(response, "invite_code") == "This invite code was withdrawn. Ask your clinic for a new one"
    assert find_user(db, "dana@example.com") is None


def test_a_single_use_code_creates_one_account_only(app, admin, db):
    admin.registration("invite")
    code = admin.invite(max_uses=1)
    assert app.test_client().post("/register", data={**NEW_PATIENT, "invite_code": code}).status_code == 302
    second = app.test_client().post("/register", data={**NEW_PATIENT, "email": "eve@example.com",
                                                       "invite_code": code})
    assert second.status_code == 422
    assert field_error(second, "invite_code") == "This invite code has already been used. Ask your clinic for a new one"
    assert find_user(db, "eve@example.com") is None
    assert invite_row(db, code).uses == 1


def test_a_code_for_several_patients_is_counted_down(app, admin, db):
    admin.registration("invite")
    code = admin.invite(max_uses=None)
    for email in ("one@example.com", "two@example.com", "three@example.com"):
        response = app.test_client().post("/register", data={**NEW_PATIENT, "email": email,
                                                             "invite_code": code})
        assert response.status_code == 302
    assert invite_row(db, code).uses == 3


def test_a_refused_sign_up_does_not_use_up_the_code(client, admin, alice, db):
    admin.registration("invite")
    code = admin.invite(max_uses=1)
    response = client.post("/register", data={**NEW_PATIENT, "email": alice.email, "invite_code": code})
    assert response.status_code == 422 and "already exists" in field_error(response, "email")
    assert invite_row(db, code).uses == 0


def test_the_typed_code_is_kept_when_another_field_is_wrong(client, admin):
    admin.registration("invite")
    code = admin.invite()
    response = client.post("/register", data={**NEW_PATIENT, "password": "short", "invite_code": code})
    assert response.status_code == 422
    assert parse(response).find("input", {"name": "invite_code"})["value"] == code


def test_two_sign_ups_racing_for_the_last_use_get_it_once(app, admin, db):
    code = admin.invite(max_uses=1)
    engine = app.extensions["diary_engine"]
    with Session(engine) as first, Session(engine) as second:
        seen_by_first, seen_by_second = find_invite(first, code), find_invite(second, code)
        use_invite(first, seen_by_first)
        first.commit()
        with pytest.raises(InviteRefused) as refusal:
            use_invite(second, seen_by_second)
    assert refusal.value.reason == "used"
    assert invite_row(db, code).uses == 1


def test_a_mode_edited_into_nonsense_closes_registration(client, db):
    db.add(SiteSetting(name="registration", value="everyone"))
    db.commit()
    assert client.get("/register").status_code == 403
