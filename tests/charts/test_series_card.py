"""One series' result as the page writes it, rendered from hand-built histories."""

from dataclasses import replace

from bs4 import BeautifulSoup
from flask import render_template

from diary.trends.analysis import analyse
from diary.trends.history import InfusionRecord, SeriesRecord
from tests.trends.builders import day, history, one_series, pain_entries, series


def card(app, source) -> BeautifulSoup:
    with app.test_request_context():
        html = render_template("trends/_series.html", result=analyse(source).series[0])
    return BeautifulSoup(html, "html.parser")


def measure_text(page, label: str) -> str:
    item = next(li for li in page.select(".measure") if li.h3.get_text(" ", strip=True).startswith(label))
    parts = [part.get_text() for row in item.dl.find_all("div") for part in (row.dt, row.dd)]
    return " ".join(" ".join(parts).split())


def test_a_moderate_responder_card_says_class_percent_means_and_durability(app):
    page = card(app, one_series([7] * 14, [5] * 9 + [4] + [None] * 4, today=30))
    assert " ".join(page.select_one(".result-class").get_text().split()) == (
        "Moderate improvement (\u221230 %): average pain 7.0 before, 4.9 after.")
    # 70 % of 7.0 is 4.9; days 1-4 at 5 already exceed it, so by rule 11 relief is lost on day 4.
    assert page.select_one(".durability").get_text(strip=True) == "Relief lasted 3 days."
    assert measure_text(page, "Average pain") == "Before 7.0 After 4.9 Change \u22122.1 (\u221230 %), better"
    assert page.select_one(".provisional") is None


def test_not_enough_data_shows_no_number_and_says_how_many_days(app):
    page = card(app, one_series([8] * 14, [4] * 6))
    assert "not enough data (6 of 14 days logged)" in page.select_one(".result-class").get_text()
    assert measure_text(page, "Average pain") == (
        "Before 8.0 After not enough data (6 of 14 days logged) Change no comparison")


def test_provisional_result_names_the_day_the_after_window_ends(app):
    page = card(app, one_series([8] * 14, [4] * 5, today=5))
    assert page.select_one(".provisional").strong.get_text() == (
        "Provisional: the after window ends on Thursday 15 January 2026.")


def test_mood_rising_is_better_and_pain_rising_is_worse(app):
    source = one_series([4] * 14, [6] * 14)
    entries = {when: replace(entry, mood=3 if when < day(0) else 7) for when, entry in source.entries.items()}
    page = card(app, replace(source, entries=entries))
    assert page.select_one(".result-class").strong.get_text() == "Worse (+50 %)"
    assert measure_text(page, "Mood").endswith("+4.0 points, better")  # no "+133 %" on a 0-10 scale


def test_mme_without_a_factor_says_why_there_is_no_number(app):
    source = history(entries=pain_entries(-14, [6] * 14) | pain_entries(1, [6] * 14),
                     all_series=[series(1, 0)],
                     mme={**{n: "30" for n in range(-14, 0)}, **{n: None for n in range(1, 15)}})
    text = measure_text(card(app, source), "Opioid use")
    assert text.startswith("Before 30.0 MME/day After no MME/day: on 14 of 14 days an opioid "
                           "without a CDC conversion factor")


def test_each_infusion_shows_its_acute_changes(app):
    infusions = (InfusionRecord(1, day(0), pain_before=7, pain_after=3, pain_24h=5),
                 InfusionRecord(2, day(2), pain_after=2))
    page = card(app, history(all_series=[SeriesRecord(1, "Spring", infusions=infusions)]))
    items = [" ".join(li.get_text(" ", strip=True).split()) for li in page.select(".infusions li")]
    assert items == [
        "1. Thu 1 Jan: pain 7 before; right after 3 (\u22124); 2 h not logged; 24 h 5 (\u22122)",
        "2. Sat 3 Jan: pain before not logged, so no change"]


def test_peg_says_it_is_a_daily_version(app):
    page = card(app, one_series([7] * 14, [4] * 14))
    peg = next(li for li in page.select(".measure") if li.h3.get_text().startswith("PEG"))
    assert "daily version" in peg.h3.get_text()
    assert "the validated PEG asks about the past week" in peg.select_one(".hint").get_text()
