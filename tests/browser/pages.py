"""What every page must pass in a real browser, and the helpers the browser tests share.

``check_page`` is the one place for the page-level rules: no JS error or CSP violation, no failed
load, zero serious or critical axe-core violations, nothing wider than the screen, tap targets of
at least 44 px, inputs of at least 16 px; it also saves a full-page screenshot under
``test-artifacts/screenshots/``. ``page_weight`` sums the gzip-compressed size of every resource
a page loaded.
"""

import gzip
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import BrowserContext, Page, Response

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js").read_text()
GZIP_LEVEL = 6  # what nginx, Caddy and flask-compress use by default


@dataclass(frozen=True)
class Viewport:
    name: str
    width: int
    height: int
    touch: bool  # a phone: is_mobile and has_touch, driven with page.tap


VIEWPORTS = {
    "phone-360": Viewport("phone-360", 360, 740, True),  # the narrowest phones still common
    "phone-390": Viewport("phone-390", 390, 844, True),  # a typical recent phone
    "desktop": Viewport("desktop", 1280, 800, False),
}
PHONES = ("phone-360", "phone-390")


def daytime_zone(now: datetime | None = None) -> str:
    """A real time zone where it is between 04:00 and 20:00 now, so "today" is stable during a run."""
    now = now or datetime.now(ZoneInfo("UTC"))
    for zone in ("Europe/London", "America/New_York", "America/Los_Angeles", "Asia/Tokyo",
                 "Asia/Kolkata", "Australia/Sydney"):
        if 4 <= now.astimezone(ZoneInfo(zone)).hour < 20:
            return zone
    raise AssertionError("no daytime zone in the list")  # cannot happen: they span 24 hours


def tap(page: Page, selector: str) -> None:
    """A tap on a touch screen, a click on a desktop."""
    if (page.viewport_size or {}).get("width", 0) < 1000:
        page.tap(selector)
    else:
        page.click(selector)


# Chrome reports every 4xx/5xx document in the console; tests assert those statuses themselves,
# and failing sub-resources are caught from the responses below.
STATUS_MESSAGE = re.compile(r"^Failed to load resource: the server responded with a status of \d+")


# A rejected form (422) or a day logged twice (409) comes back to htmx as a page to swap in.
FORM_ANSWERS = (409, 422)


@dataclass
class Watch:
    """Everything a context's pages report: console errors, page errors, failed loads."""
    problems: list[str] = field(default_factory=list)
    offline: bool = False  # set by go_offline: failed requests are then expected

    def attach(self, page: Page) -> None:
        page.on("console", lambda message: self.console(page, message))
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: JS error: {error}"))
        page.on("requestfailed", lambda request: self.request_failed(page, request))
        page.on("response", self.response)

    def console(self, page: Page, message) -> None:
        if message.type != "error" or STATUS_MESSAGE.match(message.text) or self.offline:
            return
        self.problems.append(f"{page.url}: console error: {message.text}")

    def request_failed(self, page: Page, request) -> None:
        # ERR_ABORTED: the page moved on before a load finished (the browser cancelled it).
        if self.offline or request.failure == "net::ERR_ABORTED":
            return
        self.problems.append(f"{page.url}: {request.url} failed: {request.failure}")

    def response(self, response: Response) -> None:
        if response.request.resource_type == "document" or (
                response.request.resource_type in ("xhr", "fetch") and response.status in FORM_ANSWERS):
            return
        if response.status >= 400:
            self.problems.append(f"{response.url} answered {response.status}")


def watch_context(context: BrowserContext) -> Watch:
    watch = Watch()
    context.on("page", watch.attach)
    return watch


def go_offline(context: BrowserContext, watch: Watch) -> None:
    watch.offline = True
    context.set_offline(True)


LAYOUT_CHECK = """() => {
  const problems = [];
  const root = document.documentElement;
  // A phone zooms out to fit wide content, which makes innerWidth grow with it: compare with the
  // layout viewport and the screen too.
  const screenWidth = Math.min(window.innerWidth, root.clientWidth, screen.width);
  if (root.scrollWidth > screenWidth) {
    problems.push(`the page is ${root.scrollWidth}px wide on a ${screenWidth}px screen`);
  }
  const describe = (element) => `${element.tagName.toLowerCase()} "${(element.innerText || element.value || element.name || "").trim().slice(0, 40)}"`;
  // A link inside running text is exempt from the size rule (WCAG 2.5.8, "inline").
  const inSentence = (element) => element.tagName === "A" && getComputedStyle(element).display === "inline"
    && element.parentElement.innerText.trim().length > element.innerText.trim().length + 3;
  for (const element of document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary")) {
    if (!element.checkVisibility()) continue;
    const target = element.closest("label") || element;  // a radio's target is its whole label
    const box = target.getBoundingClientRect();
    if (box.right <= 0 || box.bottom <= 0) continue;  // the skip link, until it is focused
    if (!inSentence(element) && (box.width < 44 || box.height < 44)) {
      problems.push(`${describe(element)} is ${Math.round(box.width)}x${Math.round(box.height)} px, smaller than 44x44`);
    }
    if (element.matches("input:not([type=checkbox]):not([type=radio]), select, textarea") && parseFloat(getComputedStyle(element).fontSize) < 16) {
      problems.push(`${describe(element)} has a font under 16px, so phones zoom in on it`);
    }
  }
  return problems;
}"""

AXE_RUN = """async (rules) => {
  const options = {resultTypes: ["violations"]};
  if (rules) options.runOnly = {type: "rule", values: rules};
  const results = await axe.run(document, options);
  return results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + ": " + (n.failureSummary || "").split("\\n")[1])}));
}"""


def axe_violations(page: Page, impacts=("serious", "critical"), rules=None) -> list[dict]:
    """axe-core's violations of the given impacts (all rules, or only ``rules``).

    Injected by evaluate: our CSP refuses script tags, and must stay that way.
    """
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    return [violation for violation in page.evaluate(AXE_RUN, rules) if violation["impact"] in impacts]


def layout_problems(page: Page) -> list[str]:
    return page.evaluate(LAYOUT_CHECK)


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def check_page(page: Page, name: str, *, axe: bool = True, axe_rules=None) -> list[str]:
    """Every rule a page must pass, as a list of problems (empty when all is well); saves a screenshot."""
    screenshot(page, name)
    problems = [f"{name}: {problem}" for problem in layout_problems(page)]
    if axe:
        problems += [f"{name}: axe {v['impact']} {v['id']}: {v['help']} at {v['nodes']}"
                     for v in axe_violations(page, rules=axe_rules)]
    return problems


class Weigher:
    """Records the responses a page receives, to weigh them after it has loaded."""

    def __init__(self, page: Page):
        self.responses: list[Response] = []
        page.on("response", lambda response: self.responses.append(response))

    def gzip_sizes(self) -> dict[str, int]:
        """Each loaded resource's body, gzip-compressed, in bytes (redirects carry no body)."""
        sizes = {}
        for response in self.responses:
            if 300 <= response.status < 400:
                continue
            sizes[response.url] = len(gzip.compress(response.body(), compresslevel=GZIP_LEVEL))
        return sizes


def csrf_token(page: Page) -> str:
    return page.locator("input[name=csrf_token]").first.get_attribute("value")
