"""Every response carries the security headers: pages, fragments, redirects, errors, files.

The Content-Security-Policy lets scripts come only from this site's own files: no inline script,
no eval. Only styles may be inline, because plotly.js injects <style> elements (plotly.js issue
2355). The pages themselves are checked to need nothing more.
"""

import pytest

from tests.conftest import PASSWORD
from tests.html import parse
from tests.routes import Diary, all_routes, make_entry, values_for

EXPECTED_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],  # plotly.js's injected styles; styles only
    "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# Never the address of a page to another site; the share view sends no referrer at all, so its
# token never travels on.
STRICT_REFERRER_POLICIES = {"same-origin", "no-referrer"}


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response.headers["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        assert name not in directives, f"{name} given twice"
        directives[name] = values
    return directives


@pytest.fixture
def responses(app, alice, db):
    """One response of every kind the app gives: every page anonymous and logged in (full and
    fragment), redirects, a rejected form, 404, 405, 413 and an unexpected error."""
    @app.route("/test-broken")
    def broken():
        raise RuntimeError("a bug")

    client = app.test_client()
    assert client.post("/login", data={"email": alice.email, "password": PASSWORD}).status_code == 302
    diary = Diary(client, db, alice)
    diary.ids["entry_id"] = make_entry(diary)
    collected = {}
    anonymous = app.test_client()
    for route in all_routes():
        if route.method == "GET":
            url = route.url(values_for(route, diary))
            collected[f"anonymous GET {url}"] = anonymous.get(url)
            collected[f"GET {url}"] = client.get(url)
            collected[f"htmx GET {url}"] = client.get(url, headers={"HX-Request": "true"})
    collected["rejected form"] = client.post("/entries", data={"pain_avg": "11"})
    collected["not found"] = client.get("/no/such/page")
    collected["wrong method"] = client.delete("/today")
    collected["too large"] = client.post("/entries", data={"notes": "x" * 3_000_000})
    collected["server error"] = client.get("/test-broken")
    for response in collected.values():  # read, then close (static files are open streams)
        response.get_data()
        response.close()
    return collected


def test_every_response_carries_the_security_headers(responses):
    statuses = {response.status_code for response in responses.values()}
    assert {200, 302, 404, 405, 413, 422, 500} <= statuses  # the walk reached every kind
    for name, response in responses.items():
        assert policy(response) == EXPECTED_CSP, name
        assert response.headers["X-Content-Type-Options"] == "nosniff", name
        assert response.headers["Referrer-Policy"] in STRICT_REFERRER_POLICIES, name
        assert response.headers["X-Frame-Options"] == "DENY", name
        assert "Strict-Transport-Security" not in response.headers, name


def test_scripts_may_come_only_from_our_own_files():
    directives = EXPECTED_CSP
    for name in ("default-src", "script-src"):
        assert directives[name] == ["'self'"]
        assert not {"'unsafe-inline'", "'unsafe-eval'", "'wasm-unsafe-eval'", "data:", "*"} & set(directives[name])


def test_no_page_needs_inline_script(responses):
    """What the policy would block: <script> without src, and on* event attributes."""
    for name, response in responses.items():
        if response.mimetype != "text/html":
            continue
        page = parse(response)
        for script in page.find_all("script"):
            if script.get("type") == "application/json":
                continue  # data for a chart, never run as script
            assert script.get("src", "").startswith("/static/"), f"{name}: inline or foreign script"
        for element in page.find_all(True):
            handlers = [attribute for attribute in element.attrs if attribute.lower().startswith("on")]
            assert not handlers, f"{name}: {element.name} has {handlers}"
            assert not element.get("href", "").lower().startswith("javascript:"), name


def test_hsts_only_when_served_over_https(make_app):
    plain = make_app().test_client().get("/login")
    assert "Strict-Transport-Security" not in plain.headers
    secure = make_app(HTTPS=True).test_client().get("/login")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert policy(secure) == EXPECTED_CSP


def test_static_files_carry_the_headers_too(client):
    with client.get("/static/css/app.css") as response:
        assert response.status_code == 200
        assert policy(response) == EXPECTED_CSP
        assert response.headers["X-Content-Type-Options"] == "nosniff"
