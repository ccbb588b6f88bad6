"""Personas of the sharing tests: Dana is a new, empty account that imports Alice's export."""

import pytest

from tests.conftest import PASSWORD, make_patient


@pytest.fixture
def dana(app):
    make_patient(app, "dana@example.com", "Dana")
    client = app.test_client()
    client.post("/login", data={"email": "dana@example.com", "password": PASSWORD})
    return client
