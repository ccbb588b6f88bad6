"""The clinician's first screen: on a 360 px phone, the first 740 px hold every series' answer,
newest first, each in one short line, then the days logged and the period (issue 19)."""

import pytest

from tests.browser.pages import SCREENSHOTS, VIEWPORTS, check_page

pytestmark = pytest.mark.browser

FIRST_SCREEN_PX = 740

TOP_LINES = """() => {
  const lines = [];
  for (const dd of document.querySelectorAll(".report-top .top-lines dd")) {
    const box = dd.getBoundingClientRect();
    const lineHeight = parseFloat(getComputedStyle(dd).lineHeight);
    lines.push({text: dd.innerText, bottom: box.bottom + window.scrollY,
                lines: Math.round(box.height / lineHeight)});
  }
  const span = document.querySelector(".report-top .report-span").getBoundingClientRect();
  return {lines, spanBottom: span.bottom + window.scrollY,
          order: [...document.querySelectorAll(".report-top h3")].map(h => h.innerText)};
}"""


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_first_screen_of_the_shared_report_answers_for_every_series(contexts, clinic_patient, dark):
    context = contexts.open(VIEWPORTS["phone-360"], dark=dark)  # the clinician: no account
    page = context.new_page()
    page.goto(clinic_patient.share_path)
    found = page.evaluate(TOP_LINES)
    assert [title.split(" ")[0] for title in found["order"]] == ["Autumn", "Spring"]  # newest first
    assert len(found["lines"]) == 2 * 5  # result, relief, PEG, MME/day, PGIC for each series
    for line in found["lines"]:
        assert line["lines"] == 1, line  # each answer one short line
        assert line["bottom"] <= FIRST_SCREEN_PX, line
    assert found["spanBottom"] <= FIRST_SCREEN_PX
    texts = [line["text"] for line in found["lines"]]
    assert texts[0].startswith("Moderate improvement") or texts[0].startswith("Substantial improvement")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)  # the first screen alone, as the README shows it
    page.screenshot(path=str(SCREENSHOTS / f"report-first-screen-phone-360{'-dark' if dark else ''}.png"))
    problems = check_page(page, f"report-top-phone-360{'-dark' if dark else ''}")
    for problem in problems:
        print(problem)
    assert problems == []
