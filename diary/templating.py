"""What templates can call, registered in one place (``init_app``): how days, scores and doses
are written for patients, the names of the diary's choices, and the links every page carries the
same way (static and navigation links), built once per app."""

import hashlib
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Flask, current_app, request, url_for
from flask_login import current_user

from diary import remembered_markup
from diary.clinic.accounts import signed_in_clinician
from diary.db import get_session
from diary.registration import registration_mode
from diary.sharing.report import dose_range
from diary.side_effects import SEVERITY_NAMES, SIDE_EFFECT_NAMES
from diary.time_zones import zone_groups, zone_table
from diary.treatments.choices import choice_name
from diary.treatments.forms import CHOICE_NAMES, plain_number, treatment_noun
from diary.treatments.mme import format_mme
from diary.trends.display import (
    change_text, day_span_text, day_text as long_day, mean_text, percent_text, points_text,
    share_points_text, share_text,
)


def short_day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def short_datetime(moment: datetime) -> str:
    """An instant on the logged-in patient's clock, e.g. "3 Mar 2026, 14:05"."""
    time_zone = current_user.time_zone if current_user.is_authenticated else "UTC"
    local = moment.astimezone(ZoneInfo(time_zone))
    return f"{local.day} {local:%b %Y, %H:%M}"


def current_registration_mode() -> str:
    return registration_mode(get_session())


@lru_cache(maxsize=64)
def time_zone_groups(first: str | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """The time-zone list in groups, ``first`` on top (diary.time_zones)."""
    return zone_groups(zone_table()[0], first)


def file_version(path: Path) -> str:
    """The first 12 hex digits of the file's SHA-256: its ``v`` in static URLs. Hashed again
    when the file changes (its size or modification time), so an edited file gets a new URL."""
    stat = path.stat()
    return hashed(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def hashed(path: Path, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


class FixedUrls:
    """URLs that every page links to the same way (navigation, static files), built once.

    A URL without arguments depends only on the app's routes and the path the app is mounted
    at (the request's script root), so those make the key; the memo is per app and bounded.
    Nothing is kept while templates reload on change (development): a static file may change.
    """

    MEMO_SIZE = 256

    def __init__(self, app: Flask):
        self.app = app
        self.remembered = remembered_markup.remembered(app, self.build, self.MEMO_SIZE)

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
    """Every global and filter the templates use, and nowhere else."""
    app.jinja_env.add_extension("jinja2.ext.do")
    app.extensions["fixed_urls"] = FixedUrls(app)
    app.jinja_env.globals.update({
        "static_url": static_url, "page_url": page_url, "time_zone_groups": time_zone_groups,
        "registration_mode": current_registration_mode, "choice_name": choice_name,
        "treatment_noun": treatment_noun, "treatment_names": CHOICE_NAMES,
        "severity_names": SEVERITY_NAMES, "side_effect_names": SIDE_EFFECT_NAMES,
        "signed_in_clinician": signed_in_clinician,
        **remembered_markup.callables(app),
    })
    app.jinja_env.filters.update({
        "long_day": long_day, "short_day": short_day, "short_datetime": short_datetime,
        "mme": format_mme, "plain_number": plain_number, "dose_range": dose_range,
        "day_span": day_span_text,
        # How numbers are written on the pages: rounding lives in diary.trends.display only.
        "mean_text": mean_text, "change_text": change_text, "percent_text": percent_text,
        "share_text": share_text, "points_text": points_text, "share_points_text": share_points_text,
    })
