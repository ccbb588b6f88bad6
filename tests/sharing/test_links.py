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


def test_the_clinician_opens_the_link_without_an_account(app, as_alice, db):
    as_alice.post("/entries", data={"day": "2026-01-05", "pain_avg": "6", "notes": "private note"})
    url = make_link(as_alice)
    clinician = app.test_client()
    response = clinician.get(url.removeprefix("http://localhost"))
    assert response.status_code == 200
    page = parse(response)
    assert page.find("h1").get_text() == "Pain diary summary: Alice"
    assert page.find("form") is None  # read-only: nothing to submit
    html = response.get_data(as_text=True)
    assert "alice@example.com" not in html and "private note" not in html
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    assert page.find("meta", {"name": "robots"})["content"] == "noindex, nofollow"
    link = db.exec(select(ShareLink)).one()
    assert link.open_count == 1 and link.last_opened_at is not None


def test_revoking_stops_the_link_at_once(app, as_alice, db):
    url = make_link(as_alice).removeprefix("http://localhost")
    link = db.exec(select(ShareLink)).one()
    confirm = as_alice.get(f"/share/{link.id}/revoke")
    assert confirm.status_code == 200 and app.test_client().get(url).status_code == 200
    assert as_alice.post(f"/share/{link.id}/revoke").status_code == 302
    response = app.test_client().get(url)
    assert response.status_code == 410
    assert parse(response).find("h1").get_text() == "This link has expired or was revoked"
    assert "Alice" not in response.get_data(as_text=True)


def test_an_expired_link_stops_working(app, as_alice, db, clock):
    clock.set("2026-03-01T10:00")
    url = make_link(as_alice, days="7").removeprefix("http://localhost")
    clock.set("2026-03-08T09:59")
    assert app.test_client().get(url).status_code == 200
    clock.set("2026-03-08T10:00")
    assert app.test_client().get(url).status_code == 410


def test_an_unknown_token_reads_like_an_expired_one(client):
    response = client.get("/s/" + "A" * 32)
    assert response.status_code == 404
    assert parse(response).find("h1").get_text() == "This link has expired or was revoked"


def test_the_patient_sees_every_link_with_its_use(app, as_alice, db):
    url = make_link(as_alice, label="Dr. Lin").removeprefix("http://localhost")
    make_link(as_alice, label="Physio")
    app.test_client().get(url)
    app.test_client().get(url)
    cards = parse(as_alice.get("/share")).select(".card")
    assert [card.select_one(".row-title").get_text(strip=True) for card in cards] == ["Physio", "Dr. Lin"]
    assert cards[1].select_one(".meta").get_text().startswith("Opened 2 times")
    assert cards[0].select_one(".meta").get_text() == "Not opened yet"


@pytest.mark.parametrize("form, field, message", [
    ({"label": "", "expires_in_days": "30"}, "label", "Enter who is it for"),
    ({"label": "Dr. Lin", "expires_in_days": "400"}, "expires_in_days", "Choose how long it works from the list"),
    ({"label": "Dr. Lin", "expires_in_days": "30", "period_start": "2026-02-01", "period_end": "2026-01-01"},
     "period_end", "Last day must be on or after the first day"),
])
def test_a_bad_link_form_is_refused_and_nothing_stored(as_alice, db, form, field, message, clock):
    clock.set("2026-03-01T10:00")
    response = as_alice.post("/share", data=form)
    assert response.status_code == 422
    assert field_error(response, field) == message
    assert db.exec(select(ShareLink)).all() == []


def test_a_link_never_works_longer_than_a_year(as_alice, db):
    make_link(as_alice, days="90")
    link = db.exec(select(ShareLink)).one()
    assert link.expires_at - link.created_at == timedelta(days=90)


def test_another_patients_links_are_not_found(app, as_alice, db, charlie):
    make_link(as_alice)
    link = db.exec(select(ShareLink)).one()
    other = app.test_client()
    other.post("/login", data={"email": charlie.email, "password": PASSWORD})
    assert other.get(f"/share/{link.id}").status_code == 404
    assert other.get(f"/share/{link.id}/revoke").status_code == 404
    assert other.post(f"/share/{link.id}/revoke").status_code == 404
    assert parse(other.get("/share")).select(".card") == []
    db.expire_all()
    assert db.get(ShareLink, link.id).revoked_at is None


def test_a_period_limits_what_the_clinician_sees(app, as_alice, clock):
    clock.set("2026-03-01T10:00")
    for day, pain in (("2026-01-10", 8), ("2026-02-10", 4), ("2026-02-11", 2)):
        as_alice.post("/entries", data={"day": day, "pain_avg": str(pain)})
    url = make_link(as_alice, period_start="2026-02-01", period_end="2026-02-28").removeprefix("http://localhost")
    page = parse(app.test_client().get(url))
    span = " ".join(page.select_one(".report-span").get_text().split())
    assert span == "2 of 2 days logged, 10–11 Feb 2026"


def test_without_a_public_url_a_link_for_a_host_not_allowed_is_refused_and_nothing_stored(as_alice, db):
    # A made-up Host header (or a proxy passing one through) must not end up in the QR code.
    response = as_alice.post("/share", data={"label": "Dr. Lin", "expires_in_days": "30"},
                             headers={"Host": "attacker.example"})
    assert response.status_code == 400
    assert title(response) == "This diary is not at this address"
    assert "DIARY_TRUSTED_HOSTS" not in response.get_data(as_text=True)  # visitors are not admins
    assert db.exec(select(ShareLink)).all() == []
    assert as_alice.get("/share", headers={"Host": "attacker.example:8000"}).status_code == 400
    # The page keeps its style: static files are the same whatever the host.
    stylesheet = parse(response).find("link", rel="stylesheet")["href"]
    with as_alice.get(stylesheet, headers={"Host": "attacker.example"}) as style:
        assert style.status_code == 200 and style.mimetype == "text/css"
    assert as_alice.get("/static/../diary/config.py", headers={"Host": "attacker.example"}).status_code == 404


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
