"""Every chart legible at 360 px and on a desktop, light and dark (issue 19): no text over other
text (titles, tick labels, annotations, bar labels, legend items, compared by their boxes as
drawn), nothing cut off at the chart's edges, every panel at least 120 px tall, at least 4 date
ticks on a date axis. Charts draw when scrolled to, as a clinician or patient would."""

import pytest

from tests.browser.pages import SCREENSHOTS, VIEWPORTS, screenshot

pytestmark = pytest.mark.browser

PAGES = {"before-after": "/trends/", "timeline": "/trends/timeline",
         "side-effects": "/trends/side-effects", "share": "{share}"}

TEXT_BOXES = """(chart) => {
  const boxes = [];
  const add = (element, kind) => {
    const text = (element.textContent || "").trim();
    const box = element.getBoundingClientRect();
    if (!text || !box.width || !box.height || !element.checkVisibility({opacityProperty: true})) return;
    boxes.push({kind, text, left: box.left, right: box.right, top: box.top, bottom: box.bottom});
  };
  chart.querySelectorAll(".gtitle, .xtitle, .ytitle, [class$='title'] text").forEach(e => add(e, "title"));
  chart.querySelectorAll(".xtick text, .ytick text, [class$='tick'] > text").forEach(e => add(e, "tick"));
  chart.querySelectorAll(".annotation-text-g").forEach(e => add(e, "annotation"));
  chart.querySelectorAll(".bars .point text, .textpoint text").forEach(e => add(e, "bar label"));
  chart.querySelectorAll(".legend .traces").forEach(e => add(e, "legend"));
  const unique = new Map();
  for (const box of boxes) unique.set([box.kind, box.text, box.left, box.top].join("|"), box);
  const found = [...unique.values()];
  const overlaps = [];
  const SLACK = 1;  // px: touching is not overlapping
  for (let i = 0; i < found.length; i++) {
    for (let j = i + 1; j < found.length; j++) {
      const a = found[i], b = found[j];
      const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (x > SLACK && y > SLACK) overlaps.push(`${a.kind} "${a.text}" overlaps ${b.kind} "${b.text}"`);
    }
  }
  const frame = chart.getBoundingClientRect();
  const outside = found.filter(b => b.left < frame.left - SLACK || b.right > frame.right + SLACK ||
                                    b.top < frame.top - SLACK || b.bottom > frame.bottom + SLACK)
                       .map(b => `${b.kind} "${b.text}" is cut off at the chart's edge`);
  const layout = chart._fullLayout;
  const panels = Object.keys(layout).filter(k => /^yaxis\\d*$/.test(k))
                       .map(k => ({axis: k, px: Math.round(layout[k]._length)}));
  // Plotly hides a label that would run past the chart's edge: count only those on screen.
  const dateTicks = layout.xaxis.type === "date"
    ? found.filter(b => b.kind === "tick" && /[A-Z][a-z]{2}/.test(b.text)).length : null;
  return {count: found.length, overlaps, outside, panels, dateTicks};
}"""


def drawn_charts(page) -> list[str]:
    """Scrolls to each chart in turn, as a reader would, and waits until it is drawn."""
    ids = page.eval_on_selector_all("[data-chart]", "charts => charts.map(c => c.id)")
    for chart_id in ids:
        page.locator(f"#{chart_id}").scroll_into_view_if_needed()
        page.wait_for_selector(f"#{chart_id}.chart-drawn .main-svg")
    return ids


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("size", ["phone-360", "desktop"])
@pytest.mark.parametrize("name", list(PAGES))
def test_chart_text_never_overlaps_and_panels_are_readable(contexts, clinic_patient, name, size, dark):
    shared = name == "share"
    context = contexts.open(VIEWPORTS[size], dark=dark,
                            storage_state=None if shared else clinic_patient.storage_state)
    page = context.new_page()
    page.goto(PAGES[name].format(share=clinic_patient.share_path))
    ids = drawn_charts(page)
    assert ids, "the page has charts"
    screenshot(page, f"charts-{name}-{size}{'-dark' if dark else ''}")
    page.locator(f"#{ids[0]}").screenshot(
        path=str(SCREENSHOTS / f"chart-{ids[0]}-{size}{'-dark' if dark else ''}.png"))
    for chart_id in ids:
        found = page.eval_on_selector(f"#{chart_id}", TEXT_BOXES)
        assert found["count"] >= 5, chart_id  # the check saw the chart's text
        assert found["overlaps"] == [], chart_id
        assert found["outside"] == [], chart_id
        for panel in found["panels"]:
            assert panel["px"] >= 120, (chart_id, panel)
        if found["dateTicks"] is not None:
            assert found["dateTicks"] >= 4, chart_id
