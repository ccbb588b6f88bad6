"""Share links: made by the patient, shown once, stored only as a hash, revocable, expiring."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from diary.models import ShareLink
from diary.sharing.links import hash_token
from tests.conftest import PASSWORD
from tests.databases import ON_POSTGRESQL
from tests.html import field_error, parse, title
from tests.routes import dump


def make_link(client, label="Dr. Lin, pain clinic", days="30", **more):
    response = client.post("/share", data={"label": label, "expires_in_days": days, **more})
    assert response.status_code == 302, response.get_data(as_text=True)
    page = parse(client.get(response.location))
    return page.find("input", id="share-url")["value"]


def token_of(url: str) -> str:
    return url.rsplit("/s/", 1)[1]


def test_a_new_link_is_shown_once_with_a_qr_code(as_alice, db):
    response = as_alice.post("/share", data={"label": "Dr. Lin", "expires_in_days": "30"})
    first = parse(as_alice.get(response.location))
    url = first.find("input", id="share-url")["value"]
    assert url.startswith("http://localhost/s/") and len(token_of(url)) >= 32
    assert first.select_one(".qr-box svg") is not None
    again = parse(as_alice.get(response.location))
    assert again.find("input", id="share-url") is None
    assert token_of(url) not in str(again)


def test_the_token_has_at_least_128_random_bits_and_is_stored_only_as_a_hash(app, as_alice, db):
    tokens = {token_of(make_link(as_alice, label=f"link {n}")) for n in range(3)}
    assert len(tokens) == 3
    assert all(len(token) * 6 >= 128 for token in tokens)  # urlsafe base64: 6 bits a character
    stored = {link.token_hash for link in db.exec(select(ShareLink))}
    assert stored == {hash_token(token) for token in tokens}
    every_row = repr(dump(app.extensions["diary_engine"]))
    assert not any(token in every_row for token in tokens)
    if ON_POSTGRESQL:
        return  # the bytes on disk below are SQLite's file
    database = Path(app.config["DATABASE_URL"].removeprefix("sqlite:///"))
    # WAL mode: recent writes may still sit in the -wal file beside the database.
    database_bytes = b"".join(path.read_bytes() for path in database.parent.glob(database.name + "*"))
    assert hash_token(next(iter(tokens))).encode() in database_bytes
    for token in tokens:
        assert token.encode() not in database_bytes


def test_links_are_built_from_the_public_base_url(make_app, alice):
    client = make_app(PUBLIC_URL="https://diary.example.org/").test_client()
    client.post("/login", data={"email": alice.email, "password": PASSWORD})
    assert make_link(client).startswith("https://diary.example.org/s/")


def test_without_a_public_url_a_link_for_a_host_not_allowed_is_refused_and_nothing_stored(as_alice, db):
    # A made-up Host header (or a proxy passing one through) must not end up in the QR code.
    response = as_alice.post("/share", data={"label": "Dr. Lin", "expires_in_days": "30"},
                             headers={"Host": "attacker.example"})
    assert response.status_code == 400
    assert title(response) == "This diary is not at this address"
    assert "DIARY_TRUSTED_HOSTS" not in response.get_data(as_text=True)  # visitors are not admins
    assert db.exec(select(ShareLink)).all() == []
    assert as_alice.get("/share", headers={"Host": "attacker.example:8000"}).status_code == 400


@pytest.mark.parametrize("host", ["127.0.0.1:5000", "localhost:5000"])
def test_loopback_is_allowed_so_the_development_server_works(client, alice, host):
    assert link_made_at(client, alice, host).startswith(f"http://{host}/s/")


def link_made_at(client, patient, host: str) -> str:
    """Log in and make a link, every request addressed to ``host``."""
    base_url = f"http://{host}"
    client.post("/login", data={"email": patient.email, "password": PASSWORD}, base_url=base_url)
    response = client.post("/share", data={"label": "Dr. Lin", "expires_in_days": "30"},
                           base_url=base_url)
    assert response.status_code == 302, response.status_code
    return parse(client.get(response.location, base_url=base_url)).find("input", id="share-url")["value"]


def test_links_are_built_from_a_host_on_the_allow_list(make_app, alice):
    client = make_app(TRUSTED_HOST_NAMES=["diary.clinic.lan"]).test_client()
    assert link_made_at(client, alice, "diary.clinic.lan:8000").startswith("http://diary.clinic.lan:8000/s/")
