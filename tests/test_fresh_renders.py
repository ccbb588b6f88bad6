"""What the app remembers between requests (page bodies, navigation, static URLs) never makes a
page differ from a fresh render: not when the diary is mounted under a path (a script root,
e.g. behind a proxy at /diary), and not after a template or static file is edited while
templates reload (development).
"""

import shutil
from urllib.parse import urlsplit

import pytest
from jinja2 import ChoiceLoader, FileSystemLoader

from diary import ROOT
from tests.html import parse
from tests.treatments.conftest import add_infusion, add_series

MOUNTED = "http://localhost/diary"
LINK_ATTRIBUTES = ("href", "src", "action", "hx-get", "hx-post", "data-figure-url")


@pytest.fixture(autouse=True)
def fixed_now(clock):
    clock.set("2026-03-20T12:00", "Europe/London")


@pytest.fixture
def diary_with_a_series(as_alice):
    series_id = add_series(as_alice)
    add_infusion(as_alice, series_id, "2026-03-02", pain_before="7", pain_after="3")
    for day in range(1, 20):
        as_alice.post("/entries", data={"day": f"2026-03-{day:02}", "pain_avg": "5"})
    return as_alice


def own_links(response) -> list[str]:
    page = parse(response)
    links = [node[attribute] for attribute in LINK_ATTRIBUTES for node in page.find_all(attrs={attribute: True})]
    return [link for link in links if link.startswith("/")
            and not urlsplit(link).netloc]


def share_link(client) -> str:
    response = client.post("/share", data={"label": "Dr Example", "expires_in_days": "30"})
    assert response.status_code == 302
    page = parse(client.get(response.location))
    return urlsplit(next(node["value"] for node in page.find_all("input")
                         if "/s/" in (node.get("value") or ""))).path


@pytest.mark.parametrize("path", ["/trends/", "/report", "/today", "/entries", "/trends/timeline"])
def test_a_page_served_under_a_script_root_links_under_it_after_a_visit_at_the_root(
        diary_with_a_series, path):
    client = diary_with_a_series
    at_root = client.get(path)
    assert at_root.status_code == 200
    assert own_links(at_root), "the page should link somewhere"
    mounted = client.get(path, base_url=MOUNTED)
    assert mounted.status_code == 200
    outside = [link for link in own_links(mounted) if not link.startswith("/diary/")]
    assert outside == []
    assert own_links(client.get(path)) == own_links(at_root)  # and back at the root: as before


def test_the_clinicians_view_served_under_a_script_root_links_under_it(app, diary_with_a_series):
    path = share_link(diary_with_a_series)
    clinician = app.test_client()
    assert clinician.get(path).status_code == 200
    mounted = clinician.get(path, base_url=MOUNTED)
    assert mounted.status_code == 200
    assert [link for link in own_links(mounted) if not link.startswith("/diary/")] == []


@pytest.fixture
def reloading(make_app, alice, tmp_path):
    """The app with templates reloading on change, and copies of a template and the stylesheet
    that the test may edit."""
    app = make_app(TEMPLATES_AUTO_RELOAD=True)
    templates = tmp_path / "templates"
    (templates / "trends").mkdir(parents=True)
    for name in ("trends/_index_body.html",):
        (templates / name).write_text((ROOT / "templates" / name).read_text())
    app.jinja_env.loader = ChoiceLoader([FileSystemLoader(str(templates)), app.jinja_env.loader])
    static = tmp_path / "static"
    shutil.copytree(ROOT / "static", static)
    app.static_folder = str(static)
    client = app.test_client()
    client.post("/login", data={"email": alice.email, "password": "correct horse battery"})
    return app, client, templates, static


def edit(path, old: str, new: str):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_an_edited_template_shows_at_once_on_a_remembered_page_body(reloading):
    app, client, templates, _ = reloading
    add_infusion(client, add_series(client), "2026-03-02", pain_before="7", pain_after="3")
    assert "EDITED-BODY" not in client.get("/trends/").get_data(as_text=True)
    body = templates / "trends" / "_index_body.html"
    body.write_text("EDITED-BODY " + body.read_text())
    assert "EDITED-BODY" in client.get("/trends/").get_data(as_text=True)


def test_an_edited_stylesheet_gets_a_new_url(reloading):
    app, client, _, static = reloading

    def stylesheet_url():
        page = parse(client.get("/today"))
        return next(node["href"] for node in page.find_all("link", rel="stylesheet"))

    before = stylesheet_url()
    (static / "css" / "app.css").write_text((static / "css" / "app.css").read_text() + "\n/* edited */\n")
    after = stylesheet_url()
    assert before != after and after.startswith("/static/css/app.css?v=")
    served = client.get(after)
    assert served.get_data(as_text=True).endswith("/* edited */\n")
    served.close()  # static files are open streams
