"""What makes the diary an installable phone app: the manifest, the service worker, the offline
page, and caching rules (versioned static files for a year, pages with health data never).

The service worker is ``static/sw.js``, served from ``/sw.js`` so that its scope is the whole site.
It caches only versioned static files and the offline page; it never stores a page with health data
and never touches a POST, so a save without a network fails visibly instead of being swallowed.
"""

import json
import mimetypes
from pathlib import Path

from flask import Flask, current_app, render_template, request

from diary.templating import file_version, static_url

IMMUTABLE = "public, max-age=31536000, immutable"  # a year: the URL changes when the file does
NEVER_STORE = "no-store"

# The files the offline page needs, precached when the service worker installs.
OFFLINE_ASSETS = ("css/app.css", "vendor/htmx-2.0.11.min.js", "js/app.js",
                  "manifest.webmanifest", "icons/icon-192.png", "icons/apple-touch-icon-180.png")

# .webmanifest is missing from Python's own table; browsers expect this type (W3C Web App Manifest).
mimetypes.add_type("application/manifest+json", ".webmanifest")


def is_current_static_version() -> bool:
    """True when the request names a static file with the ``v`` of its current content."""
    filename = (request.view_args or {}).get("filename", "")
    path = Path(current_app.static_folder) / filename
    version = request.args.get("v")
    return bool(version) and path.is_file() and version == file_version(path)


def set_cache_policy(response):
    """Versioned static files: cache a year. Everything else the server renders: never store."""
    if request.endpoint == "static":
        if response.status_code == 200 and is_current_static_version():
            response.headers["Cache-Control"] = IMMUTABLE
        return response
    response.headers.setdefault("Cache-Control", NEVER_STORE)
    return response


def service_worker():
    """The service worker script, with the versioned URLs it precaches filled in."""
    offline_assets = [static_url(name) for name in OFFLINE_ASSETS]
    cache_name = "diary-" + "-".join(url.rsplit("v=", 1)[1] for url in offline_assets)
    script = (Path(current_app.static_folder) / "sw.js").read_text()
    script = (script.replace('"__CACHE_NAME__"', json.dumps(cache_name))
                    .replace('["__OFFLINE_ASSETS__"]', json.dumps(offline_assets)))
    # no-cache: the browser checks for a new worker on every visit (the W3C default is 24 hours).
    return current_app.response_class(script, mimetype="text/javascript",
                                      headers={"Cache-Control": "no-cache"})


def offline():
    """Shown by the service worker when a page cannot be reached; holds nobody's data."""
    return render_template("offline.html")


def init_app(app: Flask) -> None:
    app.add_url_rule("/sw.js", "service_worker", service_worker)
    app.add_url_rule("/offline", "offline", offline)
    app.after_request(set_cache_policy)
