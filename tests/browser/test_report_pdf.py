"""The clinician report printed by headless Chromium: one or two A4 pages, nothing cut off."""

import re
import subprocess
from datetime import timedelta

import pytest

from diary.days import today_in
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORTS

pytestmark = pytest.mark.browser


def form_token(page, path: str) -> str:
    page.goto(path)
    return page.locator("input[name=csrf_token]").first.get_attribute("value")


def post(context, page, form_path: str, action: str, form: dict) -> str:
    form = {**form, "csrf_token": form_token(page, form_path)}
    response = context.request.post(action, form=form, max_redirects=0)
    assert response.status == 302, response.text()
    return response.headers["location"]


@pytest.fixture
def shared_report(contexts, new_patient, time_zone):
    """A patient with four weeks of diary around a two-infusion series and a share link;
    returns the link the clinician opens."""
    _, state = new_patient("Robin")
    context = contexts.open(VIEWPORTS["phone-360"], storage_state=state)
    page = context.new_page()
    today = today_in(time_zone)
    first_infusion = today - timedelta(days=20)
    for offset in range(1, 15):
        for day, pain in ((first_infusion - timedelta(days=offset), 8), (first_infusion + timedelta(days=2 + offset), 4)):
            if day < today:
                post(context, page, "/entries/new", "/entries",
                     {"day": day.isoformat(), "pain_avg": str(pain), "interference_enjoyment": "6",
                      "interference_activity": "5", "se_dizziness": "moderate"})
    series = post(context, page, "/entries/new", "/treatments/series",
                  {"name": "Autumn series", "condition": "fibromyalgia", "route": "iv"})
    series_path = re.search(r"/treatments/series/\d+", series).group(0)
    for day, dose in ((first_infusion, "35"), (first_infusion + timedelta(days=2), "52.5")):
        post(context, page, "/entries/new", f"{series_path}/infusions",
             {"day": day.isoformat(), "start_time": "09:00", "dose_mg": dose,
              "pain_before": "8", "pain_after": "3"})
    page.goto("/share")
    page.fill("#label", "Dr. Lin")
    with page.expect_navigation():
        page.tap("button.button-primary")
    return page.input_value("#share-url")


def test_the_report_prints_on_one_or_two_a4_pages_with_its_numbers(shared_report, tmp_path):
    pdf = tmp_path / "report.pdf"
    # The clinician's view needs no cookie: print exactly what the link shows.
    subprocess.run([CHROMIUM, "--headless=new", *CHROMIUM_ARGS, "--virtual-time-budget=10000",
                    "--no-pdf-header-footer", f"--print-to-pdf={pdf}", shared_report],
                   check=True, capture_output=True, timeout=120)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    assert 1 <= pages <= 2, info
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert (round(width), round(height)) in ((595, 842), (612, 792))  # A4 or Letter
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                                   capture_output=True, text=True).stdout.split())
    assert "Pain diary summary: Robin" in text
    assert "Autumn series" in text and "2 infusions, 35–52.5 mg" in text
    assert "Substantial improvement (−50 %): 8.0 before, 4.0 after" in text
    assert "Most frequent side effects" in text and "Dizziness" in text
    assert "Log today" not in text  # the site's navigation is not printed
    # The charts were drawn before printing: their axis titles are in the PDF's text.
    assert "Charts" in text and text.count("pain") > 5
