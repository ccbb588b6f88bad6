"""The patient's data version goes up with every accepted change to their diary, and only theirs.

A loaded history is reused for as long as the version stays the same (diary.loaded_history), so a
write that forgot to bump it would show a stale chart. Every write route of the app is walked as
Alice, sending what the page's own form sends, filled in differently (tests/routes.py): a write
that changed any row of her diary raised her version, and nobody else's; a write that changed
none of it left every version as it was. Refused writes (another patient's ids, a missing CSRF
token) are checked the same way in tests/test_access_control.py, bad input in tests/test_fuzz.py.
"""

import io

import pytest
from sqlalchemy import select

from diary.models import ACCOUNT_TABLES, DERIVED_TABLES, DIARY_TABLES
from tests.routes import (
    WRITE_METHODS, all_routes, data_versions, filled_diary, logged_in, request_data, values_for,
)

WRITES = [route for route in all_routes() if route.method in WRITE_METHODS]

# Answers a patient could give where the page's form, filled in differently, is refused (its
# numbers are not numbers), so that these writes are seen accepted too.
INFUSION = {"day": "2026-02-20", "start_time": "10:00", "dose_mg": "40", "pain_before": "6"}
MEDICATION = {"name": "Morphine", "drug": "morphine", "unit": "mg", "form": "tablet"}
ACCEPTED_FORMS = {
    "POST /treatments/series/<int:series_id>/infusions": lambda ids: INFUSION,
    "POST /treatments/infusions/<int:infusion_id>/edit": lambda ids: INFUSION,
    "POST /treatments/medications/": lambda ids: MEDICATION,
    "POST /treatments/medications/<int:medication_id>/edit": lambda ids: MEDICATION,
    "POST /treatments/medications/day": lambda ids: {
        "day": "2026-02-21", f"amount_{ids['medication_id']}": "5"},
    "POST /treatments/series/<int:series_id>/pgic": lambda ids: {"pgic": "much_improved"},
    # Today's PHQ-9 is answered already (tests/routes.py); the GAD-7 is not.
    "POST /questionnaires/<kind>": lambda ids: {**{f"item_{n}": "1" for n in range(1, 8)},
                                                "difficulty": "0"},
}
# Where those go when the URL names something other than a row.
ACCEPTED_URLS = {"POST /questionnaires/<kind>": "/questionnaires/gad7"}

# Writes the walk must see change the diary and bump, so that it cannot pass by refusing all.
DIARY_WRITES = {
    "POST /entries", "POST /entries/<int:entry_id>", "POST /entries/<int:entry_id>/delete",
    "POST /treatments/series", "POST /treatments/series/<int:series_id>/edit",
    "POST /treatments/series/<int:series_id>/delete", "POST /treatments/series/<int:series_id>/pgic",
    "POST /treatments/infusions/<int:infusion_id>/delete",
    "POST /treatments/infusions/<int:infusion_id>/later", *ACCEPTED_FORMS,
    "POST /treatments/medications/<int:medication_id>/stop", "POST /treatments/medications/none-today",
    "POST /treatments/medications/usual-today",
    "POST /treatments/therapies/", "POST /treatments/therapies/<int:therapy_id>/edit",
    "POST /treatments/therapies/<int:therapy_id>/delete",
}


def diary_rows(engine) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        return {table.name: sorted(map(tuple, connection.execute(select(table)).all()), key=repr)
                for table in DIARY_TABLES}


@pytest.mark.parametrize("route", WRITES, ids=str)
def test_an_accepted_write_bumps_its_patient_and_a_write_that_changes_nothing_bumps_nobody(
        app, alice, charlie, db, route):
    engine = app.extensions["diary_engine"]
    diary = filled_diary(app, alice, db)
    filled_diary(app, charlie, db)
    url = ACCEPTED_URLS.get(str(route)) or route.url(values_for(route, diary))
    data = (ACCEPTED_FORMS[str(route)](diary.ids) if str(route) in ACCEPTED_FORMS
            else request_data(route, url, diary))
    rows, versions = diary_rows(engine), data_versions(engine)
    response = diary.client.open(url, method=route.method, data=data)
    after = data_versions(engine)
    assert after[charlie.id] == versions[charlie.id], f"{route} bumped another patient"
    if diary_rows(engine) == rows:
        assert after == versions, f"{route} changed nothing of the diary but bumped a version"
        assert str(route) not in DIARY_WRITES, f"{route} answered {response.status_code}, changed nothing"
    elif alice.id in after:  # (deleting the account takes the version along)
        assert after[alice.id] == versions[alice.id] + 1, f"{route} changed the diary but not its version"


def test_the_walk_expects_only_routes_that_exist():
    assert DIARY_WRITES <= {str(route) for route in WRITES}


def test_every_table_leading_to_a_patient_is_declared_diary_or_access():
    """A new table holding a patient's rows must be declared beside the models (diary.models):
    as diary data (exported, imported, bumps the version), as the account's (share links,
    reminders) or as derived from the diary (the dashboard's summary)."""
    from sqlmodel import SQLModel

    leads_to_patient = set()
    for table in SQLModel.metadata.sorted_tables:  # parents come first
        parents = {fk.column.table.name for fk in table.foreign_keys}
        if "patient" in parents or parents & leads_to_patient:
            leads_to_patient.add(table.name)
    declared = [table.name for table in (*DIARY_TABLES, *ACCOUNT_TABLES, *DERIVED_TABLES)]
    assert sorted(declared) == sorted(leads_to_patient)


def test_an_import_bumps_the_importing_patient_once_and_a_refused_one_bumps_nobody(app, alice, charlie, db):
    engine = app.extensions["diary_engine"]
    alices = filled_diary(app, alice, db)
    export = alices.client.get("/export/diary.zip").data
    charlies = logged_in(app, charlie.email)
    versions = data_versions(engine)
    refused = charlies.post("/import", data={"file": (io.BytesIO(b"not a zip"), "export.zip")},
                            content_type="multipart/form-data")
    assert refused.status_code == 422 and data_versions(engine) == versions
    accepted = charlies.post("/import", data={"file": (io.BytesIO(export), "export.zip")},
                             content_type="multipart/form-data")
    assert accepted.status_code == 302
    assert data_versions(engine) == {**versions, charlie.id: versions[charlie.id] + 1}
