"""Clinicians for tests, made as the admin and the clinician would make them.

``make_clinician`` creates the account as ``admin create-clinician`` does; ``enrolled`` logs it
in through the clinic's login page and sets up its authenticator as the clinician would (reading
the key the page shows), which leaves a session that passed the second factor.
"""

from dataclasses import dataclass

import pyotp
from sqlmodel import Session

from diary import days
from diary.clinic.accounts import clinician_by_email, create_clinician
from diary.models import Clinician
from tests.conftest import PASSWORD
from tests.html import parse


def make_clinician(app, email: str = "doctor@example.com", name: str = "Dr Grey") -> Clinician:
    with app.app_context():
        with Session(app.extensions["diary_engine"], expire_on_commit=False) as session:
            clinician = clinician_by_email(session, email) or create_clinician(session, email, name, PASSWORD)
            session.commit()
            return clinician


@dataclass
class ClinicianLogin:
    client: object
    clinician: Clinician
    secret: str  # the authenticator's key
    recovery_codes: list[str]


def setup_key(client) -> str:
    return "".join(parse(client.get("/clinic/two-step")).find(id="setup-key").get_text().split())


def enrolled(app, email: str = "doctor@example.com", name: str = "Dr Grey") -> ClinicianLogin:
    """A clinician at their first login: password, then the authenticator set up."""
    clinician = make_clinician(app, email, name)
    client = app.test_client()
    response = client.post("/clinic/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302 and response.location == "/clinic/two-step"
    assert client.post("/clinic/two-step/start").status_code == 302
    secret = setup_key(client)
    response = client.post("/clinic/two-step/confirm", data={"code": pyotp.TOTP(secret).at(days.utc_now())})
    assert response.status_code == 302 and response.location == "/clinic/two-step/recovery-codes"
    codes = [item.get_text(strip=True) for item in
             parse(client.get(response.location)).select("ol.recovery-codes li")]
    return ClinicianLogin(client, clinician, secret, codes)


def new_code(clinician_client) -> str:
    """A connection code, made on the clinician's home page and read from it."""
    response = clinician_client.post("/clinic/codes")
    assert response.status_code == 302 and response.location == "/clinic/"
    return parse(clinician_client.get("/clinic/")).find(id="connection-code").get_text(strip=True)


def connect(patient_client, code: str, include_notes: bool = False):
    data = {"code": code}
    if include_notes:
        data["include_notes"] = "yes"
    return patient_client.post("/clinicians", data=data)
