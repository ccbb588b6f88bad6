"""Consent: a patient connects with the clinician's code, chooses about notes, sees every visit,
and disconnects at once; the clinician sees the report of connected patients only."""

from datetime import timedelta

import pytest
from sqlmodel import select

from diary import days
from diary.clinic.queries import connected_patients
from diary.models import ClinicianConnection, ClinicianVisit, ConnectionCode, Patient
from tests.clinic.personas import connect, enrolled, new_code
from tests.html import field_error, parse, title
from tests.routes import Diary, logged_in, make_entry, make_infusion


@pytest.fixture
def doctor(app):
    return enrolled(app)


@pytest.fixture
def alices(app, alice, db):
    """Alice logged in, with diary days, a series and an infusion, each with a note."""
    diary = Diary(logged_in(app, alice.email), db, alice)
    for make in (make_entry, make_entry, make_infusion):
        make(diary)
    return diary


def visits(db) -> list[ClinicianVisit]:
    db.expire_all()
    return db.exec(select(ClinicianVisit)).all()


def test_connecting_with_the_code_shows_the_patient_to_the_clinician(app, db, doctor, alices, charlie):
    code = new_code(doctor.client)
    assert len(code) == 9 and code[4] == "-"  # "ABCD-2345": read out in a clinic room
    assert doctor.client.get(f"/clinic/patients/{alices.patient.id}").status_code == 404  # not yet
    response = connect(alices.client, code.lower().replace("-", " "))  # typed any way
    assert response.location == "/clinicians"
    connection = db.exec(select(ClinicianConnection).where(
        ClinicianConnection.clinician_id == doctor.clinician.id)).one()
    assert (connection.patient_id, connection.include_notes, connection.disconnected_at) == (
        alices.patient.id, False, None)
    assert db.exec(select(ConnectionCode).where(ConnectionCode.clinician_id == doctor.clinician.id)).all() == []
    home = parse(doctor.client.get("/clinic/"))
    assert [link.get_text(strip=True) for link in home.select(".patient-list a")] == ["Alice"]
    report = doctor.client.get(f"/clinic/patients/{alices.patient.id}")
    assert report.status_code == 200 and title(report) == "Pain diary summary: Alice"
    assert report.headers["Cache-Control"] == "no-store"
    assert "secret-series" in report.get_data(as_text=True)
    assert "secret-note" not in report.get_data(as_text=True)  # notes were not included
    assert "Charlie" not in home.get_text()


def test_a_code_works_once(app, db, doctor, alices, charlie):
    code = new_code(doctor.client)
    assert connect(alices.client, code).status_code == 302
    second = connect(logged_in(app, charlie.email), code)
    assert second.status_code == 422
    assert field_error(second, "code").startswith("This code does not work")
    assert [row.patient_id for row in db.exec(select(ClinicianConnection))] == [alices.patient.id]


def test_a_code_expires_after_seven_days(app, db, doctor, alices, clock):
    clock.set("2026-12-01T09:00")
    code = new_code(doctor.client)
    clock.set("2026-12-08T09:01")
    response = connect(alices.client, code)
    assert response.status_code == 422 and field_error(response, "code").startswith("This code does not work")
    assert db.exec(select(ClinicianConnection)).all() == []


@pytest.mark.parametrize("typed", ["", "ABCD", "ABCD-EFGH", "x" * 500, "ABCD-EFGH-JKLM"])
def test_a_wrong_code_connects_nobody_and_says_so(app, db, doctor, alices, typed):
    new_code(doctor.client)
    response = connect(alices.client, typed)
    assert response.status_code == 422
    assert field_error(response, "code")
    assert db.exec(select(ClinicianConnection)).all() == []


def test_guessing_codes_is_rate_limited_per_patient(make_app, db, alice):
    app = make_app(RATELIMIT_CONNECTION_CODE_PER_ACCOUNT="3 per hour")
    doctor = enrolled(app)
    code = new_code(doctor.client)
    client = logged_in(app, alice.email)
    statuses = [connect(client, "ABCD-EFGH").status_code for _ in range(4)]
    assert statuses == [422, 422, 422, 429]
    assert connect(client, code).status_code == 429  # even the right one, until the hour is over
    assert db.exec(select(ClinicianConnection)).all() == []


def test_notes_appear_only_when_the_patient_chose_and_the_choice_can_change(app, db, doctor, alices):
    connect(alices.client, new_code(doctor.client), include_notes=True)
    url = f"/clinic/patients/{alices.patient.id}"
    assert "secret-note" in doctor.client.get(url).get_data(as_text=True)
    connection = db.exec(select(ClinicianConnection)).one()
    alices.client.post(f"/clinicians/{connection.id}/notes", data={"include_notes": ""})
    assert "secret-note" not in doctor.client.get(url).get_data(as_text=True)
    alices.client.post(f"/clinicians/{connection.id}/notes", data={"include_notes": "yes"})
    assert "secret-note" in doctor.client.get(url).get_data(as_text=True)


