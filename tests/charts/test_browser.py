"""The charts drawn by a real Chromium on a 360 px phone, under the strict Content-Security-Policy."""

import shutil
import threading
from datetime import date

import pytest
from werkzeug.serving import make_server

from tests.charts.test_pages import add_entries
from tests.conftest import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not shutil.which(CHROMIUM), reason="needs Debian's chromium")]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def server(app):
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


def test_timeline_is_drawn_on_a_phone_without_any_console_error(app, alice, server):
    from playwright.sync_api import sync_playwright

    add_entries(app, alice, date.today().replace(day=1), [6, 5, 7, 4, 5, 6, 3, 4])
    messages = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                   has_touch=True).new_page()
        page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
        page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
        page.goto(f"{server}/login")
        page.fill("#email", alice.email)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{server}/trends/timeline?range=30")
        assert page.evaluate("typeof window.Plotly") == "undefined"  # numbers first, no library yet
        page.locator("#chart-timeline").scroll_into_view_if_needed()  # the chart draws when near
        page.wait_for_selector("#chart-timeline.chart-drawn .main-svg")
        traces = page.evaluate("document.getElementById('chart-timeline').data.map(t => t.name)")
        page_width = page.evaluate("document.documentElement.scrollWidth")
        browser.close()
    assert traces[:2] == ["Pain each day", "7-day mean"]
    assert page_width == 360  # nothing spills sideways on a phone
    assert messages == []  # a CSP violation would show here
