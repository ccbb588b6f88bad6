"""Secret links (a share link's token) never reach a log line, whatever the log level.

The proof runs the real production server (gunicorn from gunicorn.conf.py, 2 workers) at DEBUG:
a patient makes a share link, a clinician opens it, and the server's whole log is read back.
"""

import logging
import secrets
from urllib.request import urlopen

import pytest

from diary.secret_links import HideSecretLinks, SecretConverter
from tests.routes import all_routes
from tests.test_selfhosting import Browser, environment, server  # noqa: F401  fixtures

pytestmark = pytest.mark.no_test_database(reason="the server runs on its own SQLite file")

PASSWORD = "a phrase only Dana knows"


def make_share_link(browser: Browser) -> str:
    """Register Dana and make a link for her clinician, as she would; the link shown once."""
    landed, _ = browser.submit("/register", "form[method=post]", {
        "display_name": "Dana", "email": "dana@example.com", "password": PASSWORD,
        "time_zone": "Europe/London"})
    assert landed.endswith("/today")
    _, page = browser.submit("/share", "form[method=post]",
                             {"label": "Dr. Lin", "expires_in_days": "30"})
    return page.find("input", id="share-url")["value"]


def test_a_clinician_visit_leaves_no_token_in_the_server_log_at_debug(server):
    server.env.update(DIARY_LOG_LEVEL="DEBUG")
    server.start()
    link = make_share_link(Browser(server.url))
    token = link.rsplit("/s/", 1)[1]
    with urlopen(link, timeout=10) as clinician_view:
        assert clinician_view.status == 200
    assert server.stop() == 0

    log = server.log_path.read_text()
    assert " DEBUG " in log  # the log really was at DEBUG
    assert '"GET /s/…" 200' in log
    assert token not in log
    assert token[:12] not in log  # not even a prefix that would narrow a search


SECRET_ROUTES = sorted({route.rule: route for route in all_routes()
                        if any(isinstance(converter, SecretConverter)
                               for converter in route.werkzeug_rule._converters.values())}.values(),
                       key=str)


SECRET_WORDS = ("token", "code", "secret", "key")  # how a secret in a URL tends to be named


def test_every_route_argument_that_is_a_token_is_marked_secret():
    tokens = [(route.rule, name) for route in all_routes()
              for name, converter in route.werkzeug_rule._converters.items()
              if any(word in name for word in SECRET_WORDS)
              and not isinstance(converter, SecretConverter)]
    assert tokens == [], "mark them <secret:...> so that diary.secret_links keeps them out of logs"
    assert sorted(route.rule for route in SECRET_ROUTES) == [
        "/password/reset/<secret:token>", "/reminders/unsubscribe/<secret:token>", "/s/<secret:token>"]


def logged(message: str, *args) -> str:
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, message, args, None)
    assert HideSecretLinks().filter(record)
    return record.getMessage()


@pytest.mark.parametrize("route", SECRET_ROUTES, ids=str)
def test_a_secret_link_is_hidden_in_every_kind_of_log_line(route):
    token = secrets.token_urlsafe(24)
    path = route.url({name: token if name == "token" else "1" for name in route.arguments})
    hidden = path.replace(token, "…")
    lines = {  # gunicorn's access and debug lines, the development server's, Flask's error log
        '%(h)s "%(m)s %(U)s" %(s)s': ({"h": "127.0.0.1", "m": "GET", "U": path, "s": "200"},),
        "%s %s": ("GET", path),
        '%s - - [%s] "%s" %s %s': ("127.0.0.1", "now", f"GET {path}?x=1 HTTP/1.1", "200", "-"),
        f"Exception on {path} [GET]": (),
        "Link: %s": (f"https://diary.example.org{path}#top",),
    }
    for message, args in lines.items():
        line = logged(message, *args)
        assert token not in line and hidden in line, line


def test_other_paths_are_logged_as_they_are():
    assert logged('"%s %s" %s', "GET", "/entries?before=2026-01-01", 200) == \
        '"GET /entries?before=2026-01-01" 200'
    assert logged("GET /static/css/app.css") == "GET /static/css/app.css"
