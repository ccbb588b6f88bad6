"""Python calls per request, in-process: `python -m tests.benchmark.calls [--without MEMO] PATH...`.

The benchmark (run.py) measures the real server, but on a shared machine its rows move by tens of
percent from one run to the next. The number of Python function calls a request makes (counted by
cProfile) does not depend on the machine's load, so two versions of the code, or the code with and
without a memo, can be compared to a few percent. PATH is as for tests.benchmark.profile (e.g.
/today, /entries, /trends/, share, post). ``--without radio-groups`` renders the forms' radio
groups (diary.remembered_markup) on every request instead of remembering them.
"""

import cProfile
import io
import pstats
import sys

from tests.benchmark.profile import logged_in, requester, seeded_app

REQUESTS = 20


def forget(memo: str) -> None:
    """Switch one memo of diary.remembered_markup off: render on every call."""
    from diary import remembered_markup

    kind = {"radio-groups": remembered_markup.RadioGroups}[memo]

    def bare(self, app):
        self.app, self.rendered = app, self.render

    kind.__init__ = bare


def calls_per_request(request) -> float:
    for _ in range(10):  # warm: templates compiled, the history cached, the memos filled
        request()
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(REQUESTS):
        request()
    profile.disable()
    return pstats.Stats(profile, stream=io.StringIO()).total_calls / REQUESTS


def main() -> None:
    arguments = sys.argv[1:]
    while arguments[:1] == ["--without"]:
        forget(arguments[1])
        arguments = arguments[2:]
    client = logged_in(seeded_app())
    for path in arguments:
        print(f"{path}: {calls_per_request(requester(client, path)):,.0f} calls per request")


if __name__ == "__main__":
    main()
