"""Links whose path holds a secret (a share link's token; later reset and unsubscribe links).

A route marks its secret with the ``secret`` converter, ``@bp.route("/s/<secret:token>")``, and
that is all it has to do: every log line, whoever writes it (gunicorn's access and debug lines,
the development server, Flask's error log), passes ``HideSecretLinks``, which replaces the secret
part of such a path with "…". The access log then shows ``"GET /s/…" 200``. A token in the
journal would be a working link for anyone who can read the journal, for as long as it lives.
"""

import logging
import re

from flask import Flask
from werkzeug.routing import BaseConverter

HIDDEN = "…"
# One path segment as it can appear in a log line: up to a slash, quote, space, query or fragment.
SEGMENT = r"[^/\s\"'?#]+"
PLACEHOLDER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


class SecretConverter(BaseConverter):
    """A path segment that is a secret: matched like the default converter, kept out of logs."""


def secret_pattern(rule: str) -> re.Pattern | None:
    """A pattern for the rule's path up to its last secret segment, or None if it has none.

    Secret segments are named groups; anything after the last one is left out, so the secret is
    found even in a shortened or mistyped path.
    """
    pieces, secrets = [], 0
    position = 0
    for placeholder in PLACEHOLDER.finditer(rule):
        pieces.append(re.escape(rule[position:placeholder.start()]))
        if placeholder.group(1) == "secret":
            pieces.append(f"(?P<secret{secrets}>{SEGMENT})")
            secrets += 1
            last_secret_end = len(pieces)
        else:
            pieces.append(SEGMENT)
        position = placeholder.end()
    if not secrets:
        return None
    return re.compile("".join(pieces[:last_secret_end]))


def hide_secrets(text: str, patterns) -> str:
    def hide(match: re.Match) -> str:
        found, start = match.group(0), match.start()
        spans = sorted((match.span(name) for name in match.groupdict()), reverse=True)
        for begin, end in spans:
            found = found[:begin - start] + HIDDEN + found[end - start:]
        return found

    for pattern in patterns:
        text = pattern.sub(hide, text)
    return text


class HideSecretLinks(logging.Filter):
    """For log handlers: rewrites a record whose message holds a secret link.

    The patterns come from the routes of every app built in this process (``init_app``); they
    are shared by the class because gunicorn sets up its handlers before the app exists.
    """

    patterns: dict[str, re.Pattern] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format: the handler reports it, as it would without us
            return True
        hidden = hide_secrets(message, self.patterns.values())
        if hidden != message:
            record.msg, record.args = hidden, None
        return True


def hide_in_handlers(handlers) -> None:
    for handler in handlers:
        if not any(isinstance(existing, HideSecretLinks) for existing in handler.filters):
            handler.addFilter(HideSecretLinks())


def register_converter(app: Flask) -> None:
    """Before any blueprint: routes need the converter when they are added."""
    app.url_map.converters["secret"] = SecretConverter


def init_app(app: Flask) -> None:
    """After every blueprint: learn the app's secret routes; filter the root logger's handlers."""
    for rule in app.url_map.iter_rules():
        pattern = secret_pattern(rule.rule)
        if pattern is not None:
            HideSecretLinks.patterns[rule.rule] = pattern
    # Under gunicorn its handler already has the filter (diary.server.log_config); the
    # development server and tests log through the handlers basicConfig or pytest installed.
    hide_in_handlers(logging.getLogger().handlers)
