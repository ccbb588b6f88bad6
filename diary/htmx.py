"""Page or fragment: the only code that reads htmx's request headers.

A full page includes the same fragment template that an htmx request receives alone, so the
server stays the single source of the markup. Responses that differ by request type say so in
``Vary: HX-Request`` so that no cache serves a fragment as a page.
"""

from flask import make_response, render_template, request


def is_fragment_request() -> bool:
    """True for an htmx request that swaps part of a page (not a boosted page load)."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"


def render(page: str, fragment: str, status: int = 200, **context):
    """Render ``fragment`` for htmx requests and ``page`` (which includes it) otherwise."""
    template = fragment if is_fragment_request() else page
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response
