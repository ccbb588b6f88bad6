"""The clinician's dashboard (/clinic/): every connected patient in one list from their stored
summaries, sorted by any column, filtered by flag; a patient who has not connected, or has
disconnected, is never in it. Personas: a clinician (tests/clinic/personas.py), Alice and Charlie
who connect, Bea who does not."""

from datetime import timedelta

import pytest
from sqlalchemy import update

from diary.days import today_in
from diary.models import PatientSummary
from diary.summaries.facts import from_json
from tests.clinic.personas import connect, enrolled, new_code
from tests.conftest import make_patient, signed_in
from tests.html import parse


def log_days(client, patient, *pains_back: tuple[int, int]):
    today = today_in(patient.time_zone)
    for back, pain in pains_back:
        response = client.post("/entries", data={"day": (today - timedelta(days=back)).isoformat(),
                                                 "pain_avg": str(pain)})
        assert response.status_code == 302


@pytest.fixture
def clinic(app, alice, charlie):
    """A clinician with Alice and Charlie connected; Alice logged today and yesterday."""
    doctor = enrolled(app)
    alices, charlies = signed_in(app, alice), signed_in(app, charlie)
    assert connect(alices, new_code(doctor.client)).status_code == 302
    assert connect(charlies, new_code(doctor.client)).status_code == 302
    log_days(alices, alice, (0, 6), (1, 7))
    return doctor, alices, charlies


def rows(response) -> dict[str, dict[str, str]]:
    """Each patient's row: the name, then each cell's text by its label."""
    page = parse(response)
    found = {}
    for row in page.select("table.patients tbody tr"):
        name = row.find("th").get_text(" ", strip=True)
        found[name] = {cell["data-label"]: cell.get_text(" ", strip=True) for cell in row.find_all("td")}
    return found


def test_every_connected_patient_is_listed_with_their_summary(app, clinic, alice):
    doctor, _, _ = clinic
    response = doctor.client.get("/clinic/")
    assert response.status_code == 200
    listed = rows(response)
    assert set(listed) == {"Alice", "Charlie"}
    assert listed["Alice"]["Days logged of 14"] == "2 of 14"
    assert "(today)" in listed["Alice"]["Last logged"]
    assert listed["Alice"]["Pain, last 7 days"] == "not enough data (2 of 7 days logged)"
    assert listed["Alice"]["Latest series"] == "no series yet"
    assert listed["Alice"]["Flags"] == "None"
    assert listed["Charlie"]["Last logged"] == "never"
    assert listed["Charlie"]["Flags"] == "✎ Not logging : nothing logged yet"
    assert "2 connected patients" in response.get_data(as_text=True)


def test_a_patient_who_has_not_connected_is_never_listed(app, clinic):
    doctor, _, _ = clinic
    bea = make_patient(app, "bea@example.com", "Bea")
    log_days(signed_in(app, bea), bea, (0, 5))
    assert "Bea" not in rows(doctor.client.get("/clinic/"))


def test_a_disconnected_patient_disappears_at_once(app, clinic, alice, db):
    doctor, alices, _ = clinic
    assert "Alice" in rows(doctor.client.get("/clinic/"))  # read once: this process keeps her line
    page = parse(alices.get("/clinicians"))
    action = page.select_one("form[action$='/disconnect']")["action"]
    assert alices.post(action).status_code == 302
    response = doctor.client.get("/clinic/")
    assert "Alice" not in rows(response)
    assert "Alice" not in response.get_data(as_text=True)


def test_filtering_by_a_flag_shows_only_the_flagged_patients(app, clinic):
    doctor, _, _ = clinic
    response = doctor.client.get("/clinic/?flag=not_logging")
    assert set(rows(response)) == {"Charlie"}
    current = parse(response).select_one(".flag-filter a[aria-current=page]")
    assert current.get_text(" ", strip=True) == "✎ Not logging (1)"


def test_thoughts_of_self_harm_in_the_latest_phq9_are_flagged_in_words(app, clinic, alice):
    doctor, alices, _ = clinic
    response = alices.post("/questionnaires/phq9", data={
        **{f"item_{n}": "0" for n in range(1, 9)}, "item_9": "1", "difficulty": "0"})
    assert response.status_code in (200, 302)
    listed = rows(doctor.client.get("/clinic/?flag=self_harm"))
    assert set(listed) == {"Alice"}
    assert listed["Alice"]["Flags"].startswith("⚠ Thoughts of self-harm : PHQ-9 of")
    assert listed["Alice"]["Flags"].endswith("item 9: several days")


def test_sorting_by_a_column_and_back(app, clinic):
    doctor, _, _ = clinic
    assert list(rows(doctor.client.get("/clinic/?sort=name&order=asc"))) == ["Alice", "Charlie"]
    response = doctor.client.get("/clinic/?sort=name&order=desc")
    assert list(rows(response)) == ["Charlie", "Alice"]
    heading = parse(response).select_one("th[aria-sort]")
    assert heading["aria-sort"] == "descending" and "sort=name" in heading.a["href"]
    # Last logged, newest first: Charlie never logged, so he comes last either way.
    assert list(rows(doctor.client.get("/clinic/?sort=last_day&order=asc"))) == ["Alice", "Charlie"]


def test_unknown_sort_and_flag_values_show_the_default_list(app, clinic):
    doctor, _, _ = clinic
    response = doctor.client.get("/clinic/?sort=password&order=%27;--&flag=%3Cscript%3E")
    assert response.status_code == 200
    assert set(rows(response)) == {"Alice", "Charlie"}
    assert "<script>" not in response.get_data(as_text=True)


def test_an_outdated_summary_is_recomputed_when_the_dashboard_is_read(app, clinic, alice, db):
    doctor, _, _ = clinic
    with app.extensions["diary_engine"].begin() as connection:
        connection.execute(update(PatientSummary).where(PatientSummary.patient_id == alice.id)
                           .values(data_version=0, facts="{}"))
    assert rows(doctor.client.get("/clinic/"))["Alice"]["Days logged of 14"] == "2 of 14"
    db.expire_all()
    stored = db.get(PatientSummary, alice.id)
    assert stored.data_version == 2 and from_json(stored.facts).last_day == today_in(alice.time_zone)


def test_a_patient_cannot_open_the_dashboard(app, clinic, alice):
    _, alices, _ = clinic
    response = alices.get("/clinic/")
    assert response.status_code in (302, 404)
    assert "Charlie" not in response.get_data(as_text=True)


def test_a_day_logged_after_the_dashboard_was_read_shows_at_once(app, clinic, charlie):
    doctor, _, charlies = clinic
    assert rows(doctor.client.get("/clinic/"))["Charlie"]["Last logged"] == "never"  # kept now
    log_days(charlies, charlie, (0, 4))
    listed = rows(doctor.client.get("/clinic/"))
    assert listed["Charlie"]["Days logged of 14"] == "1 of 14"
    assert "(today)" in listed["Charlie"]["Last logged"]


def test_a_renamed_patient_shows_with_the_new_name(app, clinic, alice):
    doctor, alices, _ = clinic
    assert "Alice" in rows(doctor.client.get("/clinic/"))
    response = alices.post("/account", data={"display_name": "Alicia", "time_zone": alice.time_zone})
    assert response.status_code == 302
    assert set(rows(doctor.client.get("/clinic/"))) == {"Alicia", "Charlie"}
