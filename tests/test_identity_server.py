"""The attack of issue 22 against the real server: gunicorn with two workers, each with its own
caches, CSRF on, over HTTP on 127.0.0.1 (tests/inherited_account.py tells the story)."""

import pytest

from tests import inherited_account
from tests.inherited_account import HttpDevice, data_version_reader
from tests.test_concurrency import Server

WORKERS = 2


@pytest.fixture
def server(app, database_url, tmp_path):
    app.extensions["diary_engine"].dispose()
    running = Server(database_url, tmp_path / "server-instance", workers=WORKERS)
    yield running
    running.stop()


def test_on_the_real_server_a_deleted_patients_cookies_and_cached_diary_reach_nobody(app, server):
    observed = inherited_account.play(lambda: HttpDevice(server.port),
                                      data_version_reader(app.extensions["diary_engine"]))
    assert observed["alices_version"] > 10
    assert len(server.workers()) == WORKERS