def test_the_patient_sees_every_time_each_clinician_opened_the_diary(app, db, doctor, alices, clock):
    clock.set("2026-12-01T09:00")
    other = enrolled(app, "other@example.com", "Dr Other")
    connect(alices.client, new_code(doctor.client))
    connect(alices.client, new_code(other.client))
    url = f"/clinic/patients/{alices.patient.id}"
    for moment in ("2026-12-01T10:00", "2026-12-02T11:30", "2026-12-03T08:15"):
        clock.set(moment)
        assert doctor.client.get(url).status_code == 200
    clock.set("2026-12-03T09:00")
    assert other.client.get(url).status_code == 200
    assert len(visits(db)) == 4
    page = parse(alices.client.get("/clinicians"))
    sections = {section.find("h2").get_text(strip=True): section for section in page.select("section.connection")}
    assert set(sections) == {"Dr Grey", "Dr Other"}
    times = [item.get_text(strip=True) for item in sections["Dr Grey"].select(".visits li")]
    assert times == ["3 Dec 2026, 08:15", "2 Dec 2026, 11:30", "1 Dec 2026, 10:00"]  # Alice's clock: London
    assert [item.get_text(strip=True) for item in sections["Dr Other"].select(".visits li")] == ["3 Dec 2026, 09:00"]


def test_disconnecting_ends_the_clinicians_view_at_once(app, db, doctor, alices):
    connect(alices.client, new_code(doctor.client), include_notes=True)
    url = f"/clinic/patients/{alices.patient.id}"
    assert doctor.client.get(url).status_code == 200  # every cache now holds the report
    version = db.get(Patient, alices.patient.id).data_version
    connection = db.exec(select(ClinicianConnection)).one()
    assert alices.client.post(f"/clinicians/{connection.id}/disconnect").location == "/clinicians"
    response = doctor.client.get(url)
    assert response.status_code == 404
    assert "secret" not in response.get_data(as_text=True)
    assert parse(doctor.client.get("/clinic/")).select(".patient-list a") == []
    assert len(visits(db)) == 1  # the refused opening is no visit
    db.expire_all()
    assert db.get(Patient, alices.patient.id).data_version == version  # consent is not diary data
    # The patient still sees who looked, under the clinicians she disconnected.
    page = parse(alices.client.get("/clinicians")).get_text(" ", strip=True)
    assert "Clinicians you disconnected" in page and "Dr Grey" in page
    # Connecting again takes a new code.
    connect(alices.client, new_code(doctor.client))
    assert doctor.client.get(url).status_code == 200
    assert "secret-note" not in doctor.client.get(url).get_data(as_text=True)


def test_a_clinician_never_sees_a_patient_who_did_not_connect(app, db, doctor, alices, charlie):
    other = enrolled(app, "other@example.com", "Dr Other")
    connect(alices.client, new_code(other.client))
    for patient_id in (alices.patient.id, charlie.id, 999999):
        response = doctor.client.get(f"/clinic/patients/{patient_id}")
        assert response.status_code == 404
        assert "secret" not in response.get_data(as_text=True)
    assert visits(db) == []


def test_connected_patients_lists_those_connected_now_by_name(app, db, doctor, alices, charlie):
    charlies = logged_in(app, charlie.email)
    connect(charlies, new_code(doctor.client))
    connect(alices.client, new_code(doctor.client), include_notes=True)
    listed = connected_patients(db, doctor.clinician.id)
    assert [(row.display_name, row.include_notes) for row in listed] == [("Alice", True), ("Charlie", False)]
    charlies_connection = db.exec(select(ClinicianConnection).where(
        ClinicianConnection.patient_id == charlie.id)).one()
    charlies.post(f"/clinicians/{charlies_connection.id}/disconnect")
    db.expire_all()
    assert [row.display_name for row in connected_patients(db, doctor.clinician.id)] == ["Alice"]


def test_deleting_the_account_ends_every_connection(app, db, doctor, alices):
    from tests.conftest import PASSWORD

    connect(alices.client, new_code(doctor.client))
    doctor.client.get(f"/clinic/patients/{alices.patient.id}")
    alices.client.post("/account/delete", data={"password": PASSWORD})
    assert doctor.client.get(f"/clinic/patients/{alices.patient.id}").status_code == 404
    assert parse(doctor.client.get("/clinic/")).select(".patient-list a") == []
    db.expire_all()
    assert db.exec(select(ClinicianConnection).where(
        ClinicianConnection.clinician_id == doctor.clinician.id)).all() == []


def test_a_clinicians_codes_left_unused_are_counted_and_expired_ones_cleared(app, db, doctor, clock):
    clock.set("2026-12-01T09:00")
    new_code(doctor.client)
    clock.set((days.utc_now() + timedelta(days=8)).replace(tzinfo=None).isoformat())
    new_code(doctor.client)
    db.expire_all()
    assert len(db.exec(select(ConnectionCode)).all()) == 1
    assert "1 code you made is still unused" in parse(doctor.client.get("/clinic/")).get_text(" ", strip=True)
