"""Small helpers the templates share: how days and scores are written for patients, and the
links every page carries the same way (static and navigation links), built once per app."""

import hashlib
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Flask, current_app, request, url_for
from flask_login import current_user

from diary import remembered_markup
from diary.time_zones import zone_groups, zone_table
from diary.side_effects import SEVERITY_NAMES, SIDE_EFFECT_NAMES
from diary.trends.display import day_text as long_day


def short_day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def short_datetime(moment: datetime) -> str:
    """An instant on the logged-in patient's clock, e.g. "3 Mar 2026, 14:05"."""
    time_zone = current_user.time_zone if current_user.is_authenticated else "UTC"
    local = moment.astimezone(ZoneInfo(time_zone))
    return f"{local.day} {local:%b %Y, %H:%M}"


@lru_cache(maxsize=64)
def time_zone_groups(first: str | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """The time-zone list in groups, ``first`` on top (diary.time_zones)."""
    return zone_groups(zone_table()[0], first)


@cache
def file_version(path: Path) -> str:
    """The first 12 hex digits of the file's SHA-256: its ``v`` in static URLs."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


class FixedUrls:
    """URLs that every page links to the same way (navigation, static files), built once.

    A URL without arguments depends only on the app's routes and the path the app is mounted
    at (the request's script root), so those make the key; the memo is per app and bounded.
    """

    MEMO_SIZE = 256

    def __init__(self, app: Flask):
        self.app = app
        self.remembered = lru_cache(maxsize=self.MEMO_SIZE)(self.build)

    def build(self, script_root: str, endpoint: str, filename: str | None) -> str:
        if filename is None:
            return url_for(endpoint)
        version = file_version(Path(self.app.static_folder) / filename)
        return url_for(endpoint, filename=filename, v=version)

    def page(self, endpoint: str) -> str:
        return self.remembered(request.script_root, endpoint, None)

    def static(self, filename: str) -> str:
        return self.remembered(request.script_root, "static", filename)


def static_url(filename: str) -> str:
    """A static file's URL with its content hash, so browsers may cache it for a year."""
    return current_app.extensions["fixed_urls"].static(filename)


def page_url(endpoint: str) -> str:
    """``url_for(endpoint)`` for an endpoint that takes no arguments (the navigation's links)."""
    return current_app.extensions["fixed_urls"].page(endpoint)


def init_app(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    remembered_markup.init_app(app)
    app.extensions["fixed_urls"] = FixedUrls(app)
    app.add_template_global(static_url)
    app.add_template_global(page_url)
    app.add_template_global(time_zone_groups)
    app.add_template_filter(long_day, "long_day")
    app.add_template_filter(short_day)
    app.add_template_filter(short_datetime)
    app.add_template_global(SEVERITY_NAMES, "severity_names")
    app.add_template_global(SIDE_EFFECT_NAMES, "side_effect_names")
