"""Markup that reads only a few fixed inputs, rendered once per app and remembered.

The forms' radio groups (0-10 scales, side-effect severities): the entry form shows about 130
radio inputs; rendering them through the macros on every request was most of the quick-log
page's time. A group's markup depends only on its fixed wording, the
current answer and its error message, so the result of the macro in ``_forms.html`` (still the
one source of the markup) is kept per app, keyed by exactly those inputs. Answers that match no
button are all alike to the macro, so they share one key: the memo stays small however odd the
input, and it holds nothing that is not in the public wording of the form.

Markup is remembered only where that pays more than 10 % on a row of the benchmark. The radio
groups halve "Log today" (12,571 Python calls a request without them, 6,442 with; counted by
tests/benchmark/calls.py, which the machine's load does not move). The main navigation was
remembered too, but that saved 7 % at most (the before/after page's 3,840 calls, 3,601 with it;
4 % of "Log today"), so base.html renders it on every page.
"""

from functools import lru_cache

from flask import Flask
from markupsafe import Markup

SCALE_ANSWERS = frozenset(str(number) for number in range(11)) | {""}
SEVERITY_ANSWERS = frozenset(("none", "mild", "moderate", "severe"))
NO_BUTTON = "?"  # stands for any answer that checks no button
MEMO_SIZE = 1024  # groups x answers x messages is a few hundred; this bounds it anyway


def remembered(app: Flask, render, size: int):
    """``render`` behind a bounded memo, or bare while templates reload on change (debug), when a
    remembered copy could be out of date."""
    return render if app.jinja_env.auto_reload else lru_cache(maxsize=size)(render)


class RadioGroups:
    """``scale`` and ``severity`` for templates: the macros' output, rendered once per key."""

    def __init__(self, app: Flask):
        self.app = app
        self.rendered = remembered(app, self.render, MEMO_SIZE)

    def scale(self, name, label, low, high, values, errors, required=False) -> Markup:
        current = str(values.get(name, ""))
        if current not in SCALE_ANSWERS:
            current = NO_BUTTON
        return self.rendered("scale", name, (label, low, high), current,
                             errors.get(name) or None, required)

    def severity(self, symptom, label, hint, values, errors) -> Markup:
        name = f"se_{symptom}"
        current = values.get(name) or "none"
        if current not in SEVERITY_ANSWERS:
            current = NO_BUTTON
        return self.rendered("severity", name, (symptom, label, hint), current,
                             errors.get(name) or None, None)

    def render(self, macro: str, name: str, wording: tuple, current: str, error: str | None,
               required: bool | None) -> Markup:
        """The macro itself, given only this group's answer and message."""
        forms = self.app.jinja_env.get_template("_forms.html").module
        values, errors = {name: current}, ({name: error} if error else {})
        if macro == "severity":
            return forms.severity(*wording, values, errors)
        return forms.scale(name, *wording, values, errors, required=required)


def callables(app: Flask) -> dict:
    """This app's remembered markup, by the name templates call it (diary.templating registers it)."""
    groups = RadioGroups(app)
    return {"scale_group": groups.scale, "severity_group": groups.severity}
