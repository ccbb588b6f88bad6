"""The clinician report printed by headless Chromium on Letter and on A4 (issue 19): a six-month
diary with two series fits two pages; page 1 carries every series' result in its top half and
every infusion; no page is less than half used; the site's navigation is not printed."""

import re
import subprocess
from html.parser import HTMLParser

import pytest

from tests.browser.pages import VIEWPORTS

pytestmark = pytest.mark.browser

PAPER = {"Letter": (612, 792), "A4": (595, 842)}  # points


def pdf_text(pdf, page: int, **crop) -> str:
    """One page's text, or only a region of it (x, y, W, H in points)."""
    arguments = [part for name, value in crop.items() for part in (f"-{name}", str(round(value)))]
    output = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), *arguments, str(pdf), "-"],
                            check=True, capture_output=True, text=True).stdout
    return " ".join(output.split())


class WordBoxes(HTMLParser):
    """The bottom of every word on a page, from ``pdftotext -bbox``."""

    def __init__(self, html: str):
        super().__init__()
        self.bottoms: list[float] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "word":
            self.bottoms.append(float(dict(attrs)["ymax"]))


def lowest_text(pdf, page: int) -> float:
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          check=True, capture_output=True, text=True).stdout
    return max(WordBoxes(html).bottoms)


@pytest.mark.parametrize("paper", list(PAPER))
def test_a_six_month_report_prints_on_two_pages_with_the_answer_on_page_one(
        contexts, clinic_patient, tmp_path, paper):
    context = contexts.open(VIEWPORTS["desktop"])  # the clinician's link needs no account
    page = context.new_page()
    page.goto(clinic_patient.share_path)
    # What the Print button does first: draw every chart (they draw when scrolled to).
    page.evaluate("window.diaryCharts.drawAll()")
    page.wait_for_function("[...document.querySelectorAll('[data-chart]')].every("
                           "chart => chart.classList.contains('chart-drawn'))")
    tops = page.eval_on_selector_all(".report-top article", "articles => articles.map(a => "
                                     "[a.querySelector('h3').firstChild.textContent.trim(), "
                                     "a.querySelector('.top-result dd').innerText])")
    infusion_days = page.eval_on_selector_all(".infusion-table tbody th", "cells => cells.map(c => c.innerText)")
    pdf = tmp_path / f"report-{paper}.pdf"
    page.pdf(path=str(pdf), format=paper)

    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert abs(width - PAPER[paper][0]) < 2 and abs(height - PAPER[paper][1]) < 2  # Chromium rounds A4
    assert pages <= 2, info

    top_half = pdf_text(pdf, 1, x=0, y=0, W=width, H=height / 2)
    assert [name for name, _ in tops] == ["Autumn series", "Spring series"]
    for name, result in tops:
        assert name in top_half and result in top_half  # e.g. "Substantial improvement −50 %"
    assert "days logged" in top_half
    first_page = pdf_text(pdf, 1)
    assert "Pain diary summary: Robin" in first_page
    assert len(infusion_days) == 12
    for day in infusion_days:
        assert day in first_page
    assert "Pain before Right after 2 h 24 h Side effects during" in first_page
    assert "Dissociation (severe)" in first_page
    everything = " ".join(pdf_text(pdf, number) for number in range(1, pages + 1))
    assert "Log today" not in everything  # the site's navigation is not printed
    assert "Mean pain" in everything and "Opioids (MME/day)" in everything  # the charts were drawn
    for number in range(1, pages + 1):
        assert lowest_text(pdf, number) >= height / 2, f"page {number} is less than half used"
