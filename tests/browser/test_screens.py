"""Every page, in both phone sizes, light and dark, and on a desktop: the rules of ``check_page``.

To add a page: add a ``Screen`` to ``SCREENS`` (a name for the screenshot, the path, and
optionally ``prepare`` to bring the page into the state to check, e.g. a folded section opened).
Pages needing data of their own (a series, a share link) can take it from a fixture like
``diarist`` in conftest.py, which builds it through the real forms.
"""

from dataclasses import dataclass
from typing import Callable

import pytest
from playwright.sync_api import Page

from tests.browser.pages import VIEWPORTS, check_page

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Screen:
    name: str  # screenshot file name: test-artifacts/screenshots/<name>-<viewport>[-dark].png
    path: str  # may use {entry} (the diarist's newest entry), {link} and {share} (their share link)
    logged_in: bool = True
    status: int = 200
    prepare: Callable[[Page], None] | None = None  # bring the page into the state to check


def open_detail(page: Page) -> None:
    page.click("summary")


def submit_empty(page: Page) -> None:
    with page.expect_navigation():
        page.click("main button[type=submit]")


def edit_in_place(page: Page) -> None:
    page.click(".entry-row .button-small")
    page.wait_for_selector(".entry-row.editing")


SCREENS = [
    Screen("login", "/login", logged_in=False),
    Screen("register", "/register", logged_in=False),
    Screen("register-errors", "/register", logged_in=False, prepare=submit_empty),
    Screen("offline", "/offline", logged_in=False),
    Screen("today", "/today"),
    Screen("today-detail", "/today", prepare=open_detail),
    Screen("log-a-day", "/entries/new"),
    Screen("log-a-day-errors", "/entries/new", prepare=submit_empty),
    Screen("history", "/entries"),
    Screen("history-edit-in-place", "/entries", prepare=edit_in_place),
    Screen("calendar", "/entries/calendar"),
    Screen("edit", "/entries/{entry}/edit"),
    Screen("delete", "/entries/{entry}/delete"),
    Screen("account", "/account"),
    Screen("password", "/account/password"),
    Screen("not-found", "/no-such-page", status=404),
    Screen("share", "/share"),
    Screen("share-errors", "/share", prepare=submit_empty),
    Screen("share-link", "/share/{link}"),
    Screen("share-revoke", "/share/{link}/revoke"),
    Screen("report", "/report"),
    Screen("clinician-view", "{share}", logged_in=False),
    Screen("export", "/export"),
    Screen("import", "/import"),
    Screen("treatments", "/treatments/"),
    Screen("series-new", "/treatments/series/new"),
    Screen("infusion-new", "/treatments/infusions/new"),
    Screen("medications", "/treatments/medications/"),
    Screen("medication-new", "/treatments/medications/new"),
    Screen("medications-day", "/treatments/medications/day"),
    Screen("therapies", "/treatments/therapies/"),
    Screen("trends", "/trends/"),
    Screen("trends-timeline", "/trends/timeline"),
    Screen("trends-side-effects", "/trends/side-effects"),
    Screen("trends-how", "/trends/how"),
    Screen("trends-settings", "/trends/settings"),
    Screen("questionnaire-phq9", "/questionnaires/phq9/new"),
    Screen("questionnaire-gad7", "/questionnaires/gad7/new"),
    Screen("questionnaire-safety", "/questionnaires/safety"),
    Screen("questionnaires", "/questionnaires/"),
    Screen("questionnaire-settings", "/questionnaires/settings"),  # treatments and trends: from main, checked here
]

# viewport: (themes, run axe). axe on both phones, and in the dark theme too for its contrast
# (switched on the same page: loading a page and axe again would double the time);
# the desktop gets the layout checks and a screenshot.
VARIANTS = {"phone-360": (("light", "dark"), True), "phone-390": (("light",), True),
            "desktop": (("light",), False)}


@pytest.mark.parametrize("viewport_name", list(VARIANTS))
def test_every_page_passes_every_check(viewport_name, contexts, diarist):
    """One context for the patient and one for a visitor, shared by all pages: contexts are slow."""
    themes, axe = VARIANTS[viewport_name]
    viewport = VIEWPORTS[viewport_name]
    patient = contexts.open(viewport, storage_state=diarist.storage_state)
    visitor = contexts.open(viewport)
    problems = []
    for screen in SCREENS:
        page = (patient if screen.logged_in else visitor).new_page()
        response = page.goto(screen.path.format(entry=diarist.entry_ids[0], link=diarist.share_link_id,
                                                share=diarist.share_path))
        assert response.status == screen.status, (screen.name, response.status)
        if screen.prepare:
            screen.prepare(page)
        for theme in themes:
            page.emulate_media(color_scheme=theme)
            suffix = "-dark" if theme == "dark" else ""
            # The dark theme changes colours only: its axe run checks contrast alone.
            rules = ["color-contrast"] if theme == "dark" else None
            problems += check_page(page, f"{screen.name}-{viewport_name}{suffix}", axe=axe,
                                   axe_rules=rules)
        page.close()
    assert problems == [], "\n".join(problems)
