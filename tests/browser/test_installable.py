"""Installable and light: the manifest, the service worker's offline page, saving with no network,
page weight and long-lived caching, all in the real browser against the real server.
"""

import json
import struct

import pytest
from playwright.sync_api import expect

from tests.browser.pages import SCREENSHOTS, VIEWPORTS, Weigher, check_page, go_offline, tap

pytestmark = pytest.mark.browser

QUICK_LOG_BUDGET = 60 * 1024  # issue 6: the quick-log page, every resource gzip-compressed
WEIGHTS = SCREENSHOTS.parent / "page-weights.json"

PHONE = VIEWPORTS["phone-360"]


def png_size(body: bytes) -> tuple[int, int]:
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", body[16:24])


def test_the_manifest_makes_an_app_that_opens_on_the_quick_log(contexts):
    page = contexts.open(PHONE).new_page()
    page.goto("/login")
    manifest_url = page.get_attribute("link[rel=manifest]", "href")
    response = page.request.get(manifest_url)
    assert response.headers["content-type"] == "application/manifest+json"
    manifest = json.loads(response.body())
    assert (manifest["name"], manifest["start_url"], manifest["display"], manifest["scope"]) == (
        "Pain diary", "/today", "standalone", "/")
    theme_colours = page.eval_on_selector_all(
        "meta[name=theme-color]", "metas => metas.map(m => [m.media, m.content])")
    assert theme_colours == [["(prefers-color-scheme: light)", manifest["theme_color"]],
                             ["(prefers-color-scheme: dark)", "#14181c"]]
    icons = {(icon["sizes"], icon["purpose"]): icon["src"] for icon in manifest["icons"]}
    assert set(icons) == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for (sizes, _), src in icons.items():
        icon = page.request.get(src)
        assert icon.headers["content-type"] == "image/png"
        assert "x".join(map(str, png_size(icon.body()))) == sizes


def service_worker_ready(page) -> str:
    """Wait until the service worker controls the page; its script URL."""
    return page.evaluate("""async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise(resolve => navigator.serviceWorker.addEventListener("controllerchange", resolve));
      }
      return navigator.serviceWorker.controller.scriptURL;
    }""")


CACHED_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) urls.push(new URL(request.url).pathname + new URL(request.url).search);
  }
  return urls;
}"""


def test_with_no_network_a_page_shows_the_offline_page_and_nothing_with_health_data_is_cached(
        contexts, diarist):
    context = contexts.open(PHONE, storage_state=diarist.storage_state, service_workers="allow")
    page = context.new_page()
    page.goto("/entries")
    assert service_worker_ready(page).endswith("/sw.js")
    page.goto("/today")  # visited online, with the worker in charge: still must not be kept
    page.goto("/entries")

    go_offline(context, contexts.watch(context))
    page.goto("/entries")
    assert page.locator("h1").inner_text() == "You are offline"
    assert "Everything you saved before is safe" in page.inner_text("main")
    assert page.locator("nav").count() == 0  # the anonymous page: no name, no links into the diary
    assert page.evaluate("getComputedStyle(document.querySelector('.button-small')).minHeight") == "44px"
    check_page(page, "offline-without-network-phone-360", axe=False)

    cached = page.evaluate(CACHED_URLS)
    assert "/offline" in cached
    assert [url for url in cached if url != "/offline" and not (
        url.startswith("/static/") and "?v=" in url)] == []
    context.set_offline(False)


def test_saving_with_no_network_tells_the_patient_and_keeps_every_answer(
        contexts, new_patient, database):
    patient, state = new_patient("Cara")
    context = contexts.open(PHONE, storage_state=state, service_workers="allow")
    page = context.new_page()
    page.goto("/today")
    service_worker_ready(page)
    tap(page, "#pain_avg-7")
    tap(page, "summary")
    tap(page, "#se_nausea-severe")
    page.fill("#notes", "Written on the train")

    go_offline(context, contexts.watch(context))
    tap(page, "button.button-primary")
    alert = page.locator("#alerts .flash-error")
    alert.wait_for()
    assert "No connection: nothing was saved" in alert.inner_text()
    assert page.url.endswith("/today")
    assert page.is_checked("#pain_avg-7") and page.is_checked("#se_nausea-severe")
    assert page.input_value("#notes") == "Written on the train"
    assert database.entries(patient.email) == []

    context.set_offline(False)
    contexts.watch(context).offline = False
    tap(page, "button.button-primary")
    expect(page.locator(".flash-success")).to_contain_text("Saved: pain 7")
    [entry] = database.entries(patient.email)
    assert (entry.pain_avg, entry.notes) == (7, "Written on the train")
    assert database.side_effects(entry.id) == {"nausea": 3}


class NetworkBytes:
    """Bytes that really crossed the network, per URL, as Chromium counts them (cache hits are 0)."""

    def __init__(self, context, page):
        self.bytes: dict[str, int] = {}
        self.urls: dict[str, str] = {}
        session = context.new_cdp_session(page)
        session.on("Network.requestWillBeSent",
                   lambda event: self.urls.__setitem__(event["requestId"], event["request"]["url"]))
        session.on("Network.loadingFinished", lambda event: self.bytes.__setitem__(
            self.urls.get(event["requestId"], event["requestId"]), event["encodedDataLength"]))
        session.send("Network.enable")

    def reset(self) -> None:
        self.bytes.clear()


def test_the_quick_log_page_weighs_under_60_kb_and_a_second_visit_loads_almost_nothing(
        contexts, new_patient):
    _, state = new_patient("Dee")
    context = contexts.open(PHONE, storage_state=state)
    page = context.new_page()
    weigher = Weigher(page)
    network = NetworkBytes(context, page)
    page.goto("/today", wait_until="networkidle")
    sizes = weigher.gzip_sizes()
    total = sum(sizes.values())
    WEIGHTS.parent.mkdir(parents=True, exist_ok=True)
    WEIGHTS.write_text(json.dumps({"quick log (gzip bytes)": sizes, "total": total}, indent=2))
    print(f"\nquick-log page: {total} bytes gzip in {len(sizes)} resources: {sizes}")
    assert total <= QUICK_LOG_BUDGET
    assert not any("plotly" in url for url in sizes)

    network.reset()
    page.goto("/entries", wait_until="networkidle")
    page.goto("/today", wait_until="networkidle")
    static_bytes = {url: size for url, size in network.bytes.items() if "/static/" in url}
    print(f"second visit, bytes over the network: {network.bytes}")
    assert static_bytes and set(static_bytes.values()) == {0}  # every static file from the cache


CHART_PAGE_BUDGET = 450 * 1024  # issue 6: a chart page with plotly, every resource gzip-compressed


def test_a_chart_page_weighs_under_450_kb_with_plotly(contexts, diarist):
    context = contexts.open(PHONE, storage_state=diarist.storage_state)
    page = context.new_page()
    weigher = Weigher(page)
    page.goto("/trends/timeline", wait_until="networkidle")
    page.locator("[data-chart]").scroll_into_view_if_needed()  # the library loads when the chart is near
    page.wait_for_selector(".chart-drawn .main-svg")  # the chart really drew
    sizes = weigher.gzip_sizes()
    total = sum(sizes.values())
    print(f"\nchart page: {total} bytes gzip in {len(sizes)} resources: {sizes}")
    assert any("plotly-basic-4.1.1.min.js" in url for url in sizes)
    assert total <= CHART_PAGE_BUDGET
