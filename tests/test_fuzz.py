"""Arbitrary values in every form field and query parameter: never a 500, nothing stored from a
rejected request.

The targets come from the pages themselves: every form the app renders (by the route it sends
to, with its field names and the options it offers) and every query parameter its links carry,
so a form or a parameter added later is fuzzed too. Hypothesis runs derandomized with a fixed
budget (see the "diary" profile in conftest.py), so CI sees the same few hundred requests every
time.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from diary.entries.queries import HISTORY_PAGE
from tests.conftest import PASSWORD
from tests.routes import PUBLIC_ROUTES, Diary, all_routes, crawl, dump, make_entry, values_for

TOTAL_EXAMPLES = 400

# Values that have broken form handling somewhere before: bounds, other scripts' digits, huge
# numbers, impossible dates, markup, control characters, very long text.
AWKWARD = st.sampled_from([
    "", " ", "0", "-1", "10", "11", "4.5", "1e9", "99999999999999999999", "٣", "NaN", "Infinity",
    "2026-02-30", "0001-01-01", "9999-12-31", "1899-12-31", "20260101", "today",
    "\x00", "\t\n", "<script>alert(1)</script>", "' OR 1=1 --", "x" * 2001, "é" * 300,
    "None", "null", "[]", "../../etc/passwd", "%00", "Europe/London", "Mars/Olympus",
    "mild", "other", "severe", "yes", "on",
])


def value_strategy(options: list[str]):
    choices = [AWKWARD, st.text(max_size=40)]
    if options:
        choices.append(st.sampled_from(options))  # valid answers too, to get past the first check
    return st.one_of(*choices)


def form_strategy(names: dict[str, list[str]]):
    """Any subset of the fields, each with any value; plus, now and then, a field nobody expects."""
    fields = st.fixed_dictionaries({}, optional={name: value_strategy(options)
                                                 for name, options in names.items()})
    extra = st.dictionaries(st.text(min_size=1, max_size=10), AWKWARD, max_size=1)
    return st.tuples(fields, extra).map(lambda pair: {**pair[1], **pair[0]})


def logged_in(app):
    client = app.test_client()
    assert client.post("/login", data={"email": "alice@example.com", "password": PASSWORD}).status_code == 302
    return client


def stored(engine) -> dict:
    """Every row the app keeps, but the rate limiter's counts: a refused guess is meant to count."""
    tables = dump(engine)
    del tables["rate_limit_count"]
    return tables


def still_logged_in(client) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


def test_arbitrary_input_never_breaks_the_app_or_stores_a_rejected_request(make_app, alice, db):
    # Limits high enough that the views themselves, not the limiter, meet the input.
    app = make_app(RATELIMIT_LOGIN_PER_IP="100000 per hour", RATELIMIT_LOGIN_PER_EMAIL="100000 per hour",
                   RATELIMIT_REGISTER_PER_IP="100000 per hour")
    engine = app.extensions["diary_engine"]
    diary = Diary(logged_in(app), db, alice)
    for _ in range(HISTORY_PAGE + 1):  # more than a page, so "show older days" offers its link
        make_entry(diary)
    diary.ids["entry_id"] = make_entry(diary)
    site = crawl(app, diary)

    targets = []
    for route in all_routes():
        if route.rule.startswith("/static"):
            continue
        if route.method == "GET":
            names = {name: [] for name in site.query_names.get(route.rule, set())}
        else:
            form = site.forms.get((route.rule, route.method))
            names = {name: form.options.get(name, []) for name in form.fields} if form else {}
        targets.append((route, names))
    assert len(targets) >= 10 and any(names for _, names in targets)
    examples = max(5, TOTAL_EXAMPLES // len(targets))
    failures, sent = [], []

    for route, names in targets:
        @settings(max_examples=examples)
        @given(form=form_strategy(names))
        def throw(form):
            public = route.rule in PUBLIC_ROUTES
            client = app.test_client() if public else diary.client
            if not public and not still_logged_in(client):  # a /logout example ended the session
                diary.client = client = logged_in(app)
            if route.int_arguments and route.method != "GET":
                diary.ids.clear()  # a fresh object: an earlier example may have deleted it
            url = route.url(values_for(route, diary))
            before = stored(engine)
            sent.append(route)
            if route.method == "GET":
                response = client.get(url, query_string=form)
            else:
                response = client.open(url, method=route.method, data=form)
            assert response.status_code < 500, f"{route} {form!r} -> {response.status_code}"
            if 400 <= response.status_code < 500:
                assert stored(engine) == before, f"{route} {form!r} was refused but stored something"

        try:
            throw()
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, "\n".join(failures)
    print(f"fuzzed {len(targets)} routes with {len(sent)} requests")
