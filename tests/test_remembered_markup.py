"""Markup built once and remembered: the forms' radio groups and the links every page carries.

Each memo must give exactly what the uncached code gives, for every input that reaches it, and
a different result whenever any part of its key changes.
"""

import shutil

import pytest
from sqlmodel import select

from diary.models import Entry
from diary.remembered_markup import RadioGroups
from tests.conftest import PASSWORD
from tests.html import parse

SCALE_ANSWERS = [str(n) for n in range(11)] + ["", "11", "-1", "abc", " 3", None, 7]
SEVERITY_ANSWERS = ["none", "mild", "moderate", "severe", "", "huge", None]
MESSAGES = [None, "", "Choose a number from 0 to 10 for mood"]


@pytest.fixture
def forms(app):
    """The macros themselves, and the remembering wrappers around them."""
    with app.app_context():
        yield app.jinja_env.get_template("_forms.html").module, RadioGroups(app)


def test_a_remembered_scale_is_the_scale_macros_markup(forms):
    macros, groups = forms
    for answer in SCALE_ANSWERS:
        for message in MESSAGES:
            for required in (True, False):
                args = ("mood", "Mood", "very low", "very good", {"mood": answer}, {"mood": message})
                expected = macros.scale(*args, required=required)
                assert groups.scale(*args, required=required) == expected
                assert groups.scale(*args, required=required) == expected  # again, from the memo


def test_a_remembered_severity_is_the_severity_macros_markup(forms):
    macros, groups = forms
    for answer in SEVERITY_ANSWERS:
        for message in MESSAGES:
            args = ("nausea", "Nausea", "being sick", {"se_nausea": answer}, {"se_nausea": message})
            expected = macros.severity(*args)
            assert groups.severity(*args) == expected
            assert groups.severity(*args) == expected


def test_a_group_missing_from_values_and_errors_is_the_macros_markup_too(forms):
    macros, groups = forms
    assert groups.scale("mood", "Mood", "low", "high", {}, {}) == macros.scale(
        "mood", "Mood", "low", "high", {}, {})
    assert groups.severity("nausea", "Nausea", "", {}, {}) == macros.severity(
        "nausea", "Nausea", "", {}, {})


def test_every_part_of_a_scales_key_changes_its_markup(forms):
    _, groups = forms
    base = dict(name="mood", label="Mood", low="low", high="high", values={"mood": "3"},
                errors={}, required=False)
    variants = [{}, {"name": "sleep_quality", "values": {"sleep_quality": "3"}},
                {"label": "Sleep"}, {"low": "none"}, {"high": "all"}, {"values": {"mood": "4"}},
                {"errors": {"mood": "Enter mood"}}, {"errors": {"mood": "Choose mood"}},
                {"required": True}]
    markups = [groups.scale(**{**base, **change}) for change in variants]
    assert len(set(markups)) == len(variants)


def test_every_part_of_a_severitys_key_changes_its_markup(forms):
    _, groups = forms
    base = dict(symptom="nausea", label="Nausea", hint="", values={"se_nausea": "mild"}, errors={})
    variants = [{}, {"symptom": "headache", "values": {"se_headache": "mild"}}, {"label": "Sick"},
                {"hint": "being sick"}, {"values": {"se_nausea": "severe"}},
                {"errors": {"se_nausea": "Choose one"}}, {"errors": {"se_nausea": "Choose two"}}]
    markups = [groups.severity(**{**base, **change}) for change in variants]
    assert len(set(markups)) == len(variants)


def test_answers_that_match_no_button_share_one_remembered_group(forms):
    _, groups = forms
    for number in range(500):
        groups.scale("mood", "Mood", "low", "high", {"mood": f"x{number}"}, {})
        groups.severity("nausea", "Nausea", "", {"se_nausea": f"x{number}"}, {})
    assert groups.rendered.cache_info().currsize == 2


def login(app, email):
    client = app.test_client()
    client.post("/login", data={"email": email, "password": PASSWORD})
    return client


def checked(page, name):
    return [node["value"] for node in page.find_all("input", {"name": name}) if node.has_attr("checked")]


def test_patients_taking_turns_on_one_server_each_see_their_own_answers(app, alice, charlie, db):
    alice_client, charlie_client = login(app, alice.email), login(app, charlie.email)
    alice_client.post("/entries", data={"day": "2026-01-05", "pain_avg": "7", "se_nausea": "severe"})
    charlie_client.post("/entries", data={"day": "2026-01-05", "pain_avg": "2", "se_nausea": "mild"})
    entries = {entry.patient_id: entry.id for entry in db.exec(select(Entry))}
    for _ in range(2):  # the second round is served from the memo
        alices = parse(alice_client.get(f"/entries/{entries[alice.id]}/edit"))
        charlies = parse(charlie_client.get(f"/entries/{entries[charlie.id]}/edit"))
        assert (checked(alices, "pain_avg"), checked(alices, "se_nausea")) == (["7"], ["severe"])
        assert (checked(charlies, "pain_avg"), checked(charlies, "se_nausea")) == (["2"], ["mild"])


def test_a_changed_answer_shows_at_once(as_alice, clock):
    clock.set("2026-03-10T09:00", "Europe/London")
    as_alice.post("/entries", data={"day": "2026-03-10", "pain_avg": "4"})
    assert checked(parse(as_alice.get("/today")), "pain_avg") == ["4"]
    action = parse(as_alice.get("/today")).select_one("form.entry-form")["action"]
    for pain in ("5", "4"):
        as_alice.post(action, data={"day": "2026-03-10", "pain_avg": pain})
        assert checked(parse(as_alice.get("/today")), "pain_avg") == [pain]


def links(response):
    page = parse(response)
    return [node.get("href") or node.get("src") for node in page.select("link[href], script[src], nav a")]


def test_the_navigation_and_static_links_follow_the_path_the_app_is_mounted_at(as_alice):
    at_root = links(as_alice.get("/today"))
    mounted = links(as_alice.get("/today", base_url="http://localhost/diary"))
    assert at_root and all(link.startswith("/") and not link.startswith("/diary/") for link in at_root)
    assert mounted == ["/diary" + link for link in at_root]
    assert links(as_alice.get("/today")) == at_root


def test_a_second_app_with_other_static_files_gets_its_own_versions(make_app, tmp_path):
    first, second = make_app(), make_app()
    static = tmp_path / "other-static"
    shutil.copytree(first.static_folder, static)
    (static / "css" / "app.css").write_text("body { color: red }")
    second.static_folder = str(static)
    css = [link for app in (first, second) for link in links(app.test_client().get("/login"))
           if "app.css" in link]
    assert len(css) == 2 and css[0] != css[1]


@pytest.mark.parametrize("order", [1, -1])
def test_the_navigation_marks_the_page_you_are_on_whichever_page_came_before(as_alice, order):
    pages = [("/today", "Log today"), ("/entries", "History"), ("/treatments/", "Treatments"),
             ("/trends/", "Trends"), ("/share", "Share"), ("/account", "Account"),
             ("/entries/new", None)]
    for path, current in pages[::order] * 2:  # the second round comes from the memo
        response = as_alice.get(path, follow_redirects=True)
        marked = [node.get_text() for node in parse(response).select('nav[aria-label="Main"] a[aria-current="page"]')]
        assert marked == ([current] if current else []), path
