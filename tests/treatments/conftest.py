"""Helpers that build treatments through the app's own forms, as a patient would."""

import re

import pytest

from tests.conftest import make_patient


def add_series(client, name="Spring 2026 series", condition="crps", route="iv", **fields) -> int:
    response = client.post("/treatments/series", data={"name": name, "condition": condition,
                                                       "route": route, **fields})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/series/(\d+)/", response.location).group(1))


def add_infusion(client, series_id: int, day: str, start_time: str = "09:00", **fields) -> int:
    response = client.post(f"/treatments/series/{series_id}/infusions",
                           data={"day": day, "start_time": start_time, **fields})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"#infusion-(\d+)$", response.location).group(1))


def add_medication(client, name: str, drug: str, unit: str = "mg", form: str = "tablet",
                   usual_dose: str = "") -> None:
    response = client.post("/treatments/medications/", data={
        "name": name, "drug": drug, "unit": unit, "form": form, "usual_dose": usual_dose})
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.fixture
def as_kai(app, client, auth):
    """A patient in Honolulu, where 23:30 is already tomorrow in UTC."""
    make_patient(app, "kai@example.com", "Kai", time_zone="Pacific/Honolulu")
    auth.login("kai@example.com")
    return client
