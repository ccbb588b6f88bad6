"""The installable app's server side: caching rules, the service worker script, the offline page."""

import re

from diary.installable import IMMUTABLE, OFFLINE_ASSETS
from tests.html import parse


def static_urls(response) -> list[str]:
    page = parse(response)
    return ([link["href"] for link in page.find_all("link", href=True)]
            + [script["src"] for script in page.find_all("script", src=True)])


def test_a_static_file_with_its_current_version_is_cached_for_a_year(client):
    css = next(url for url in static_urls(client.get("/login")) if "app.css" in url)
    assert re.fullmatch(r"/static/css/app\.css\?v=[0-9a-f]{12}", css)
    with client.get(css) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == IMMUTABLE == "public, max-age=31536000, immutable"


def test_a_static_file_without_or_with_an_old_version_is_not_cached_for_long(client):
    for url in ("/static/css/app.css", "/static/css/app.css?v=000000000000"):
        with client.get(url) as response:
            assert response.status_code == 200
            assert "immutable" not in response.headers.get("Cache-Control", "")


def test_pages_are_never_stored_by_browsers_or_proxies(as_alice):
    for path in ("/today", "/entries", "/account", "/login", "/offline"):
        assert as_alice.get(path).headers["Cache-Control"] == "no-store", path


def test_the_service_worker_is_served_from_the_root_with_the_current_asset_versions(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    script = response.get_data(as_text=True)
    assert "__OFFLINE_ASSETS__" not in script and "__CACHE_NAME__" not in script
    offline_page_assets = static_urls(client.get("/offline"))
    precached = re.search(r"var OFFLINE_ASSETS = (\[.*?\]);", script).group(1)
    # Everything the offline page loads is precached, at the version the page asks for.
    for url in offline_page_assets:
        assert f'"{url}"' in precached, url
    assert len(OFFLINE_ASSETS) == len(offline_page_assets)


def test_the_offline_page_holds_no_patient_data(as_alice):
    page = parse(as_alice.get("/offline"))
    assert page.find("h1").get_text(strip=True) == "You are offline"
    assert page.find("form") is None
